/**
 * Pure helpers of the ledger (台账), targets (年度目标) and catalogue (指标目录) pages: values
 * from the server's exact ratio text, formatted by the indicator's measure; the catalogue's
 * definitions; region codes from the cascader. Published-month locks come from `bulletin.ts`.
 */
import type { Schemas } from '@/api/client'
import { formatCount } from '@/utils/money'
import { lockFor, type Lock } from './bulletin'

export { formatTime } from '@/utils/datetime'

export type LedgerRow = Schemas['LedgerRow']
export type TargetRow = Schemas['TargetRow']
export type TargetSum = Schemas['TargetSum']
export type { Lock }

export type Origin = 'computed' | 'derived' | 'supplied'
export type Measure = 'flow' | 'stock' | 'rate' | 'rank'
export type Direction = 'higher_is_better' | 'lower_is_better'
export type Frequency = 'monthly' | 'quarterly'
export type Source = 'computed' | 'imported' | 'entered' | 'corrected'

/** An indicator's definition as `PUT /indicators/{code}` takes it (wenjiu_core's Indicator). */
export interface Indicator {
  code: string
  name: string
  unit: string
  origin: Origin
  measure: Measure
  direction: Direction
  frequency: Frequency
  derivation: Record<string, unknown> | null
  has_target: boolean
  description: string
  sort: number
  enabled: boolean
}

/** A catalogue entry (`GET /indicators`): the definition and its Chinese labels. */
export interface CatalogueEntry extends Indicator {
  origin_label: string
  measure_label: string
  aggregation_label: string
}

/**
 * The catalogue entries of `GET /indicators`. Its schema only types the labels (the definition
 * is flattened in as an object), so the definition's fields are read here with defaults.
 */
export function catalogueEntries(views: readonly Schemas['IndicatorView'][]): CatalogueEntry[] {
  return views.map((v) => {
    const text = (k: string, d = '') => (typeof v[k] === 'string' ? (v[k] as string) : d)
    return {
      code: v.code,
      name: v.name,
      unit: v.unit,
      origin: text('origin', 'supplied') as Origin,
      measure: text('measure', 'flow') as Measure,
      direction: text('direction', 'higher_is_better') as Direction,
      frequency: text('frequency', 'monthly') as Frequency,
      derivation: typeof v.derivation === 'object' && v.derivation !== null ? (v.derivation as Record<string, unknown>) : null,
      has_target: v.has_target === true,
      description: text('description'),
      sort: typeof v.sort === 'number' ? v.sort : 0,
      enabled: v.enabled !== false,
      origin_label: v.origin_label,
      measure_label: v.measure_label,
      aggregation_label: v.aggregation_label,
    }
  })
}

/** The definition of an entry, without its labels: the body of `PUT /indicators/{code}`. */
export function definitionOf(e: Indicator): Indicator {
  return {
    code: e.code,
    name: e.name,
    unit: e.unit,
    origin: e.origin,
    measure: e.measure,
    direction: e.direction,
    frequency: e.frequency,
    derivation: e.derivation,
    has_target: e.has_target,
    description: e.description,
    sort: e.sort,
    enabled: e.enabled,
  }
}

/** A new supplied indicator as the server makes one (`Indicator::supplied`). */
export function newSupplied(code: string, name: string, unit: string, measure: Measure): Indicator {
  return {
    code: code.trim(),
    name: name.trim(),
    unit: unit.trim(),
    origin: 'supplied',
    measure,
    direction: 'higher_is_better',
    frequency: 'monthly',
    derivation: null,
    has_target: false,
    description: '',
    sort: 1000,
    enabled: true,
  }
}

/** A code for a new indicator: lower-case letters, digits and underscores (the server's rule). */
export function checkIndicatorCode(code: string): string | null {
  const c = code.trim()
  if (!c) return '请输入指标代码'
  if (c.length > 64 || !/^[a-z0-9_]+$/.test(c)) return `指标代码“${c}”格式错误：应为小写字母、数字和下划线`
  return null
}

export const MEASURE_LABELS: Record<Measure, string> = {
  flow: '期间累计',
  stock: '期末时点',
  rate: '比率',
  rank: '排位',
}

export const DIRECTION_LABELS: Record<Direction, string> = {
  higher_is_better: '越高越好',
  lower_is_better: '越低越好',
}

type TagType = 'primary' | 'success' | 'info' | 'warning' | 'danger'

export const SOURCES: Record<Source, { label: string; type: TagType }> = {
  computed: { label: '系统统计', type: 'info' },
  imported: { label: '导入', type: 'primary' },
  entered: { label: '填报', type: 'success' },
  corrected: { label: '更正', type: 'warning' },
}

