/**
 * Pure helpers of 政策清单 / 政策试算: money in fen shown in 元, the subject fields a policy's
 * expressions read, typed parameter values, and an evaluation trace turned into display rows.
 */
import type { Schemas } from '@/api/client'
import { fenToYuan, yuanToFenNumber } from '@/utils/money'

export { fenToYuan }

export type PolicyView = Schemas['PolicyView']
export type SubjectKind = 'person' | 'enterprise' | 'hire'

export const SUBJECT_LABELS: Record<string, string> = { person: '个人', enterprise: '单位', hire: '单位招用人员' }
export const ROUND_LABELS: Record<string, string> = {
  down_to_fen: '舍去到分',
  down_to_yuan: '舍去到元',
  half_up_to_fen: '四舍五入到分',
  half_up_to_yuan: '四舍五入到元',
}

const FIELD_RE = /\b(person|enterprise|hire)\.([a-z_][a-z0-9_]*)/g

/** The subject field names (`person.age`, `hire.start_date`) an expression reads, in order, without repeats. */
export function fieldsOf(expr: string): string[] {
  const out: string[] = []
  // Text in quotes ("2020-01-01", "male") is not a field.
  const code = expr.replace(/"(?:[^"\\]|\\.)*"/g, '""')
  for (const m of code.matchAll(FIELD_RE)) {
    const f = `${m[1]}.${m[2]}`
    if (!out.includes(f)) out.push(f)
  }
  return out
}

/** The fields the conditions and amount of the given policies read, sorted. */
export function policyFields(policies: Pick<PolicyView, 'conditions' | 'amount'>[]): string[] {
  const set = new Set<string>()
  for (const p of policies) {
    for (const c of p.conditions) fieldsOf(c.expr).forEach((f) => set.add(f))
    fieldsOf(p.amount.formula).forEach((f) => set.add(f))
    if (p.amount.cap) fieldsOf(p.amount.cap).forEach((f) => set.add(f))
  }
  return [...set].sort()
}

export type FieldInputKind = 'number' | 'money' | 'bool' | 'date' | 'text'
export type SubjectField = Schemas['SubjectField']

/** What the editor knows of a field from the API: its Chinese label, input and codes. */
export interface FieldInfo {
  label: string
  kind: FieldInputKind
  codes: { code: string; label: string }[]
}

/** The API's field types (bool | int | money | string | date) as inputs. */
const TYPE_INPUTS: Record<string, FieldInputKind> = { bool: 'bool', int: 'number', money: 'money', string: 'text', date: 'date' }

/** The fields by full name (`/policy/fields`: every field a policy may read). */
export function fieldInfos(fields: readonly SubjectField[]): Record<string, FieldInfo> {
  const out: Record<string, FieldInfo> = {}
  for (const f of fields) out[f.name] = { label: f.label, kind: TYPE_INPUTS[f.type] ?? 'text', codes: f.codes }
  return out
}

/** The input a field wants, as the API declares its type (text for a name it does not know). */
export function fieldKind(field: string, declared: Record<string, FieldInfo>): FieldInputKind {
  return declared[field]?.kind ?? 'text'
}

/** A typed value `{type, value}` as display text. */
/** A rate as the engine writes it ("11/200", "1") as people read it: an exact percentage
 * ("5.5%", "100%"), otherwise the fraction ("2/3"). Exact integers, no floating point. */
export function rateText(text: string): string {
  const m = /^(-?\d+)(?:\/(\d+))?$/.exec(text.trim())
  if (!m) return text
  // Percent with up to 4 decimals: × 100 × 10⁴.
  const scaled = BigInt(m[1]) * 1000000n
  const den = BigInt(m[2] ?? '1')
  if (den === 0n || scaled % den !== 0n) return text
  const units = scaled / den
  const abs = units < 0n ? -units : units
  const decimals = (abs % 10000n).toString().padStart(4, '0').replace(/0+$/, '')
  return `${units < 0n ? '-' : ''}${abs / 10000n}${decimals ? `.${decimals}` : ''}%`
}

