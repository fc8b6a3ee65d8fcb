/**
 * Pure helpers of the unemployment monitoring pages (失业动态监测): warning levels and their
 * colours, status tags, number formatting, the report form's checks (mirroring the server's),
 * the trend chart's option and the rule editor's fields. No Vue, no requests: unit-tested.
 */
import type { Schemas } from '@/api/client'
import type { ChartOption } from '@/views/indicators/bulletin'
import { regionPrefix } from '@/views/indicators/bulletin'
import { formatCount } from '@/utils/money'

export type Summary = Schemas['Summary']
export type GroupFigures = Schemas['GroupFigures']
export type ReportRow = Schemas['ReportRow']
export type WarningRow = Schemas['WarningRow']
export type FilingRow = Schemas['FilingRow']
export type MonitoredRow = Schemas['MonitoredRow']
export type StatusRow = Schemas['StatusRow']
export type CodeView = Schemas['CodeView']

export type TagType = 'primary' | 'success' | 'info' | 'warning' | 'danger'
export type Level = 'red' | 'orange' | 'yellow'

/** Ⅰ red first: the order of severity. */
export const LEVELS: readonly Level[] = ['red', 'orange', 'yellow']
export const LEVEL_LABELS: Record<Level, string> = { red: 'Ⅰ级（红色）', orange: 'Ⅱ级（橙色）', yellow: 'Ⅲ级（黄色）' }
export const LEVEL_COLORS: Record<Level, string> = { red: '#e53935', orange: '#fb8c00', yellow: '#e6b800' }

function isLevel(v: string): v is Level {
  return (LEVELS as readonly string[]).includes(v)
}

/**
 * Each subregion's worst open warning, from the summary's `subregion_warnings` (the server counts
 * every warning of the month; unknown level codes are ignored), null when it has none.
 */
export function levelsBySubregion(
  subregions: readonly string[],
  open: readonly { code: string; worst_level?: string | null }[],
): Record<string, Level | null> {
  const out: Record<string, Level | null> = {}
  for (const code of subregions) {
    const level = open.find((w) => w.code === code)?.worst_level ?? ''
    out[code] = isLevel(level) ? level : null
  }
  return out
}

/** A city tile's colours: the level's colour, or a neutral green when nothing is open. */
export function tileStyle(level: Level | null): { borderColor: string; background: string } {
  if (!level) return { borderColor: '#67c23a', background: '#f0f9eb' }
  const bg: Record<Level, string> = { red: '#fdecea', orange: '#fff3e0', yellow: '#fffbe6' }
  return { borderColor: LEVEL_COLORS[level], background: bg[level] }
}

export function levelTagType(level: string): TagType {
  return level === 'red' ? 'danger' : level === 'orange' ? 'warning' : level === 'yellow' ? 'primary' : 'info'
}

const REPORT_TAGS: Record<string, TagType> = { submitted: 'warning', returned: 'danger', local_approved: 'primary', closed: 'success' }
const WARNING_TAGS: Record<string, TagType> = { open: 'danger', acknowledged: 'warning', handling: 'primary', closed: 'success', cleared: 'info' }
const FILING_TAGS: Record<string, TagType> = { filed: 'warning', implemented: 'success', withdrawn: 'info' }

export const reportTag = (status: string): TagType => REPORT_TAGS[status] ?? 'info'
export const warningTag = (status: string): TagType => WARNING_TAGS[status] ?? 'info'
export const filingTag = (status: string): TagType => FILING_TAGS[status] ?? 'info'

