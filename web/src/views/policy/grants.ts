/**
 * Pure helpers of 补贴发放 (确认发放 of screening results, 发放台账): the status labels of a result
 * and of a grant, what a selection of results adds up to, and a confirmation's outcome in words.
 */
import type { Schemas } from '@/api/client'
import { fenToYuan } from '@/utils/money'
import { subjectOf, type ScreeningResult } from './screening'

export type GrantRow = Schemas['GrantRow']
export type GrantOutcome = Schemas['GrantOutcome']
export type GrantRequest = Schemas['GrantRequest']
export type GrantRefusal = Schemas['GrantRefusal']
export type RunTotals = Schemas['RunTotals']
export type FundTotal = Schemas['FundTotal']

type TagType = 'success' | 'warning' | 'info'

/** A screening result's status (the result list's `status` filter): pending until confirmed as a grant. */
export const RESULT_STATUSES: { code: 'pending' | 'granted'; label: string; tag: TagType }[] = [
  { code: 'pending', label: '待确认', tag: 'warning' },
  { code: 'granted', label: '已确认', tag: 'success' },
]

/** A grant's status (the ledger's `status` filter): standing until revoked. */
export const GRANT_STATUSES: { code: 'standing' | 'revoked'; label: string; tag: TagType }[] = [
  { code: 'standing', label: '有效', tag: 'success' },
  { code: 'revoked', label: '已撤销', tag: 'info' },
]

/** A result's status: confirmed while a standing grant holds it. */
export function resultStatus(r: Pick<ScreeningResult, 'grant_id'>) {
  return RESULT_STATUSES[r.grant_id == null ? 0 : 1]
}

/** A grant's status: revoked once it has a revocation time. */
export function grantStatus(g: Pick<GrantRow, 'revoked_at'>) {
  return GRANT_STATUSES[g.revoked_at == null ? 0 : 1]
}

/** The count and amount of the selected results. */
export function selectionTotal(rows: Pick<ScreeningResult, 'amount_fen'>[]): { count: number; amount_fen: number } {
  return { count: rows.length, amount_fen: rows.reduce((s, r) => s + r.amount_fen, 0) }
}

/** The question before confirming the selected results. */
export function confirmSelectionText(rows: Pick<ScreeningResult, 'amount_fen'>[]): string {
  const t = selectionTotal(rows)
  return `确认向所选 ${t.count} 条结果发放补贴，金额 ${fenToYuan(t.amount_fen)} 元？确认后记入发放台账。`
}

/** The question before confirming every pending result the filters select. */
export function confirmAllText(pending: number): string {
  return `确认当前筛选条件下全部 ${pending} 条待确认结果？确认后记入发放台账。`
}

/** "已确认 3 人次，金额 4,500.00 元；未确认 2 条". */
export function outcomeText(o: Pick<GrantOutcome, 'granted' | 'amount_fen' | 'refused'>): string {
  const done = `已确认 ${o.granted} 人次，金额 ${fenToYuan(o.amount_fen)} 元`
  return o.refused ? `${done}；未确认 ${o.refused} 条` : done
}

/** The refusals the server did not list (it lists at most 100), as a note, or ''. */
export function unlistedText(o: Pick<GrantOutcome, 'refused' | 'refusals'>): string {
  const rest = o.refused - o.refusals.length
  return rest > 0 ? `另有 ${rest} 条未列出` : ''
}

export interface RefusalRow {
  result_id: number
  policy: string
  /** The result's subject when it was on the page confirmed from, else ''. */
  subject: string
  reason: string
}

/** The refusals for display: the policy by name, the subject when the page showed the result. */
export function refusalRows(
  refusals: GrantRefusal[],
  shown: ScreeningResult[],
  names: Map<string, string>,
): RefusalRow[] {
  const byId = new Map(shown.map((r) => [r.id, r]))
  return refusals.map((f) => {
    const r = byId.get(f.result_id)
    return {
      result_id: f.result_id,
      policy: names.get(f.policy_id) ?? f.policy_id,
      subject: r ? subjectOf(r) : '',
      reason: f.reason,
    }
  })
}

/** "已享受排除 12": the subjects a run left out because a standing grant already covers them; '' for none. */
export function excludedText(t: Pick<RunTotals, 'already_granted'> | null | undefined): string {
  return t?.already_granted ? `已享受排除 ${t.already_granted}` : ''
}

/** A row of the ledger's summary by fund (资金监管): a policy, or a fund's subtotal after its policies. */
export interface FundRow {
  /** The fund, on its first policy's row only. */
  fund: string
  name: string
  grants: number
  amount_fen: number
  subtotal: boolean
}

/** The by-fund summary as table rows: each fund's policies, then the fund's subtotal. */
export function fundRows(funds: FundTotal[]): FundRow[] {
  return funds.flatMap((f) => [
    ...f.policies.map((p, i) => ({ fund: i === 0 ? f.fund : '', name: p.name, grants: p.grants, amount_fen: p.amount_fen, subtotal: false })),
    { fund: '', name: `${f.fund}小计`, grants: f.grants, amount_fen: f.amount_fen, subtotal: true },
  ])
}
