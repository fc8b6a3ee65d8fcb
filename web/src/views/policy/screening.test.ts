import { describe, expect, it } from 'vitest'
import { addsUp, paramValue, pivot, runLabel, signed, subjectOf, whatIfTotal } from './screening'

const names = new Map([
  ['hiring-si', '一次性吸纳就业补贴'],
  ['job-search', '求职创业补贴'],
])

const summary = {
  cells: [
    { city: '2102', city_name: '大连市', policy_id: 'job-search', beneficiaries: 1, amount_fen: 150000 },
    { city: '2101', city_name: '沈阳市', policy_id: 'job-search', beneficiaries: 2, amount_fen: 200000 },
    { city: '2101', city_name: '沈阳市', policy_id: 'hiring-si', beneficiaries: 3, amount_fen: 30000 },
    { city: '2101', city_name: '沈阳市', policy_id: 'zz-unknown', beneficiaries: 1, amount_fen: 1 },
  ],
  by_policy: [
    { policy_id: 'hiring-si', beneficiaries: 3, amount_fen: 30000 },
    { policy_id: 'job-search', beneficiaries: 3, amount_fen: 350000 },
    { policy_id: 'zz-unknown', beneficiaries: 1, amount_fen: 1 },
  ],
  total: { policy_id: null, beneficiaries: 7, amount_fen: 380001 },
}

describe('pivot', () => {
  it('puts cities in rows and policies in columns in the catalogue order, with totals', () => {
    const p = pivot(summary, names)
    expect(p.columns.map((c) => c.name)).toEqual(['一次性吸纳就业补贴', '求职创业补贴', 'zz-unknown'])
    expect(p.rows.map((r) => r.city_name)).toEqual(['沈阳市', '大连市'])
    expect(p.rows[0].total).toEqual({ beneficiaries: 6, amount_fen: 230001 })
    expect(p.rows[1].cells['hiring-si']).toBeUndefined()
    expect(p.total.city_name).toBe('合计')
    expect(p.total.cells['job-search']).toEqual({ beneficiaries: 3, amount_fen: 350000 })
    expect(p.total.total).toEqual({ beneficiaries: 7, amount_fen: 380001 })
    expect(addsUp(p)).toBe(true)
  })
  it('tells when the rows do not add up to the totals', () => {
    const wrong = { ...summary, total: { ...summary.total, amount_fen: 380000 } }
    expect(addsUp(pivot(wrong, names))).toBe(false)
    const column = {
      ...summary,
      by_policy: summary.by_policy.map((t) => (t.policy_id === 'hiring-si' ? { ...t, beneficiaries: 4 } : t)),
    }
    expect(addsUp(pivot(column, names))).toBe(false)
  })
  it('is empty without results', () => {
    const p = pivot({ cells: [], by_policy: [], total: { policy_id: null, beneficiaries: 0, amount_fen: 0 } }, names)
    expect(p.rows).toEqual([])
    expect(p.columns).toEqual([])
    expect(addsUp(p)).toBe(true)
  })
})

describe('labels', () => {
  it('names a run and a result subject', () => {
    expect(runLabel({ id: 3, date: '2020-05-31', region_name: '辽宁省', policy_id: null }, names)).toBe(
      '#3 2020-05-31 辽宁省 全部政策',
    )
    expect(runLabel({ id: 4, date: '2020-05-31', region_name: '大连市', policy_id: 'job-search' }, names)).toBe(
      '#4 2020-05-31 大连市 求职创业补贴',
    )
    expect(subjectOf({ person_name: '张三', id_no_masked: '2101**********1234', enterprise_name: null })).toBe(
      '张三 2101**********1234',
    )
    expect(subjectOf({ person_name: null, id_no_masked: null, enterprise_name: '某厂' })).toBe('某厂')
    expect(subjectOf({ person_name: '李四', id_no_masked: '2102**********5678', enterprise_name: '某厂' })).toBe(
      '某厂 招用 李四 2102**********5678',
    )
  })
})

describe('paramValue', () => {
  it('sends money typed in 元 as integer 分', () => {
    expect(paramValue('money', '1500')).toEqual({ value: 150000 })
    expect(paramValue('money', '1234.5')).toEqual({ value: 123450 })
    expect(paramValue('money', '0.07')).toEqual({ value: 7 })
    expect(paramValue('money', '12.345')).toEqual({ error: '“12.345”不是金额（元，最多两位小数）' })
  })
  it('checks integers, rates and dates and names what is wrong', () => {
    expect(paramValue('int', '6')).toEqual({ value: 6 })
    expect(paramValue('int', '6.5')).toEqual({ error: '“6.5”不是整数' })
    expect(paramValue('int', '')).toEqual({ error: '请填写取值' })
    expect(paramValue('rate', '2/3')).toEqual({ value: '2/3' })
    expect(paramValue('rate', '50%')).toEqual({ value: '50%' })
    expect(paramValue('rate', 'half')).toEqual({ error: '“half”不是比例（如 2/3、0.5 或 50%）' })
    expect(paramValue('date', '2020-12-31')).toEqual({ value: '2020-12-31' })
    expect(paramValue('date', '31/12/2020')).toEqual({ error: '“31/12/2020”不是日期' })
  })
  it('takes booleans, strings and lists', () => {
    expect(paramValue('bool', true)).toEqual({ value: true })
    expect(paramValue('bool', false)).toEqual({ value: false })
    expect(paramValue('string', ' x ')).toEqual({ value: 'x' })
    expect(paramValue('string_list', 'a、b，c')).toEqual({ value: ['a', 'b', 'c'] })
  })
})

describe('what-if', () => {
  const row = (bb: number, fb: number, ba: number, fa: number) => ({
    beneficiaries_before: bb,
    amount_fen_before: fb,
    beneficiaries_after: ba,
    amount_fen_after: fa,
  })
  it('sums the figures of every policy and city', () => {
    expect(whatIfTotal([row(1, 400000, 1, 600000), row(3, 100, 2, 50)])).toEqual(row(4, 400100, 3, 600050))
    expect(whatIfTotal([])).toEqual(row(0, 0, 0, 0))
  })
  it('shows a change with its sign, money in yuan', () => {
    expect(signed(2)).toBe('+2')
    expect(signed(-1)).toBe('−1')
    expect(signed(1200)).toBe('+1,200')
    expect(signed(0)).toBe('0')
    expect(signed(200000, true)).toBe('+2,000.00')
    expect(signed(-150, true)).toBe('−1.50')
  })
})