/** The report statuses of the list's filter; `pending` is the server's "waiting for my tier". */
export const REPORT_STATUSES = [
  { code: 'pending', label: '待我审核' },
  { code: 'submitted', label: '待县市审核' },
  { code: 'returned', label: '已退回' },
  { code: 'local_approved', label: '待省级审核' },
  { code: 'closed', label: '已办结' },
]
export const WARNING_STATUSES = [
  { code: 'open', label: '待签收' },
  { code: 'acknowledged', label: '已签收' },
  { code: 'handling', label: '处置中' },
  { code: 'closed', label: '已办结' },
  { code: 'cleared', label: '已解除' },
]
export const FILING_STATUSES = [
  { code: 'filed', label: '已备案' },
  { code: 'implemented', label: '已实施' },
  { code: 'withdrawn', label: '已撤回' },
]
export const GROUNDS = [
  { code: 'restructuring', label: '依照企业破产法规定进行重整' },
  { code: 'serious_difficulty', label: '生产经营发生严重困难' },
  { code: 'change_of_production', label: '转产、重大技术革新或者经营方式调整' },
  { code: 'objective_change', label: '客观经济情况发生重大变化' },
]
export const TIER_LABELS: Record<string, string> = { county: '县区', city: '市', province: '省' }
export const REVIEW_ACTIONS: Record<string, string> = { submit: '提交', resubmit: '重新提交', approve: '审核通过', return: '退回' }
export const WARNING_ACTIONS: Record<string, string> = {
  raised: '触发预警',
  acknowledge: '签收',
  handle: '处置',
  close: '办结',
  reopen: '重新打开',
  cleared: '自动解除',
}

/** A percentage from the API ("21.43") as 21.43%, or — when there is none. */
export function pct(v: string | null | undefined): string {
  return v == null || v === '' ? '—' : `${v}%`
}

/** A change with its sign: +10, −300, +13,757, 0. */
export function signed(n: number): string {
  return n > 0 ? `+${formatCount(n)}` : n < 0 ? `−${formatCount(-n)}` : '0'
}

/** The month (YYYY-MM) before a month. */
export function previousMonth(month: string): string {
  const [y, m] = month.split('-').map(Number)
  return m === 1 ? `${y - 1}-12` : `${y}-${String(m - 1).padStart(2, '0')}`
}

// ---------------------------------------------------------------- the report form

export interface ReasonDraft {
  code: string
  note: string
}
export interface ReportDraft {
  month: string
  headcount: number | null
  new_hires: number | null
  decrease: number | null
  decrease_type: string
  reasons: ReasonDraft[]
}

export const MAX_REASONS = 3

export function emptyDraft(month: string): ReportDraft {
  return { month, headcount: null, new_hires: 0, decrease: 0, decrease_type: '', reasons: [{ code: '', note: '' }] }
}

/**
 * Last month's headcount as the check needs it, from the enterprise's sample row: its latest
 * report when that is the month before, the baseline when it has reported nothing yet, else
 * unknown (the server checks).
 */
export function previousHeadcount(
  sample: Pick<MonitoredRow, 'baseline' | 'last_month' | 'last_headcount'> | undefined,
  month: string,
): number | null {
  if (!sample) return null
  if (!sample.last_month) return sample.baseline
  if (sample.last_month === previousMonth(month) && sample.last_headcount != null) return sample.last_headcount
  return null
}

/** Whether the headcount fell (against last month or the baseline): type and main reason are then required. */
export function fell(headcount: number | null, previous: number | null, baseline: number | null): boolean {
  if (headcount == null) return false
  return (previous != null && headcount < previous) || (baseline != null && headcount < baseline)
}

const isCount = (v: number | null): v is number => v != null && Number.isInteger(v) && v >= 0

/**
 * The form's problems keyed by field (headcount, new_hires, decrease, decrease_type, reasons),
 * the same columns the server's 422 names. Empty when the report may be sent.
 */
export function checkReport(d: ReportDraft, previous: number | null, baseline: number | null): Record<string, string> {
  const out: Record<string, string> = {}
  if (!/^\d{4}-\d{2}$/.test(d.month)) out.month = '请选择调查月份'
  if (!isCount(d.headcount)) out.headcount = '请填写调查期就业人数（非负整数）'
  if (!isCount(d.new_hires)) out.new_hires = '请填写本月新增人数（非负整数）'
  if (!isCount(d.decrease)) out.decrease = '请填写本月减少人数（非负整数）'
  if (Object.keys(out).length) return out
  const h = d.headcount as number
  if (previous != null) {
    const expected = previous + (d.new_hires as number) - (d.decrease as number)
    if (h !== expected) {
      out.headcount = `调查期就业人数应等于上月 ${previous} + 新增 ${d.new_hires} − 减少 ${d.decrease} = ${expected}`
    }
  }
  if (fell(h, previous, baseline)) {
    if (!d.decrease_type) out.decrease_type = '就业人数减少时必须选择减员类型'
    if (!d.reasons[0]?.code) out.reasons = '就业人数减少时必须填写主要减员原因'
  }
  const used = d.reasons.filter((r) => r.code)
  if (used.length > MAX_REASONS) out.reasons = `减员原因最多 ${MAX_REASONS} 项`
  else if (new Set(used.map((r) => r.code)).size !== used.length) out.reasons = '减员原因不能重复'
  else if (d.reasons.some((r) => !r.code && r.note.trim())) out.reasons = '填写了说明的原因请选择原因类别'
  return out
}

