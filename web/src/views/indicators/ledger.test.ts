import { describe, expect, it } from 'vitest'
import type { Schemas } from '@/api/client'
import {
  catalogueEntries,
  checkIndicatorCode,
  definitionOf,
  formatTarget,
  formatTime,
  formatValue,
  inputText,
  isZero,
  newSupplied,
  parseRatio,
  regionCodeOf,
  rowLock,
  sourceTag,
  totalNote,
  trimDecimals,
  yearsAround,
  type CatalogueEntry,
  type Lock,
} from './ledger'

const lock = (region: string, month: string): Lock => ({
  region,
  month,
  locked_by: 'admin',
  locked_at: '2020-06-05T08:00:00Z',
})

describe('parseRatio', () => {
  it('reads integers, fractions and decimals', () => {
    expect(parseRatio('151600')).toBe(151600)
    expect(parseRatio('13/200')).toBeCloseTo(0.065)
    expect(parseRatio('-7/2')).toBe(-3.5)
    expect(parseRatio('6.5')).toBe(6.5)
    expect(parseRatio(' 0 ')).toBe(0)
  })
  it('refuses anything else', () => {
    expect(parseRatio('')).toBeNull()
    expect(parseRatio(null)).toBeNull()
    expect(parseRatio('1/0')).toBeNull()
    expect(parseRatio('abc')).toBeNull()
    expect(parseRatio('5%')).toBeNull()
  })
})

describe('formatValue', () => {
  it('prints rates in percent with at most two decimals', () => {
    expect(formatValue('13/200', 'rate', '%')).toBe('6.5%')
    expect(formatValue('11/200', 'rate', '%')).toBe('5.5%')
    expect(formatValue('1/3', 'rate', '%')).toBe('33.33%')
    expect(formatValue('3/100', 'rate')).toBe('3%')
    expect(formatValue('1/30000', 'rate', '%')).toBe('0%')
  })
  it('prints counts and ranks as integers with the unit', () => {
    expect(formatValue('151600', 'flow', '人')).toBe('151,600人')
    expect(formatValue('303/2', 'stock', '人')).toBe('152人')
    expect(formatValue('8', 'rank', '位')).toBe('8位')
    expect(formatValue('12', 'flow')).toBe('12')
    expect(formatValue('-1/3', 'flow', '人')).toBe('0人')
  })
  it('shows unreadable values as they are, missing ones as a dash', () => {
    expect(formatValue('n/a', 'flow', '人')).toBe('n/a')
    expect(formatValue('', 'flow', '人')).toBe('—')
  })
})

describe('formatTarget', () => {
  it('adds 左右 to an approximate target', () => {
    expect(formatTarget('11/200', 'rate', '%', true)).toBe('5.5%左右')
    expect(formatTarget('420000', 'flow', '人', false)).toBe('420,000人')
    expect(formatTarget('', 'flow', '人', true)).toBe('—')
  })
})

describe('inputText', () => {
  it('gives a rate back in percent and a count as an integer', () => {
    expect(inputText('13/200', 'rate')).toBe('6.5')
    expect(inputText('151600', 'stock')).toBe('151600')
    expect(inputText('odd', 'stock')).toBe('odd')
  })
})

describe('small helpers', () => {
  it('trims decimals', () => {
    expect(trimDecimals(6.5)).toBe('6.5')
    expect(trimDecimals(7)).toBe('7')
    expect(trimDecimals(-0.001)).toBe('0')
    expect(trimDecimals(1.005, 4)).toBe('1.005')
  })
  it('tells a zero difference', () => {
    expect(isZero('0')).toBe(true)
    expect(isZero('0/1')).toBe(true)
    expect(isZero('-500')).toBe(false)
    expect(isZero(null)).toBe(false)
  })
  it('turns a cascader prefix into a region code', () => {
    expect(regionCodeOf('21')).toBe('210000')
    expect(regionCodeOf('2101')).toBe('210100')
    expect(regionCodeOf('210102')).toBe('210102')
    expect(regionCodeOf('')).toBe('')
    expect(regionCodeOf(undefined)).toBe('')
  })
  it('labels sources', () => {
    expect(sourceTag('corrected')).toEqual({ label: '更正', type: 'warning' })
    expect(sourceTag('imported').label).toBe('导入')
    expect(sourceTag('other')).toEqual({ label: 'other', type: 'info' })
  })
  it('formats times to the minute and keeps other text', () => {
    expect(formatTime('2020-06-05T08:03:00')).toBe('2020-06-05 08:03')
    expect(formatTime('')).toBe('')
    expect(formatTime('不是时间')).toBe('不是时间')
  })
  it('offers the years around this one', () => {
    expect(yearsAround(2020)).toEqual([2021, 2020, 2019, 2018, 2017])
  })
  it('checks new indicator codes as the server does', () => {
    expect(checkIndicatorCode('rural_transfer_2')).toBeNull()
    expect(checkIndicatorCode('')).toBe('请输入指标代码')
    expect(checkIndicatorCode('Rural')).toMatch(/格式错误/)
    expect(checkIndicatorCode('a-b')).toMatch(/格式错误/)
  })
})

