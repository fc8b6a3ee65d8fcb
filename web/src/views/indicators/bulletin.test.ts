import { describe, expect, it } from 'vitest'
import {
  completionCell,
  defaultMonth,
  lockFor,
  monthLabel,
  niceCeil,
  progressOption,
  rankingBars,
  rankingOption,
  rateBars,
  rateOption,
  regionPrefix,
  regionTrail,
  splitSections,
  yearOf,
  type Lock,
  type Row,
  type Section,
} from './bulletin'

const row = (region: string, name: string, value: number | null, rank: number | null = null, children = true): Row => ({
  region,
  name,
  cells: [name, value == null ? '—' : String(value)],
  chart_value: value,
  rank,
  has_children: children,
})

const section = (code: string, measure: string, rows: Row[], control_line: number | null = null): Section => ({
  code,
  name: code,
  unit: measure === 'rate' ? '%' : '人',
  measure,
  as_of: '2020-05',
  columns: ['地区', '数值'],
  total: row('210000', '辽宁省', 1, null),
  rows,
  control_line,
})

const FLOW_COLUMNS = ['地区', '1月至本月累计（人）', '年度目标（人）', '完成率', '与序时进度差（百分点）', '去年同期（人）', '同比', '排名']

/** A row of 城镇新增就业 as the server prints it: with a target, completion is the chart value. */
const flowRow = (region: string, name: string, count: number, target: number | null, rank: number): Row => {
  const completion = target ? (count / target) * 100 : null
  return {
    region,
    name,
    cells: [name, String(count), target ? String(target) : '—', completion == null ? '—' : `${completion.toFixed(1)}%`, '—', '—', '—', String(rank)],
    chart_value: completion ?? count,
    rank,
    has_children: target != null,
  }
}

const flow = (rows: Row[]): Section => ({ ...section('new_urban_employment', 'flow', rows), columns: FLOW_COLUMNS })

const lock = (region: string, month: string): Lock => ({ region, month, locked_by: 'demo', locked_at: '2020-06-01T00:00:00Z' })

describe('months', () => {
  it('starts at the month of the business date, else May 2020', () => {
    expect(defaultMonth('2020-05-31')).toBe('2020-05')
    expect(defaultMonth('2021-11-02')).toBe('2021-11')
    expect(defaultMonth(undefined)).toBe('2020-05')
    expect(defaultMonth('')).toBe('2020-05')
  })

  it('labels a month in Chinese and finds its year', () => {
    expect(monthLabel('2020-03')).toBe('2020年3月')
    expect(monthLabel('2020-12')).toBe('2020年12月')
    expect(yearOf('2020-05')).toBe(2020)
  })
})

describe('locks', () => {
  it('takes the subtree prefix of a region code', () => {
    expect(regionPrefix('210000')).toBe('21')
    expect(regionPrefix('210100')).toBe('2101')
    expect(regionPrefix('210102')).toBe('210102')
  })

  it('finds the lock of the region or of an ancestor, for that month only', () => {
    const locks = [lock('210000', '2020-04'), lock('210100', '2020-05')]
    expect(lockFor(locks, '210000', '2020-04')?.region).toBe('210000')
    expect(lockFor(locks, '210102', '2020-04')?.region).toBe('210000') // the province's publication covers 沈阳
    expect(lockFor(locks, '210100', '2020-05')?.region).toBe('210100')
    expect(lockFor(locks, '210102', '2020-05')?.region).toBe('210100')
    expect(lockFor(locks, '210200', '2020-05')).toBeUndefined() // 沈阳's lock does not cover 大连
    expect(lockFor(locks, '210000', '2020-05')).toBeUndefined() // nor the province
    expect(lockFor([], '210000', '2020-05')).toBeUndefined()
  })
})