/** The request body; an enterprise user leaves the enterprise out (its own). */
export function reportBody(d: ReportDraft, enterpriseId: number | null): Schemas['ReportSubmit'] {
  return {
    ...(enterpriseId != null ? { enterprise_id: enterpriseId } : {}),
    month: d.month,
    headcount: d.headcount ?? 0,
    new_hires: d.new_hires ?? 0,
    decrease: d.decrease ?? 0,
    decrease_type: d.decrease_type || null,
    reasons: d.reasons.filter((r) => r.code).map((r) => ({ code: r.code, note: r.note.trim() })),
  }
}

/** The columns of the report sheet imported on the enterprises' behalf (`/monitoring/reports/import`). */
export const REPORT_SHEET_HEADERS = [
  '统一社会信用代码',
  '月份',
  '调查期就业人数',
  '本月新增人数',
  '本月减少人数',
  '减员类型',
  '减员原因一',
  '原因说明一',
  '减员原因二',
  '原因说明二',
  '减员原因三',
  '原因说明三',
] as const

/** A report's draft for resubmission (a returned or still-submitted report). */
export function draftOf(r: ReportRow): ReportDraft {
  const reasons = r.reasons.map((x) => ({ code: x.code, note: x.note }))
  return {
    month: r.month,
    headcount: r.headcount,
    new_hires: r.new_hires,
    decrease: r.decrease,
    decrease_type: r.decrease_type ?? '',
    reasons: reasons.length ? reasons : [{ code: '', note: '' }],
  }
}

// ---------------------------------------------------------------- the dashboard

/**
 * The trend chart: 岗位流失率 against the baseline as a line, new hires and decreases as bars,
 * by month. Each month's rate compares its reporting enterprises with their own baseline, so
 * fewer enterprises reporting is no fall (a line of summed headcounts would show one).
 */
export function trendOption(trend: readonly GroupFigures[]): ChartOption {
  return {
    animation: false,
    tooltip: { trigger: 'axis' },
    legend: { data: ['岗位流失率', '新增', '减少'], top: 4, left: 'center' },
    grid: { left: 56, right: 56, top: 44, bottom: 32 },
    xAxis: { type: 'category', data: trend.map((t) => t.code) },
    yAxis: [
      { type: 'value', name: '流失率（%）', scale: true },
      { type: 'value', name: '增减（人）', minInterval: 1 },
    ],
    series: [
      { name: '岗位流失率', type: 'line', data: trend.map((t) => (t.loss_rate_pct == null ? null : Number(t.loss_rate_pct))), itemStyle: { color: '#409eff' } },
      { name: '新增', type: 'bar', yAxisIndex: 1, data: trend.map((t) => t.new_hires), itemStyle: { color: '#67c23a' } },
      { name: '减少', type: 'bar', yAxisIndex: 1, data: trend.map((t) => t.decrease), itemStyle: { color: '#f56c6c' } },
    ],
  }
}

/** The leading reasons (most people first), at most `n`. */
export function leading<T extends { people: number }>(rows: readonly T[], n = 5): T[] {
  return [...rows].sort((a, b) => b.people - a.people).slice(0, n)
}

// ---------------------------------------------------------------- warning rules

export type Rule = Record<string, unknown> & { code: string; name: string; level: string; active: boolean; kind: string }

export interface RuleField {
  key: string
  label: string
  input: 'int' | 'text' | 'tier' | 'basis' | 'measure'
}