describe('rowLock', () => {
  const locks = [lock('210000', '2020-04'), lock('210200', '2020-05')]
  it('finds the publication of the row’s region or an ancestor', () => {
    expect(rowLock(locks, { region: '210100', month: '2020-04' })?.region).toBe('210000')
    expect(rowLock(locks, { region: '210000', month: '2020-04' })?.region).toBe('210000')
    expect(rowLock(locks, { region: '210203', month: '2020-05' })?.region).toBe('210200')
  })
  it('finds none for an unpublished month or another subtree', () => {
    expect(rowLock(locks, { region: '210100', month: '2020-05' })).toBeUndefined()
    expect(rowLock(locks, { region: '220100', month: '2020-04' })).toBeUndefined()
  })
})

describe('catalogue', () => {
  const view = {
    code: 'urban_employed',
    name: '城镇从业人员数',
    unit: '人',
    origin: 'supplied',
    measure: 'stock',
    direction: 'higher_is_better',
    frequency: 'monthly',
    derivation: null,
    has_target: false,
    description: '统计部门提供',
    sort: 70,
    enabled: true,
    origin_label: '导入或填报',
    measure_label: '期末时点',
    aggregation_label: '本级填报优先，否则下级加总',
  } as Schemas['IndicatorView']

  it('reads the flattened definition with its labels', () => {
    const [e] = catalogueEntries([view])
    expect(e.measure).toBe('stock')
    expect(e.origin).toBe('supplied')
    expect(e.sort).toBe(70)
    expect(e.aggregation_label).toBe('本级填报优先，否则下级加总')
  })

  it('gives back the definition without the labels', () => {
    const def = definitionOf(catalogueEntries([view])[0])
    expect(Object.keys(def).sort()).toEqual(
      ['code', 'derivation', 'description', 'direction', 'enabled', 'frequency', 'has_target', 'measure', 'name', 'origin', 'sort', 'unit'],
    )
    expect(def).not.toHaveProperty('origin_label')
  })

  it('defaults what the entry leaves out', () => {
    const [e] = catalogueEntries([{ code: 'x', name: 'X', unit: '人', origin_label: '', measure_label: '', aggregation_label: '' }])
    expect(e).toMatchObject({ origin: 'supplied', measure: 'flow', enabled: true, has_target: false, derivation: null })
  })

  it('makes a new supplied indicator like the server', () => {
    expect(newSupplied(' rural ', ' 农村转移 ', '人', 'flow')).toMatchObject({
      code: 'rural',
      name: '农村转移',
      origin: 'supplied',
      direction: 'higher_is_better',
      frequency: 'monthly',
      sort: 1000,
      enabled: true,
    })
  })
})

describe('totalNote', () => {
  const entry = (code: string, name: string, aggregation_label: string, derivation: Record<string, unknown> | null = null) =>
    [code, { code, name, aggregation_label, derivation } as unknown as CatalogueEntry] as const
  const codes = new Map([
    entry('new_urban_employment', '城镇新增就业人数', '由汇总后的组成指标计算', { kind: 'difference', minuend: 'urban_newly_employed', subtrahend: 'natural_attrition' }),
    entry('urban_newly_employed', '城镇新就业人数', '县→市→省逐级加总'),
    entry('natural_attrition', '自然减员人数', '本级填报优先，否则下级加总'),
    entry('registered_unemployment_rate', '城镇登记失业率', '由汇总后的组成指标计算', { kind: 'share_of_sum', part: 'registered_unemployed', rest: 'urban_employed' }),
    entry('registered_unemployed', '登记失业人数', '县→市→省逐级加总'),
  ])

  it('explains a difference from the catalogue definition', () => {
    expect(totalNote('new_urban_employment', codes, '沈阳市')).toBe(
      '沈阳市行按指标定义计算：城镇新增就业人数 = 城镇新就业人数（县→市→省逐级加总） − 自然减员人数（本级填报优先，否则下级加总），不是上面各地区城镇新增就业人数之和，两者可以不相等。',
    )
  })

  it('explains a rate, naming an unknown component by its code', () => {
    expect(totalNote('registered_unemployment_rate', codes, '辽宁省')).toBe(
      '辽宁省行按指标定义由汇总后的组成指标计算：城镇登记失业率 = 登记失业人数（县→市→省逐级加总） ÷（urban_employed + 登记失业人数（县→市→省逐级加总）），不是上面各地区比率的合计或平均。',
    )
  })

  it('says nothing of summed indicators or unknown codes', () => {
    expect(totalNote('urban_newly_employed', codes, '沈阳市')).toBe('')
    expect(totalNote('nope', codes, '沈阳市')).toBe('')
  })
})