describe('sections', () => {
  it('puts 城镇新增就业 on its own, rates with their charts, the rest in tabs', () => {
    const sections = [
      section('new_urban_employment', 'flow', []),
      section('reemployed', 'flow', []),
      section('registered_unemployment_rate', 'rate', []),
      section('registered_unemployed', 'stock', []),
      section('surveyed_unemployment_rate', 'rate', []),
    ]
    const { ranking, rates, others } = splitSections(sections)
    expect(ranking?.code).toBe('new_urban_employment')
    expect(rates.map((s) => s.code)).toEqual(['registered_unemployment_rate', 'surveyed_unemployment_rate'])
    expect(others.map((s) => s.code)).toEqual(['reemployed', 'registered_unemployed'])
  })

  it('copes with a bulletin without the ranking section', () => {
    const { ranking, others } = splitSections([section('reemployed', 'flow', [])])
    expect(ranking).toBeUndefined()
    expect(others).toHaveLength(1)
  })

  it('ranks the cities by completion of their targets, best first, labelled as the table prints it', () => {
    const s = flow([
      flowRow('210100', '沈阳市', 40_200, 100_000, 2),
      { ...flowRow('210200', '大连市', 0, 95_000, 0), cells: ['大连市', '—', '95000', '—', '—', '—', '—', '—'], chart_value: null },
      flowRow('210300', '鞍山市', 15_300, 30_000, 1),
      flowRow('210400', '抚顺市', 2_125, 17_000, 3),
    ])
    const chart = rankingBars(s)
    expect(chart.percent).toBe(true)
    expect(chart.bars.map((b) => b.row.name)).toEqual(['鞍山市', '沈阳市', '抚顺市']) // 大连 has no figure
    expect(chart.bars.map((b) => b.label)).toEqual(['51.0%', '40.2%', '12.5%'])
    expect(s.rows.map((r) => r.name)).toEqual(['沈阳市', '大连市', '鞍山市', '抚顺市']) // not sorted in place
  })

  it('ranks districts without targets by their counts', () => {
    const s = flow([flowRow('210102', '和平区', 7, null, 1), flowRow('210103', '沈河区', 3, null, 5), flowRow('210104', '大东区', 6, null, 2)])
    expect(completionCell(s, s.rows[0])).toBeUndefined()
    const chart = rankingBars(s)
    expect(chart.percent).toBe(false)
    expect(chart.bars.map((b) => [b.row.name, b.label])).toEqual([
      ['和平区', '7'],
      ['大东区', '6'],
      ['沈河区', '3'],
    ])
  })

  it('finds the completion cell only for counts with a target', () => {
    const s = flow([flowRow('210100', '沈阳市', 52, 105_000, 1)])
    expect(completionCell(s, s.rows[0])).toBe('0.0%')
    const rate = section('registered_unemployment_rate', 'rate', [row('210100', '沈阳市', 4.04)])
    expect(completionCell(rate, rate.rows[0])).toBeUndefined()
  })

  it('keeps the subregions of a rate in the table order, labelled with the printed rate', () => {
    const s = section('registered_unemployment_rate', 'rate', [row('210100', '沈阳市', 4.04), row('210200', '大连市', null), row('210300', '鞍山市', 4.4)])
    const chart = rateBars(s)
    expect(chart.bars.map((b) => [b.row.name, b.label])).toEqual([
      ['沈阳市', '4.04'],
      ['鞍山市', '4.4'],
    ])
  })
})