export function formatTyped(v: unknown, unit = ''): string {
  if (v == null || typeof v !== 'object') return v == null ? '—' : String(v)
  const { type, value } = v as { type?: string; value?: unknown }
  if (value === undefined) return '—'
  switch (type) {
    case 'bool':
      return value ? '是' : '否'
    case 'money':
      return `${fenToYuan(value as number)} 元`
    case 'rate':
      return rateText(String(value))
    case 'string_list':
      return Array.isArray(value) ? value.join('、') : String(value)
    default:
      return unit && unit !== '日期' ? `${value} ${unit}` : String(value)
  }
}

/** A parameter's unit as its values are shown: money is kept in 分 and shown in 元 (see [`formatTyped`]). */
export function unitLabel(p: { type: string; unit: string }): string {
  return p.type === 'money' ? '元' : p.unit
}

/** How often a subject may receive a policy (享受次数). */
export function grantsText(p: Pick<PolicyView, 'once_per_subject' | 'granted_per'>): string {
  if (p.once_per_subject) return '每个对象限享受一次'
  if (p.granted_per === 'year') return '每个对象每年一次'
  if (p.granted_per === 'month') return '每个对象每月一次'
  return '不限'
}

/** A city's or county's own standard: "大连市 6 月（2020-01-01 起）" (the province's name dropped). */
export function localStandard(l: Schemas['LocalValue'], unit = ''): string {
  const region = l.region_name.replace(/^辽宁省/, '') || l.region
  return `${region} ${formatTyped(l.value, unit)}（${l.from} 起）`
}

export interface FieldRead {
  field: string
  value: unknown
}
export interface ParamRead {
  name: string
  value: unknown
  region: string
  from: string
  source: string
}
interface Reads {
  fields?: FieldRead[]
  params?: ParamRead[]
}
interface TraceCondition {
  name: string
  clause: string
  expr: string
  reads?: Reads
  result: boolean | null
}
interface TraceAmount {
  formula: string
  cap?: string | null
  reads?: Reads
  steps?: {
    exact_fen?: string | null
    cap_fen?: string | null
    capped_fen?: string | null
    rounding?: string | null
    amount_fen?: number | null
  } | null
}

export interface ParamRow {
  name: string
  value: string
  region: string
  from: string
  source: string
}
export interface ConditionRow {
  name: string
  clause: string
  ok: boolean
  /** "✔ 条件名（条款原文）" */
  title: string
  fields: string[]
  params: ParamRow[]
}
export interface AmountStep {
  label: string
  value: string
}
export interface TraceRows {
  conditions: ConditionRow[]
  amount: { formula: string; cap: string | null; fields: string[]; params: ParamRow[]; steps: AmountStep[] } | null
}

export type Outcome = 'eligible' | 'not_eligible' | 'not_applicable' | 'error'

export const OUTCOME_LABELS: Record<Outcome, string> = {
  eligible: '可享受',
  not_eligible: '不符合',
  not_applicable: '不适用',
  error: '无法试算',
}
export const OUTCOME_TAGS: Record<Outcome, 'success' | 'danger' | 'info' | 'warning'> = {
  eligible: 'success',
  not_eligible: 'danger',
  not_applicable: 'info',
  error: 'warning',
}

export function outcomeOf(r: { outcome?: unknown; error?: string | null }): Outcome {
  if (r.error) return 'error'
  const o = r.outcome
  return o === 'eligible' || o === 'not_eligible' || o === 'not_applicable' ? o : 'error'
}

function paramRow(p: ParamRead, regionName: (code: string) => string): ParamRow {
  return { name: p.name, value: formatTyped(p.value), region: regionName(p.region), from: p.from, source: p.source }
}

