import { describe, expect, it } from 'vitest'
import {
  failedClauses,
  fieldInfos,
  fieldKind,
  fieldsOf,
  fieldValue,
  formatTyped,
  grantsText,
  unitLabel,
  localStandard,
  outcomeOf,
  policyFields,
  traceRows,
  validity,
} from './policy'

describe('fieldsOf', () => {
  it('finds subject fields once, not text in quotes nor params', () => {
    const expr = '(person.registered_unemployed\n && person.unemployed_months >= param("hiring_min_unemployed_months"))\n || person.graduate_of_year || person.unemployed_months > 0'
    expect(fieldsOf(expr)).toEqual(['person.registered_unemployed', 'person.unemployed_months', 'person.graduate_of_year'])
    expect(fieldsOf('hire.start_date >= date("2020-01-01") && x == "person.fake"')).toEqual(['hire.start_date'])
  })
  it('collects the fields of policies, sorted', () => {
    const p = {
      conditions: [{ name: 'a', clause: '', expr: 'hire.si_paid' }],
      amount: { formula: 'param("m") * hire.monthly_employer_si_fen', cap: 'enterprise.cap_fen', round: 'down_to_fen' },
    }
    expect(policyFields([p])).toEqual(['enterprise.cap_fen', 'hire.monthly_employer_si_fen', 'hire.si_paid'])
  })
})

describe('field inputs', () => {
  it('takes the input of each field from its declared type', () => {
    const declared = fieldInfos([
      { name: 'enterprise.in_difficulty', label: '暂时生产经营困难企业', kind: 'enterprise', type: 'bool', origin: '申报', codes: [] },
      { name: 'person.si_paid_fen', label: '本人实缴社会保险费', kind: 'person', type: 'money', origin: '申报', codes: [] },
      { name: 'person.age', label: '年龄（周岁）', kind: 'person', type: 'int', origin: '派生：出生日期', codes: [] },
      { name: 'hire.start_date', label: '招用日期', kind: 'hire', type: 'date', origin: '登记', codes: [] },
      { name: 'person.sex', label: '性别', kind: 'person', type: 'string', origin: '登记', codes: [{ code: 'male', label: '男' }] },
    ])
    expect(declared['enterprise.in_difficulty']).toEqual({ label: '暂时生产经营困难企业', kind: 'bool', codes: [] })
    expect(['enterprise.in_difficulty', 'person.si_paid_fen', 'person.age', 'hire.start_date', 'person.sex', 'person.unknown'].map((f) => fieldKind(f, declared)))
      .toEqual(['bool', 'money', 'number', 'date', 'text', 'text'])
  })

  it('converts editor values, money from 元 to fen', () => {
    expect(fieldValue('number', 12)).toEqual({ value: 12 })
    expect(fieldValue('number', 'x')).toEqual({ error: '“x”不是数值' })
    expect(fieldValue('number', undefined)).toBeNull()
    expect(fieldValue('money', ' ')).toBeNull()
    expect(fieldValue('bool', undefined)).toEqual({ value: false })
    expect(fieldValue('bool', true)).toEqual({ value: true })
    expect(fieldValue('date', '2020-06-01')).toEqual({ value: '2020-06-01' })
    expect(fieldValue('money', '1000.29')).toEqual({ value: 100029 })
    expect(fieldValue('money', '10.001')).toEqual({ error: '“10.001”不是金额（元，最多两位小数）' })
  })
})

describe('formatTyped', () => {
  it('formats typed values', () => {
    expect(formatTyped({ type: 'bool', value: true })).toBe('是')
    expect(formatTyped({ type: 'money', value: 100000 })).toBe('1,000.00 元')
    expect(formatTyped({ type: 'int', value: 6 }, '月')).toBe('6 月')
    expect(formatTyped({ type: 'string_list', value: ['a', 'b'] })).toBe('a、b')
    // Rates as percentages where exact, else the fraction.
    expect(formatTyped({ type: 'rate', value: '11/200' })).toBe('5.5%')
    expect(formatTyped({ type: 'rate', value: '3/10' })).toBe('30%')
    expect(formatTyped({ type: 'rate', value: '1' })).toBe('100%')
    expect(formatTyped({ type: 'rate', value: '2/3' })).toBe('2/3')
    expect(formatTyped({ type: 'rate', value: '-1/2' })).toBe('-50%')
    expect(formatTyped({})).toBe('—')
  })
})

describe('unitLabel', () => {
  it('shows money in 元, as its values are shown, and other units as they are', () => {
    expect(unitLabel({ type: 'money', unit: '分' })).toBe('元')
    expect(unitLabel({ type: 'int', unit: '月' })).toBe('月')
  })
})