const FIELD_LABELS: Record<string, { label: string; input: RuleField['input'] }> = {
  measure: { label: '减员口径', input: 'measure' },
  min_people: { label: '减员人数 ≥（人）', input: 'int' },
  min_share: { label: '或减员比例 ≥（%）', input: 'text' },
  share_floor: { label: '按比例时至少减员（人）', input: 'int' },
  min_enterprises: { label: '企业数 ≥（家）', input: 'int' },
  min_rate: { label: '岗位流失率 ≥（%）', input: 'text' },
  min_rise: { label: '同比上升 ≥（%）', input: 'text' },
  tier: { label: '地区层级', input: 'tier' },
  basis: { label: '比较基期', input: 'basis' },
}
export const RULE_KINDS: Record<string, string> = {
  enterprise_loss: '单个企业减员',
  county_cluster: '县区企业集中减员',
  region_loss_rate: '地区岗位流失率',
  year_on_year: '同比减员上升',
}
/** People cut this month (the default: a layoff hidden by hires still counts), or the net fall. */
export const MEASURE_OPTIONS = [
  { code: 'decrease', label: '本月减少人数' },
  { code: 'net', label: '较上月净减少' },
]
export const BASIS_OPTIONS = [
  { code: 'baseline', label: '较建档期' },
  { code: 'previous', label: '较上月' },
]
const COMMON = new Set(['code', 'name', 'level', 'active', 'kind'])

/** The threshold fields of a rule: every key beyond the common ones, labelled when known. */
export function ruleFields(rule: Rule): RuleField[] {
  return Object.keys(rule)
    .filter((k) => !COMMON.has(k))
    .map((key) => ({ key, ...(FIELD_LABELS[key] ?? { label: key, input: typeof rule[key] === 'number' ? 'int' : 'text' }) }))
}

/** A rule as sent back: blank thresholds become null. */
export function cleanRule(rule: Rule): Rule {
  const out: Rule = { ...rule }
  for (const [k, v] of Object.entries(out)) {
    if (!COMMON.has(k) && (v === '' || v === undefined)) out[k] = null
    else if (typeof v === 'string' && !COMMON.has(k)) out[k] = v.trim()
  }
  return out
}

export interface Route {
  min_level: string | null
  min_people: number | null
  /** Only warnings about one enterprise (its layoff or filing), not a region's loss. */
  enterprise_only?: boolean
  notify: string[]
}

/** The routing table's problems, one message per bad route (empty when fine). */
export function checkRoutes(routes: readonly Route[]): string[] {
  const out: string[] = []
  routes.forEach((r, i) => {
    if (!r.notify.length) out.push(`第 ${i + 1} 条：请选择通知层级`)
    if (r.min_people != null && (!Number.isInteger(r.min_people) || r.min_people < 0)) out.push(`第 ${i + 1} 条：人数应为非负整数`)
  })
  if (!routes.length) out.push('至少需要一条路由')
  return out
}

/** ID numbers typed one per line, or separated by commas or spaces. */
export function parseIdNumbers(text: string): string[] {
  return [...new Set(text.split(/[\s,，;；]+/).map((s) => s.trim().toUpperCase()).filter(Boolean))]
}

/** A six-digit region code of a prefix or code: 21 → 210000, 2101 → 210100. */
export function regionCode(prefixOrCode: string): string {
  return prefixOrCode.padEnd(6, '0')
}

/**
 * The drill-down trail of a region: its ancestors (province, city) and itself, not above the
 * user's scope prefix (a city officer starts at the city).
 */
export function regionAncestors(code: string, scopePrefix: string): string[] {
  const prefix = regionPrefix(code)
  const out: string[] = []
  for (const len of [2, 4, 6]) {
    if (len > prefix.length) break
    if (len < scopePrefix.length) continue
    out.push(regionCode(prefix.slice(0, len)))
  }
  return out.length ? out : [code]
}

/** Whether a region has subregions to drill into (province and city; not a county). */
export function drillable(code: string): boolean {
  return /^\d{6}$/.test(code) && code.endsWith('00')
}

/** A subregion's name without its parent's (辽宁省沈阳市 under 辽宁省 → 沈阳市). */
export function shortName(name: string, parentName: string): string {
  return name.startsWith(parentName) && name.length > parentName.length ? name.slice(parentName.length) : name
}

/**
 * Whether a user of a scope reviews a report in a status: county and city officers the submitted
 * ones, the province the locally approved ones (the server decides in the end).
 */
export function reviewable(status: string, scopeCode: string): boolean {
  if (!/^\d+$/.test(scopeCode)) return false
  return scopeCode.length <= 2 ? status === 'local_approved' : status === 'submitted'
}

/** Whether the enterprise (or an official for it) may still change a report: not once approved. */
export const editable = (status: string): boolean => status === 'submitted' || status === 'returned'
