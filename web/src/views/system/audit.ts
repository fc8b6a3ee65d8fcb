/**
 * The audit log's codes in Chinese: every action the server records (grouped as the filter
 * offers them), the kinds of its targets (`person:135`), and the field names in a detail.
 * Auditors still see the raw code (tooltip): labels are for reading, codes are the record.
 */

export interface ActionGroup {
  /** Filters over several actions: the server matches an action by its prefix. */
  prefixes: Record<string, string>
  label: string
  actions: Record<string, string>
}

/** Registry kinds with their own create / update / import / export actions. */
const REGISTRY_KINDS: Record<string, string> = { person: '人员', enterprise: '单位', employment: '就业登记', unemployment: '失业登记' }

function registryActions(): Record<string, string> {
  const out: Record<string, string> = {}
  for (const [kind, label] of Object.entries(REGISTRY_KINDS)) {
    out[`${kind}.create`] = `新增${label}`
    out[`${kind}.update`] = `修改${label}`
    out[`${kind}.import`] = `导入${label}`
    out[`${kind}.export`] = `导出${label}`
  }
  out['person.reveal'] = '查看完整号码'
  return out
}

export const ACTION_GROUPS: ActionGroup[] = [
  { prefixes: { 'auth.': '全部登录与退出' }, label: '登录与退出', actions: { 'auth.login': '登录', 'auth.logout': '退出' } },
  {
    prefixes: Object.fromEntries(Object.entries(REGISTRY_KINDS).map(([k, label]) => [`${k}.`, `${label}（全部操作）`])),
    label: '实名制登记',
    actions: registryActions(),
  },
  {
    prefixes: {},
    label: '就业指标',
    actions: {
      'indicator.save': '保存指标定义',
      'indicator.target': '设定年度目标',
      'ledger.enter': '录入指标数值',
      'ledger.correct': '更正指标数值',
      'indicators.import': '导入指标数据',
      'indicators.refresh': '重新统计指标',
      'indicators.publish': '发布月度指标',
      'bulletin.export': '导出指标通报',
    },
  },
  {
    prefixes: { 'monitoring.report.': '监测月报（全部操作）', 'monitoring.filing.': '裁员备案（全部操作）' },
    label: '失业监测',
    actions: {
      'monitoring.report.submit': '填报监测月报',
      'monitoring.report.import': '导入监测月报',
      'monitoring.report.review': '审核监测月报',
      'monitoring.deadline': '设置报送截止日',
      'monitoring.chase': '催报',
      'monitoring.run': '运行失业预警',
      'monitoring.warning': '处理失业预警',
      'monitoring.analysis.export': '导出监测分析报告',
      'monitoring.filing.create': '裁员备案',
      'monitoring.filing.workers': '登记拟裁减人员',
      'monitoring.filing.step': '记录备案处理步骤',
      'monitoring.filing.job_fair': '申请专场招聘会',
      'monitoring.filing.implement': '裁员方案实施',
      'monitoring.filing.withdraw': '撤回裁员备案',
      'monitoring.enrol': '监测企业入样',
      'monitoring.code': '修改监测代码表',
      'monitoring.rules': '修改预警规则',
      'monitoring.routing': '修改预警通知对象',
    },
  },
  {
    prefixes: {},
    label: '政策服务',
    actions: {
      'policy.evaluate': '政策试算',
      'policy.eligibility': '查看对象可享政策',
      'policy.fact': '录入申报信息',
      'policy.fact.import': '导入申报信息',
      'policy.screen': '政策筛查',
      'policy.screen.export': '导出筛查结果',
      'policy.whatif': '政策模拟',
      'policy.grant': '确认发放',
      'policy.grant.revoke': '撤销发放',
      'policy.grant.export': '发放台账导出',
      'policy.param': '调整政策参数',
      'policy.reload': '重新加载政策',
    },
  },
  {
    prefixes: { 'user.': '用户管理（全部操作）' },
    label: '系统管理',
    actions: {
      'user.create': '新增用户',
      'user.lock': '锁定用户',
      'user.unlock': '解锁用户',
      'user.password': '重置密码',
      'code.difficulty_category': '修改就业困难人员类别',
    },
  },
]

const ACTIONS: Record<string, string> = Object.assign({}, ...ACTION_GROUPS.map((g) => g.actions))

/** An action in Chinese; an unknown (newer) code as it is. */
export function actionLabel(code: string): string {
  return ACTIONS[code] ?? code
}

/** The kinds of audit targets (`kind:id`). */
export const TARGET_KINDS: Record<string, string> = {
  ...REGISTRY_KINDS,
  layoff_filing: '裁员备案',
  job: '导入任务',
  user: '用户',
  param: '政策参数',
  screening: '政策筛查',
  grant: '补贴发放',
  subject_fact: '申报信息',
  target: '年度目标',
  ledger: '指标台账',
  indicator: '指标',
  monitoring_report: '监测月报',
  monitoring_month: '监测月份',
  warning: '失业预警',
  difficulty_category: '就业困难人员类别',
}

/** A target as "人员 135"; `person:*` (no single record) as "人员"; other text as it is. */
export function targetLabel(target: string): string {
  const i = target.indexOf(':')
  const kind = i > 0 ? TARGET_KINDS[target.slice(0, i)] : undefined
  if (!kind) return target
  const rest = target.slice(i + 1)
  return rest === '*' ? kind : `${kind} ${rest}`
}

/** Field names the server writes into details (which number was revealed). */
const DETAIL_FIELDS: Record<string, string> = { id_no: '身份证号', phone: '手机号' }

/** A detail with its field names in Chinese: `id_no` → 身份证号. */
export function detailLabel(detail: string): string {
  return detail.replace(/\b[a-z]+(?:_[a-z]+)+\b|\bphone\b/g, (w) => DETAIL_FIELDS[w] ?? w)
}
