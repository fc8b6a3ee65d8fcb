import type { RouteRecordRaw } from 'vue-router'

declare module 'vue-router' {
  interface RouteMeta {
    /** The page title (menu label, browser tab). */
    title?: string
    /** The permission needed to open the page. */
    permi?: string
    /** Reachable without a session (the login page: the session is not even asked for). */
    public?: boolean
    /**
     * Open to visitors without a session too, in the layout without its menu (the public policy
     * list); signed-in users see it in the console as usual.
     */
    guest?: boolean
    /** The menu group: none (top level), indicators, monitoring, registry, policy or system. */
    group?: 'indicators' | 'monitoring' | 'registry' | 'policy' | 'system'
    /** Icon name of @element-plus/icons-vue shown in the menu. */
    icon?: string
    /** For officials: kept out of an enterprise user's menu (a page of figures over regions). */
    officials?: boolean
    /** Kept out of the menu (detail pages). */
    hidden?: boolean
    /** The record kind of a detail page. */
    kind?: RecordKind
  }
}

export type RecordKind = 'person' | 'household' | 'enterprise' | 'employment' | 'unemployment'

const Detail = () => import('@/views/registry/DetailPage.vue')

export const layoutChildren: RouteRecordRaw[] = [
  {
    path: '',
    name: 'dashboard',
    component: () => import('@/views/dashboard/index.vue'),
    meta: { title: '工作台', icon: 'HomeFilled' },
  },
  {
    path: 'indicators',
    name: 'indicators',
    component: () => import('@/views/indicators/index.vue'),
    meta: { title: '指标调度', group: 'indicators', permi: 'indicators:read', icon: 'DataLine' },
  },
  {
    path: 'indicators/ledger',
    name: 'indicator-ledger',
    component: () => import('@/views/indicators/Ledger.vue'),
    meta: { title: '指标台账', group: 'indicators', permi: 'indicators:read', icon: 'Notebook' },
  },
  {
    path: 'indicators/targets',
    name: 'indicator-targets',
    component: () => import('@/views/indicators/Targets.vue'),
    meta: { title: '年度目标', group: 'indicators', permi: 'indicators:read', icon: 'Aim' },
  },
  {
    path: 'indicators/catalogue',
    name: 'indicator-catalogue',
    component: () => import('@/views/indicators/Catalogue.vue'),
    meta: { title: '指标目录', group: 'indicators', permi: 'indicators:read', icon: 'List' },
  },
  {
    path: 'monitoring',
    name: 'monitoring',
    component: () => import('@/views/monitoring/Dashboard.vue'),
    meta: { title: '监测看板', group: 'monitoring', permi: 'monitoring:read', icon: 'Odometer', officials: true },
  },
  {
    path: 'monitoring/reports',
    name: 'monitoring-reports',
    component: () => import('@/views/monitoring/Reports.vue'),
    meta: { title: '监测月报', group: 'monitoring', permi: 'monitoring:read', icon: 'Tickets' },
  },
  {
    path: 'monitoring/status',
    name: 'monitoring-status',
    component: () => import('@/views/monitoring/Status.vue'),
    meta: { title: '报送情况', group: 'monitoring', permi: 'monitoring:review', icon: 'AlarmClock' },
  },
  {
    path: 'monitoring/warnings',
    name: 'monitoring-warnings',
    component: () => import('@/views/monitoring/Warnings.vue'),
    meta: { title: '失业预警', group: 'monitoring', permi: 'monitoring:warning', icon: 'Bell' },
  },
  {
    path: 'monitoring/filings',
    name: 'monitoring-filings',
    component: () => import('@/views/monitoring/Filings.vue'),
    meta: { title: '裁员备案', group: 'monitoring', permi: 'monitoring:filing', icon: 'Finished' },
  },
  {
    path: 'monitoring/settings',
    name: 'monitoring-settings',
    component: () => import('@/views/monitoring/Settings.vue'),
    meta: { title: '监测设置', group: 'monitoring', permi: 'monitoring:admin', icon: 'Setting' },
  },
  {
    path: 'registry/persons',
    name: 'persons',
    component: () => import('@/views/registry/Persons.vue'),
    meta: { title: '人员', group: 'registry', permi: 'registry:person:list', icon: 'User' },
  },
  {
    path: 'registry/households',
    name: 'households',
    component: () => import('@/views/registry/Households.vue'),
    meta: { title: '家庭', group: 'registry', permi: 'registry:household:list', icon: 'House' },
  },
  {
    path: 'registry/enterprises',
    name: 'enterprises',
    component: () => import('@/views/registry/Enterprises.vue'),
    meta: { title: '单位', group: 'registry', permi: 'registry:enterprise:list', icon: 'OfficeBuilding' },
  },
  {
    path: 'registry/employments',
    name: 'employments',
    component: () => import('@/views/registry/Employments.vue'),
    meta: { title: '就业登记', group: 'registry', permi: 'registry:employment:list', icon: 'Briefcase' },
  },
  {
    path: 'registry/unemployments',
    name: 'unemployments',
    component: () => import('@/views/registry/Unemployments.vue'),
    meta: { title: '失业登记', group: 'registry', permi: 'registry:unemployment:list', icon: 'Tickets' },
  },
  {
    path: 'registry/persons/:id',
    name: 'person-detail',
    component: Detail,
    meta: { title: '人员详情', permi: 'registry:person:list', hidden: true, kind: 'person' },
  },
  {
    path: 'registry/households/:id',
    name: 'household-detail',
    component: Detail,
    meta: { title: '家庭详情', permi: 'registry:household:list', hidden: true, kind: 'household' },
  },
  {
    path: 'registry/enterprises/:id',
    name: 'enterprise-detail',
    component: Detail,
    meta: { title: '单位详情', permi: 'registry:enterprise:list', hidden: true, kind: 'enterprise' },
  },
  {
    path: 'registry/employments/:id',
    name: 'employment-detail',
    component: Detail,
    meta: { title: '就业登记详情', permi: 'registry:employment:list', hidden: true, kind: 'employment' },
  },
  {
    path: 'registry/unemployments/:id',
    name: 'unemployment-detail',
    component: Detail,
    meta: { title: '失业登记详情', permi: 'registry:unemployment:list', hidden: true, kind: 'unemployment' },
  },
  {
    path: 'policy',
    name: 'policy',
    component: () => import('@/views/policy/index.vue'),
    meta: { title: '政策清单', group: 'policy', icon: 'Collection', guest: true },
  },
  {
    path: 'policy/evaluate',
    name: 'policy-evaluate',
    component: () => import('@/views/policy/Evaluate.vue'),
    meta: { title: '政策试算', group: 'policy', permi: 'policy:evaluate', icon: 'Money' },
  },
  {
    path: 'policy/facts',
    name: 'policy-facts',
    component: () => import('@/views/policy/Facts.vue'),
    meta: { title: '申报信息', group: 'policy', permi: 'policy:facts', icon: 'Tickets' },
  },
  {
    path: 'policy/screening',
    name: 'policy-screening',
    component: () => import('@/views/policy/Screening.vue'),
    meta: { title: '政策筛查', group: 'policy', permi: 'policy:screen', icon: 'Filter' },
  },
  {
    path: 'policy/grants',
    name: 'policy-grants',
    component: () => import('@/views/policy/Grants.vue'),
    meta: { title: '发放台账', group: 'policy', permi: 'policy:screen', icon: 'Wallet' },
  },
  {
    path: 'system/users',
    name: 'users',
    component: () => import('@/views/system/Users.vue'),
    meta: { title: '用户管理', group: 'system', permi: 'system:user:list', icon: 'UserFilled' },
  },
  {
    path: 'system/roles',
    name: 'roles',
    component: () => import('@/views/system/Roles.vue'),
    meta: { title: '角色管理', group: 'system', permi: 'system:role:list', icon: 'Lock' },
  },
  {
    path: 'system/audit',
    name: 'audit',
    component: () => import('@/views/system/Audit.vue'),
    meta: { title: '审计日志', group: 'system', permi: 'system:audit:list', icon: 'Document' },
  },
  {
    path: '403',
    name: 'forbidden',
    component: () => import('@/views/error/Forbidden.vue'),
    meta: { title: '无权访问', hidden: true },
  },
  {
    path: ':pathMatch(.*)*',
    name: 'not-found',
    component: () => import('@/views/error/NotFound.vue'),
    meta: { title: '页面不存在', hidden: true },
  },
]

export const routes: RouteRecordRaw[] = [
  {
    path: '/login',
    name: 'login',
    component: () => import('@/views/login/index.vue'),
    meta: { title: '登录', public: true },
  },
  {
    path: '/',
    component: () => import('@/layout/Layout.vue'),
    children: layoutChildren,
  },
]

/** The pages of the layout a user may open, in menu order: what the menu lists. */
export function openPages(can: (permi: string) => boolean, enterpriseUser: boolean): RouteRecordRaw[] {
  return layoutChildren.filter((r) => {
    const m = r.meta ?? {}
    return !m.hidden && !!m.title && (!m.permi || can(m.permi)) && !(m.officials && enterpriseUser)
  })
}

export const GROUP_TITLES: Record<string, string> = { indicators: '就业指标', monitoring: '失业监测', registry: '实名制登记', policy: '政策服务', system: '系统管理' }
