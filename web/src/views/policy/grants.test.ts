import { describe, expect, it } from 'vitest'
import {
  fundRows,
  confirmAllText,
  confirmSelectionText,
  excludedText,
  grantStatus,
  outcomeText,
  refusalRows,
  resultStatus,
  selectionTotal,
  unlistedText,
} from './grants'
import type { ScreeningResult } from './screening'

const names = new Map([['job-search', '求职创业补贴']])

const result = (id: number, amount_fen: number, grant_id: number | null = null): ScreeningResult => ({
  id,
  policy_id: 'job-search',
  subject_kind: 'person',
  subject_id: id,
  person_id: id,
  person_name: '张三',
  id_no_masked: '2101**********1234',
  enterprise_id: null,
  enterprise_name: null,
  credit_code: null,
  region: '210102',
  region_name: '辽宁省沈阳市和平区',
  amount_fen,
  grant_id,
})

describe('statuses', () => {
  it('tells a pending result from a confirmed one', () => {
    expect(resultStatus({ grant_id: null }).label).toBe('待确认')
    expect(resultStatus({ grant_id: 7 })).toEqual({ code: 'granted', label: '已确认', tag: 'success' })
  })
  it('tells a standing grant from a revoked one', () => {
    expect(grantStatus({ revoked_at: null })).toEqual({ code: 'standing', label: '有效', tag: 'success' })
    expect(grantStatus({ revoked_at: '2020-06-01T08:00:00Z' }).label).toBe('已撤销')
  })
})

describe('confirmation', () => {
  it('states the count and amount of a selection', () => {
    const rows = [result(1, 150000), result(2, 100050)]
    expect(selectionTotal(rows)).toEqual({ count: 2, amount_fen: 250050 })
    expect(selectionTotal([])).toEqual({ count: 0, amount_fen: 0 })
    expect(confirmSelectionText(rows)).toMatch(/^确认向所选 2 条结果发放补贴，金额 2,500\.50 元？/)
    expect(confirmAllText(35)).toMatch(/^确认当前筛选条件下全部 35 条待确认结果？/)
  })
  it('says what was confirmed and what was not', () => {
    expect(outcomeText({ granted: 3, amount_fen: 450000, refused: 0 })).toBe('已确认 3 人次，金额 4,500.00 元')
    expect(outcomeText({ granted: 0, amount_fen: 0, refused: 2 })).toBe('已确认 0 人次，金额 0.00 元；未确认 2 条')
  })
  it('notes the refusals the server did not list', () => {
    const refusals = [{ result_id: 1, policy_id: 'job-search', reason: '已享受' }]
    expect(unlistedText({ refused: 1, refusals })).toBe('')
    expect(unlistedText({ refused: 150, refusals })).toBe('另有 149 条未列出')
  })
  it('names the policy of a refusal, and its subject when the page showed it', () => {
    const refusals = [
      { result_id: 1, policy_id: 'job-search', reason: '该对象已享受求职创业补贴' },
      { result_id: 9, policy_id: 'gone', reason: '不在数据范围内' },
    ]
    expect(refusalRows(refusals, [result(1, 150000)], names)).toEqual([
      { result_id: 1, policy: '求职创业补贴', subject: '张三 2101**********1234', reason: '该对象已享受求职创业补贴' },
      { result_id: 9, policy: 'gone', subject: '', reason: '不在数据范围内' },
    ])
  })
})

describe('run totals', () => {
  it('shows the results left out by standing grants only when there are some', () => {
    expect(excludedText({ already_granted: 12 })).toBe('已享受排除 12')
    expect(excludedText({ already_granted: 0 })).toBe('')
    expect(excludedText(null)).toBe('')
  })
})

describe('by fund', () => {
  it('lists the policies of each fund, then its subtotal, the fund named once', () => {
    const funds = [
      {
        fund: '就业补助资金',
        grants: 3,
        amount_fen: 300000,
        policies: [
          { policy_id: 'a', name: '甲', grants: 2, amount_fen: 200000 },
          { policy_id: 'b', name: '乙', grants: 1, amount_fen: 100000 },
        ],
      },
      { fund: '失业保险基金', grants: 1, amount_fen: 5000, policies: [{ policy_id: 'c', name: '丙', grants: 1, amount_fen: 5000 }] },
    ]
    expect(fundRows(funds).map((r) => [r.fund, r.name, r.grants, r.subtotal])).toEqual([
      ['就业补助资金', '甲', 2, false],
      ['', '乙', 1, false],
      ['', '就业补助资金小计', 3, true],
      ['失业保险基金', '丙', 1, false],
      ['', '失业保险基金小计', 1, true],
    ])
  })
})