describe('chart options', () => {
  it('draws completion against 序时进度 by month', () => {
    const option = progressOption([
      { month: '2020-01', completion: 9.04, time_progress: 8.333333, cumulative: 38, last_year_cumulative: 43 },
      { month: '2020-02', completion: null, time_progress: 16.666667, cumulative: null, last_year_cumulative: null },
    ])
    expect(option.xAxis).toMatchObject({ type: 'category', data: ['2020-01', '2020-02'] })
    const series = option.series as { name: string; type: string; data: (number | null)[] }[]
    expect(series.map((s) => [s.name, s.type])).toEqual([
      ['完成进度', 'line'],
      ['序时进度', 'line'],
    ])
    expect(series[0].data).toEqual([9.04, null])
    expect(series[1].data).toEqual([8.33, 16.67])
  })

  it('draws the ranking as horizontal bars, best at the top, with the 序时进度 line', () => {
    const chart = rankingBars(flow([flowRow('210100', '沈阳市', 40_200, 100_000, 2), flowRow('210300', '鞍山市', 15_300, 30_000, 1)]))
    const option = rankingOption(chart, 41.666667)
    expect(option.yAxis).toMatchObject({ type: 'category', inverse: true, data: ['鞍山市', '沈阳市'] })
    expect(option.xAxis).toMatchObject({ type: 'value', axisLabel: { formatter: '{value}%' } })
    const [bar] = option.series as {
      type: string
      data: number[]
      label: { formatter: (p: { dataIndex: number }) => string }
      markLine?: { data: { xAxis: number }[] }
    }[]
    expect(bar.type).toBe('bar')
    expect(bar.data).toEqual([51, 40.2])
    expect(bar.label.formatter({ dataIndex: 0 })).toBe('51.0%')
    expect(bar.markLine?.data).toEqual([{ xAxis: 41.67 }])
    const max = (option.xAxis as { max: (v: { max: number }) => number }).max
    expect(max({ max: 0.09 })).toBeGreaterThanOrEqual(41.67) // the line shows even when all bars are short
    expect(max({ max: 87 })).toBeGreaterThanOrEqual(87)
    const [plain] = rankingOption(chart, null).series as { markLine?: unknown }[]
    expect(plain.markLine).toBeUndefined()
  })

  it('draws counts without the 序时进度 line or percent signs', () => {
    const chart = rankingBars(flow([flowRow('210102', '和平区', 7, null, 1)]))
    const option = rankingOption(chart, 41.7)
    const [bar] = option.series as { markLine?: unknown }[]
    expect(bar.markLine).toBeUndefined()
    expect(option.xAxis).toMatchObject({ axisLabel: { formatter: '{value}' } })
  })

  it('rounds a percentage axis up', () => {
    expect(niceCeil(41.67)).toBe(50)
    expect(niceCeil(96)).toBe(110)
    expect(niceCeil(4.9)).toBe(6)
    expect(niceCeil(0)).toBe(1)
  })

  it('draws a rate with its control target as a line, bars above it in red', () => {
    const s = section('registered_unemployment_rate', 'rate', [row('210100', '沈阳市', 4.04), row('210200', '大连市', 4.9)], 4.5)
    const option = rateOption(s, rateBars(s))
    expect(option.xAxis).toMatchObject({ type: 'category', data: ['沈阳市', '大连市'] })
    const [bar] = option.series as {
      data: { value: number; itemStyle: { color: string } }[]
      markLine?: { data: { yAxis: number }[] }
    }[]
    expect(bar.data.map((d) => d.value)).toEqual([4.04, 4.9])
    expect(bar.data[0].itemStyle.color).not.toBe(bar.data[1].itemStyle.color)
    expect(bar.markLine?.data).toEqual([{ yAxis: 4.5 }])
    expect((option.yAxis as { max: number }).max).toBeGreaterThan(4.9)
  })

  it('draws a rate without a control target without the line', () => {
    const s = section('x_rate', 'rate', [row('210100', '沈阳市', 3)])
    const [bar] = rateOption(s, rateBars(s)).series as { markLine?: unknown }[]
    expect(bar.markLine).toBeUndefined()
  })

  it('shows the region and printed figure in the tooltip', () => {
    const s = section('registered_unemployment_rate', 'rate', [row('210100', '沈阳市', 4.04)], 4.5)
    const tooltip = rateOption(s, rateBars(s)).tooltip as { formatter: (p: unknown) => string }
    expect(tooltip.formatter([{ dataIndex: 0 }])).toBe('沈阳市：4.04')
  })
})

describe('regionTrail', () => {
  it('climbs the known parents to the top', () => {
    const parents = new Map<string, string | null>([
      ['210000', null],
      ['210100', '210000'],
    ])
    const names = new Map([
      ['210000', '辽宁省'],
      ['210100', '沈阳市'],
      ['210102', '和平区'],
    ])
    expect(regionTrail('210100', parents, names)).toEqual([
      { region: '210000', name: '辽宁省' },
      { region: '210100', name: '沈阳市' },
    ])
    expect(regionTrail('210000', parents, names)).toEqual([{ region: '210000', name: '辽宁省' }])
  })

  it('stops at a parent whose name is unknown (a region opened by its address)', () => {
    const parents = new Map<string, string | null>([['210102', '210100']])
    const names = new Map([['210102', '和平区']])
    expect(regionTrail('210102', parents, names)).toEqual([{ region: '210102', name: '和平区' }])
  })
})
