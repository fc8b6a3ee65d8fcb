/**
 * Pure helpers of 政策筛查 (免申即享) and of the parameter form: a run's per-city × policy
 * summary turned into a table with row and column totals, run labels, and a parameter value
 * typed in the form turned into the JSON the server takes.
 */
import type { Schemas } from '@/api/client'
import { fenToYuan, formatCount, yuanToFenNumber } from '@/utils/money'

export type RunRow = Schemas['RunRow']
export type Summary = Schemas['Summary']
export type ScreeningResult = Schemas['ScreeningResult']

export interface Figures {
  beneficiaries: number
  amount_fen: number
}

export interface PivotColumn {
  policy_id: string
  name: string
}

export interface PivotRow {
  /** The city's 4-digit prefix, or '' for the total row. */
  city: string
  city_name: string
  /** By policy id; absent where the city has no beneficiary of the policy. */
  cells: Record<string, Figures>
  total: Figures
}

export interface Pivot {
  columns: PivotColumn[]
  rows: PivotRow[]
  /** 合计: each policy's total and the grand total, as the server states them. */
  total: PivotRow
}

const add = (a: Figures, b: Figures): Figures => ({
  beneficiaries: a.beneficiaries + b.beneficiaries,
  amount_fen: a.amount_fen + b.amount_fen,
})
const ZERO: Figures = { beneficiaries: 0, amount_fen: 0 }

/**
 * Cities as rows, policies as columns (in the catalogue's order, then any others), each row
 * with its total; the total row holds the server's per-policy and grand totals.
 */
export function pivot(s: Pick<Summary, 'cells' | 'by_policy' | 'total'>, names: Map<string, string>): Pivot {
  const ids = [...new Set(s.cells.map((c) => c.policy_id))]
  const order = [...names.keys()]
  const rank = (id: string) => (order.includes(id) ? order.indexOf(id) : order.length)
  ids.sort((a, b) => rank(a) - rank(b) || a.localeCompare(b))
  const columns = ids.map((policy_id) => ({ policy_id, name: names.get(policy_id) ?? policy_id }))
  const rows: PivotRow[] = []
  for (const c of s.cells) {
    let row = rows.find((r) => r.city === c.city)
    if (!row) {
      row = { city: c.city, city_name: c.city_name || c.city, cells: {}, total: ZERO }
      rows.push(row)
    }
    const f = { beneficiaries: c.beneficiaries, amount_fen: c.amount_fen }
    row.cells[c.policy_id] = f
    row.total = add(row.total, f)
  }
  rows.sort((a, b) => a.city.localeCompare(b.city))
  const cells: Record<string, Figures> = {}
  for (const t of s.by_policy) {
    if (t.policy_id) cells[t.policy_id] = { beneficiaries: t.beneficiaries, amount_fen: t.amount_fen }
  }
  const total = {
    city: '',
    city_name: '合计',
    cells,
    total: { beneficiaries: s.total.beneficiaries, amount_fen: s.total.amount_fen },
  }
  return { columns, rows, total }
}

/** Whether the rows add up to the total row (they do unless the data changed under us). */
export function addsUp(p: Pivot): boolean {
  const sum = p.rows.reduce((a, r) => add(a, r.total), ZERO)
  const same = (a: Figures, b: Figures) => a.beneficiaries === b.beneficiaries && a.amount_fen === b.amount_fen
  return (
    same(sum, p.total.total) &&
    p.columns.every((c) =>
      same(
        p.rows.reduce((a, r) => add(a, r.cells[c.policy_id] ?? ZERO), ZERO),
        p.total.cells[c.policy_id] ?? ZERO,
      ),
    )
  )
}

export const RUN_STATUS: Record<string, { label: string; tag: 'success' | 'danger' | 'warning' }> = {
  running: { label: '进行中', tag: 'warning' },
  done: { label: '已完成', tag: 'success' },
  failed: { label: '失败', tag: 'danger' },
}

/** "#3 2020-05-31 辽宁省 全部政策". */
export function runLabel(r: Pick<RunRow, 'id' | 'date' | 'region_name' | 'policy_id'>, names: Map<string, string>): string {
  const policy = r.policy_id ? (names.get(r.policy_id) ?? r.policy_id) : '全部政策'
  return `#${r.id} ${r.date} ${r.region_name} ${policy}`
}

/** The person or enterprise a result is about: "张三 2101**********1234", "某某公司", or both for a hire. */
export function subjectOf(r: Pick<ScreeningResult, 'person_name' | 'id_no_masked' | 'enterprise_name'>): string {
  const person = r.person_name ? `${r.person_name}${r.id_no_masked ? ` ${r.id_no_masked}` : ''}` : ''
  return [r.enterprise_name ?? '', person].filter(Boolean).join(' 招用 ')
}

export type ParamType = 'int' | 'money' | 'rate' | 'bool' | 'string' | 'date' | 'string_list'

/**
 * A parameter value typed in the form as the JSON the server takes, or an error message in
 * Chinese: money is typed in 元 and sent in integer 分; rates as "2/3", "0.5" or "50%".
 */
export function paramValue(type: string, raw: unknown): { value: unknown } | { error: string } {
  const text = typeof raw === 'string' ? raw.trim() : raw
  if (type === 'bool') return { value: raw === true }
  if (text === '' || text == null) return { error: '请填写取值' }
  switch (type) {
    case 'int': {
      const n = Number(text)
      return Number.isInteger(n) ? { value: n } : { error: `“${text}”不是整数` }
    }
    case 'money':
      return yuanToFenNumber(String(text))
    case 'rate':
      return /^(\d+\/\d+|\d+(\.\d+)?%?)$/.test(String(text))
        ? { value: String(text) }
        : { error: `“${text}”不是比例（如 2/3、0.5 或 50%）` }
    case 'date':
      return /^\d{4}-\d{2}-\d{2}$/.test(String(text)) ? { value: String(text) } : { error: `“${text}”不是日期` }
    case 'string_list':
      return {
        value: String(text)
          .split(/[,，、;；\s]+/)
          .filter(Boolean),
      }
    default:
      return { value: String(text) }
  }
}

/** The figures of a 政策模拟 row, or their sum. */
export interface WhatIfFigures {
  beneficiaries_before: number
  amount_fen_before: number
  beneficiaries_after: number
  amount_fen_after: number
}

/** The sum of the rows' figures: what the assumptions change in all. */
export function whatIfTotal(rows: WhatIfFigures[]): WhatIfFigures {
  const total = { beneficiaries_before: 0, amount_fen_before: 0, beneficiaries_after: 0, amount_fen_after: 0 }
  for (const r of rows) {
    total.beneficiaries_before += r.beneficiaries_before
    total.amount_fen_before += r.amount_fen_before
    total.beneficiaries_after += r.beneficiaries_after
    total.amount_fen_after += r.amount_fen_after
  }
  return total
}

/** A change as shown: "+2" / "−1" / "+1,200" / "0"; money in 元. */
export function signed(n: number, money = false): string {
  const text = money ? fenToYuan(Math.abs(n)) : formatCount(Math.abs(n))
  return n > 0 ? `+${text}` : n < 0 ? `−${text}` : text
}