/** `person.age = 30` lines of the fields read. */
/** The values a trace read, by the fields' labels where `fields` knows them (the code in brackets) and coded values by their labels. */
function fieldLines(reads: Reads | undefined, fields: Record<string, FieldInfo>): string[] {
  return (reads?.fields ?? []).map((f) => {
    const info = fields[f.field]
    const raw = (f.value as { value?: unknown } | null)?.value
    const value = info?.codes.find((c) => c.code === raw)?.label ?? formatTyped(f.value)
    return info ? `${info.label}（${f.field}）= ${value}` : `${f.field} = ${value}`
  })
}

/**
 * An evaluation trace as readable rows: each condition by its clause (its name in brackets)
 * with its values, then the amount's steps.
 */
export function traceRows(
  trace: unknown,
  regionName: (code: string) => string = (c) => c,
  fields: Record<string, FieldInfo> = {},
): TraceRows {
  const t = (trace ?? {}) as { conditions?: TraceCondition[]; amount?: TraceAmount | null }
  const conditions = (t.conditions ?? []).map((c) => {
    const ok = c.result === true
    return {
      name: c.name,
      clause: c.clause,
      ok,
      title: `${ok ? '✔' : '✘'} ${c.clause}（${c.name}）`,
      fields: fieldLines(c.reads, fields),
      params: (c.reads?.params ?? []).map((p) => paramRow(p, regionName)),
    }
  })
  let amount: TraceRows['amount'] = null
  if (t.amount) {
    const s = t.amount.steps ?? {}
    const steps: AmountStep[] = []
    if (s.exact_fen != null) steps.push({ label: '精确值', value: `${fenToYuan(s.exact_fen)} 元` })
    if (s.cap_fen != null) steps.push({ label: '封顶', value: `${fenToYuan(s.cap_fen)} 元 → ${fenToYuan(s.capped_fen)} 元` })
    else if (s.capped_fen != null) steps.push({ label: '封顶', value: '无封顶' })
    if (s.amount_fen != null) {
      const r = s.rounding ? (ROUND_LABELS[s.rounding] ?? s.rounding) : ''
      steps.push({ label: '取整', value: `${fenToYuan(s.amount_fen)} 元${r ? `（${r}）` : ''}` })
    }
    amount = {
      formula: t.amount.formula,
      cap: t.amount.cap ?? null,
      fields: fieldLines(t.amount.reads, fields),
      params: (t.amount.reads?.params ?? []).map((p) => paramRow(p, regionName)),
      steps,
    }
  }
  return { conditions, amount }
}

/** The clause texts of the failed conditions, by their names. */
export function failedClauses(failed: unknown, trace: unknown): string[] {
  const names = Array.isArray(failed) ? (failed as string[]) : []
  const conds = ((trace ?? {}) as { conditions?: TraceCondition[] }).conditions ?? []
  return names.map((n) => conds.find((c) => c.name === n)?.clause ?? n)
}

/**
 * A field value from the editor as sent to the server, or the message to show by its row:
 * numbers as numbers, money typed in 元 as integer fen, dates as YYYY-MM-DD. Null when left
 * empty: the field is not sent, and a policy that needs it says so.
 */
export function fieldValue(kind: FieldInputKind, raw: unknown): { value: unknown } | { error: string } | null {
  if (kind === 'bool') return { value: raw === true }
  if (raw == null || (typeof raw === 'string' && raw.trim() === '')) return null
  if (kind === 'money') return yuanToFenNumber(String(raw))
  if (kind === 'number') {
    const n = typeof raw === 'number' ? raw : Number(raw)
    return Number.isFinite(n) ? { value: n } : { error: `“${raw}”不是数值` }
  }
  return { value: String(raw) }
}

/** The validity period: "2020-01-01 至 2020-12-31" or "2019-01-01 起". */
export function validity(p: Pick<PolicyView, 'valid_from' | 'valid_to'>): string {
  return p.valid_to ? `${p.valid_from} 至 ${p.valid_to}` : `${p.valid_from} 起`
}