describe('grantsText', () => {
  it('says how often a subject may receive the policy', () => {
    expect(grantsText({ once_per_subject: true, granted_per: null })).toBe('每个对象限享受一次')
    expect(grantsText({ once_per_subject: false, granted_per: 'year' })).toBe('每个对象每年一次')
    expect(grantsText({ once_per_subject: false, granted_per: 'month' })).toBe('每个对象每月一次')
    expect(grantsText({ once_per_subject: false, granted_per: null })).toBe('不限')
  })
})

describe('localStandard', () => {
  it('names the city without the province, its value and since when', () => {
    const l = { region: '2102', region_name: '辽宁省大连市', value: { type: 'int', value: 6 }, from: '2020-01-01', source: '' }
    expect(localStandard(l, '月')).toBe('大连市 6 月（2020-01-01 起）')
    const money = { region: '210102', region_name: '辽宁省沈阳市和平区', value: { type: 'money', value: 150000 }, from: '2020-03-01', source: '' }
    expect(localStandard(money)).toBe('沈阳市和平区 1,500.00 元（2020-03-01 起）')
  })
})

const TRACE = {
  conditions: [
    {
      name: 'target_group',
      clause: '登记失业半年以上人员',
      expr: 'person.unemployed_months >= param("m")',
      reads: {
        fields: [{ field: 'person.unemployed_months', value: { type: 'int', value: 8 } }],
        params: [{ name: 'm', value: { type: 'int', value: 6 }, region: '21', from: '2020-01-01', source: '辽政发〔2020〕9号' }],
      },
      result: true,
    },
    { name: 'si_paid', clause: '按规定缴纳社会保险', expr: 'hire.si_paid', reads: { fields: [], params: [] }, result: false },
  ],
  amount: {
    formula: 'x',
    cap: null,
    reads: { fields: [], params: [{ name: 'hiring_si_months', value: { type: 'int', value: 6 }, region: '2102', from: '2020-01-01', source: '大连' }] },
    steps: { exact_fen: '600000', cap_fen: null, capped_fen: '600000', rounding: 'down_to_fen', amount_fen: 600000 },
  },
}

describe('traceRows', () => {
  it('renders conditions and amount steps', () => {
    const names: Record<string, string> = { '21': '辽宁省', '2102': '大连市' }
    const rows = traceRows(TRACE, (c) => names[c] ?? c)
    expect(rows.conditions[0].title).toBe('✔ 登记失业半年以上人员（target_group）')
    expect(rows.conditions[0].fields).toEqual(['person.unemployed_months = 8'])
    expect(rows.conditions[0].params[0]).toEqual({ name: 'm', value: '6', region: '辽宁省', from: '2020-01-01', source: '辽政发〔2020〕9号' })
    expect(rows.conditions[1].title).toBe('✘ 按规定缴纳社会保险（si_paid）')
    expect(rows.amount?.params[0].region).toBe('大连市')
    expect(rows.amount?.steps).toEqual([
      { label: '精确值', value: '6,000.00 元' },
      { label: '封顶', value: '无封顶' },
      { label: '取整', value: '6,000.00 元（舍去到分）' },
    ])
  })
  it('names the values read by the labels of their fields, coded values by theirs', () => {
    const trace = {
      conditions: [
        {
          name: 'small',
          clause: '中小微企业',
          expr: 'enterprise.size_class in ["small"]',
          reads: { fields: [{ field: 'enterprise.size_class', value: { type: 'string', value: 'small' } }], params: [] },
          result: true,
        },
      ],
      amount: null,
    }
    const fields = { 'enterprise.size_class': { label: '企业规模', kind: 'text' as const, codes: [{ code: 'small', label: '小型' }] } }
    expect(traceRows(trace, undefined, fields).conditions[0].fields).toEqual(['企业规模（enterprise.size_class）= 小型'])
  })
  it('has no amount when not eligible', () => {
    expect(traceRows({ conditions: [], amount: null }).amount).toBeNull()
    expect(traceRows(null).conditions).toEqual([])
  })
  it('names the failed clauses and the outcome', () => {
    expect(failedClauses(['si_paid', 'other'], TRACE)).toEqual(['按规定缴纳社会保险', 'other'])
    expect(outcomeOf({ outcome: 'eligible' })).toBe('eligible')
    expect(outcomeOf({ outcome: 'eligible', error: 'x' })).toBe('error')
    expect(outcomeOf({})).toBe('error')
  })
  it('shows the validity', () => {
    expect(validity({ valid_from: '2020-01-01', valid_to: null })).toBe('2020-01-01 起')
    expect(validity({ valid_from: '2020-01-01', valid_to: '2020-12-31' })).toBe('2020-01-01 至 2020-12-31')
  })
})