/** The source of a value as a tag (an unknown source shows as itself). */
export function sourceTag(source: string): { label: string; type: TagType } {
  return SOURCES[source as Source] ?? { label: source, type: 'info' }
}

/** An exact ratio text ("151600", "13/200", "-7/2", "6.5") as a number; null when unreadable. */
export function parseRatio(text: string | null | undefined): number | null {
  const t = (text ?? '').trim()
  const m = /^(-?\d+(?:\.\d+)?)(?:\/(\d+))?$/.exec(t)
  if (!m) return null
  const num = Number(m[1])
  const den = m[2] === undefined ? 1 : Number(m[2])
  if (!Number.isFinite(num) || !(den > 0)) return null
  return num / den
}

/** A number with at most `digits` decimals, trailing zeros dropped (6.50 → 6.5, 7.00 → 7). */
export function trimDecimals(v: number, digits = 2): string {
  const s = v.toFixed(digits)
  const out = s.includes('.') ? s.replace(/\.?0+$/, '') : s
  return out === '-0' ? '0' : out
}

/**
 * A value as the tables print it: a rate (a fraction) in percent with up to 2 decimals
 * ("13/200" → "6.5%"), counts and ranks as integers in thousands with the unit ("151600" → "151,600人").
 */
export function formatValue(text: string | null | undefined, measure: Measure | undefined, unit = ''): string {
  const v = parseRatio(text)
  if (v === null) return text ? text : '—'
  if (measure === 'rate') return `${trimDecimals(v * 100)}%`
  const n = Math.round(v)
  const whole = Object.is(n, -0) ? 0 : n
  return unit && unit !== '%' ? `${formatCount(whole)}${unit}` : formatCount(whole)
}

/** A target: its value, "左右" when set as an approximate figure (5.5%左右). */
export function formatTarget(text: string, measure: Measure | undefined, unit: string, approximate: boolean): string {
  const v = formatValue(text, measure, unit)
  return approximate && v !== '—' ? `${v}左右` : v
}

/** A value as the dialogs take it back: a rate in percent ("13/200" → "6.5"), a count as an integer. */
export function inputText(text: string, measure: Measure | undefined): string {
  const v = parseRatio(text)
  if (v === null) return text
  return measure === 'rate' ? trimDecimals(v * 100, 4) : String(Math.round(v))
}

/** Whether a difference (ratio text) is zero: the subregions' targets add up. */
export function isZero(text: string | null | undefined): boolean {
  return parseRatio(text) === 0
}

/**
 * The six-digit region code of a cascader's prefix: 21 → 210000, 2101 → 210100, 210102 stays.
 * Empty for an empty choice.
 */
export function regionCodeOf(prefix: string | null | undefined): string {
  const p = (prefix ?? '').trim()
  return p && p.length < 6 ? p.padEnd(6, '0') : p
}

/** The lock (publication) that covers a ledger row's region and month, if any. */
export function rowLock(locks: readonly Lock[], row: { region: string; month: string }): Lock | undefined {
  return lockFor(locks, row.region, row.month)
}

/** The entries by code, for the tables' names and formats. */
export function byCode<T extends { code: string }>(entries: readonly T[]): Map<string, T> {
  return new Map(entries.map((e) => [e.code, e]))
}

/** The years offered by the targets page: five years around the given one, latest first. */
export function yearsAround(year: number): number[] {
  return [year + 1, year, year - 1, year - 2, year - 3]
}

/** The columns of the indicator import sheets, for the templates. */
export const SHEET_HEADERS = {
  values: ['指标', '地区代码', '月份', '数值'],
  targets: ['指标', '地区代码', '年度', '目标值', '约数'],
} as const

export type Sheet = keyof typeof SHEET_HEADERS

/**
 * Why a derived indicator's total row (the region itself) is not the sum of its subregions'
 * rows: the region's figure follows the definition from its own components, each aggregated as
 * the catalogue says (自然减员 may be supplied for the city itself). Empty for other indicators.
 */
export function totalNote(code: string, codes: ReadonlyMap<string, CatalogueEntry>, totalName: string): string {
  const entry = codes.get(code)
  const d = entry?.derivation
  if (!entry || !d) return ''
  const part = (c: unknown) => {
    const e = codes.get(String(c))
    return e ? `${e.name}（${e.aggregation_label}）` : String(c)
  }
  if (d.kind === 'difference') {
    return `${totalName}行按指标定义计算：${entry.name} = ${part(d.minuend)} − ${part(d.subtrahend)}，不是上面各地区${entry.name}之和，两者可以不相等。`
  }
  if (d.kind === 'share_of_sum') {
    return `${totalName}行按指标定义由汇总后的组成指标计算：${entry.name} = ${part(d.part)} ÷（${part(d.rest)} + ${part(d.part)}），不是上面各地区比率的合计或平均。`
  }
  return ''
}
