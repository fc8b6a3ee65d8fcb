/**
 * Pure helpers of the indicators page (指标调度): which sections go where, the ECharts options
 * built from a bulletin, published-month locks. Only ECharts' types are imported here, so the
 * page's own chunk stays small; the library itself loads with the chart component.
 */
import type { ComposeOption } from 'echarts/core'
import type { BarSeriesOption, LineSeriesOption } from 'echarts/charts'
import type {
  GridComponentOption,
  LegendComponentOption,
  MarkLineComponentOption,
  TooltipComponentOption,
} from 'echarts/components'
import type { Schemas } from '@/api/client'

export type Bulletin = Schemas['BulletinView']
export type Section = Schemas['SectionView']
export type Row = Schemas['RowView']
export type Trend = Schemas['TrendView']
export type Lock = Schemas['Lock']

export type ChartOption = ComposeOption<
  | BarSeriesOption
  | LineSeriesOption
  | GridComponentOption
  | LegendComponentOption
  | MarkLineComponentOption
  | TooltipComponentOption
>

/** The section whose completion rates rank the subregions (城镇新增就业). */
export const RANKING_SECTION = 'new_urban_employment'

/** The month shown first: the month of the business date (YYYY-MM-DD), else May 2020. */
export function defaultMonth(businessDate?: string | null): string {
  const m = /^(\d{4}-\d{2})/.exec(businessDate ?? '')
  return m ? m[1] : '2020-05'
}

/** A month (YYYY-MM) as 2020年5月. */
export function monthLabel(month: string): string {
  const m = /^(\d{4})-(\d{2})$/.exec(month)
  return m ? `${m[1]}年${Number(m[2])}月` : month
}

/** The year of a month (YYYY-MM). */
export function yearOf(month: string): number {
  return Number(month.slice(0, 4))
}

/** The code prefix a region's subtree shares: 210000 → 21, 210100 → 2101, 210102 → 210102. */
export function regionPrefix(code: string): string {
  let p = code
  while (p.length > 2 && p.endsWith('00')) p = p.slice(0, -2)
  return p
}

/** The lock (publication) of the month that covers the region: its own, or an ancestor's. */
export function lockFor(locks: readonly Lock[], region: string, month: string): Lock | undefined {
  return locks.find((l) => l.month === month && region.startsWith(regionPrefix(l.region)))
}

/** The bulletin's sections by where the page shows them. */
export function splitSections(sections: readonly Section[]): {
  ranking: Section | undefined
  rates: Section[]
  others: Section[]
} {
  const ranking = sections.find((s) => s.code === RANKING_SECTION)
  const rates = sections.filter((s) => s !== ranking && s.measure === 'rate')
  const others = sections.filter((s) => s !== ranking && s.measure !== 'rate')
  return { ranking, rates, others }
}

/**
 * The completion cell of a row (完成率, "36.1%") when the row has an annual target: the
 * server's `chart_value` is then that completion in %, otherwise the value itself (人, 户).
 */
export function completionCell(section: Section, row: Row): string | undefined {
  if (section.measure === 'rate') return undefined
  const i = section.columns.findIndex((c) => c.startsWith('完成率'))
  const cell = i >= 0 ? row.cells[i] : undefined
  return cell && /%$/.test(cell) ? cell : undefined
}

/** A bar: its row, and its figure as the table prints it (so a label never rounds differently). */
export interface Bar {
  row: Row
  label: string
}

/** The chart of a section's subregions: its bars in order and whether it draws percentages. */
export interface BarChart {
  bars: Bar[]
  /** Completion or rate in % (else counts in the section's unit). */
  percent: boolean
}

/**
 * The ranking of the subregions, best (highest) first: by completion of the annual target
 * where the subregions have targets (the cities), else by their value (districts without
 * targets). Subregions without a figure are left out.
 */
export function rankingBars(section: Section): BarChart {
  const drawn = section.rows.filter((r) => r.chart_value != null)
  const withTarget = drawn.filter((r) => completionCell(section, r) !== undefined)
  const percent = withTarget.length > 0
  const bars = (percent ? withTarget : drawn)
    .slice()
    .sort((a, b) => (b.chart_value ?? 0) - (a.chart_value ?? 0) || (a.rank ?? 0) - (b.rank ?? 0))
    .map((row) => ({ row, label: (percent ? completionCell(section, row) : row.cells[1]) ?? '—' }))
  return { bars, percent }
}

/** A rate's subregions with a figure, in the table's order. */
export function rateBars(section: Section): BarChart {
  const bars = section.rows
    .filter((r) => r.chart_value != null)
    .map((row) => ({ row, label: row.cells[1] ?? '—' }))
  return { bars, percent: true }
}

/** A round upper bound for a percentage axis: the next multiple of 10 (of 1 below 10). */
export function niceCeil(v: number): number {
  if (!(v > 0)) return 1
  const step = v > 10 ? 10 : 1
  return Math.ceil((v * 1.05) / step) * step
}

const round = (v: number, digits = 2) => Number(v.toFixed(digits))

function percent(v: unknown, digits = 1): string {
  return typeof v === 'number' && Number.isFinite(v) ? `${v.toFixed(digits)}%` : '—'
}

/** The tooltip of a bar: its region and its printed figure. */
function barTooltip(bars: readonly Bar[]) {
  return (params: unknown) => {
    const p = (Array.isArray(params) ? params[0] : params) as { dataIndex?: number } | undefined
    const bar = p?.dataIndex != null ? bars[p.dataIndex] : undefined
    return bar ? `${bar.row.name}：${bar.label}` : ''
  }
}

/** The line chart 城镇新增就业进度: completion of the annual target vs 序时进度, by month. */
export function progressOption(trend: readonly Trend[]): ChartOption {
  return {
    animation: false,
    tooltip: { trigger: 'axis', valueFormatter: (v) => percent(v) },
    legend: { data: ['完成进度', '序时进度'], top: 4, left: 'center' },
    grid: { left: 48, right: 24, top: 44, bottom: 32 },
    xAxis: { type: 'category', boundaryGap: false, data: trend.map((t) => t.month) },
    yAxis: { type: 'value', min: 0, axisLabel: { formatter: '{value}%' } },
    series: [
      {
        name: '完成进度',
        type: 'line',
        data: trend.map((t) => (t.completion == null ? null : round(t.completion))),
        itemStyle: { color: '#409eff' },
        label: { show: true, formatter: (p) => percent(p.value) },
      },
      {
        name: '序时进度',
        type: 'line',
        data: trend.map((t) => round(t.time_progress)),
        lineStyle: { type: 'dashed' },
        itemStyle: { color: '#909399' },
      },
    ],
  }
}

/**
 * The horizontal bar chart of the ranking, best at the top; for completion rates, the month's
 * 序时进度 as a line when known.
 */
export function rankingOption(chart: BarChart, timeProgress?: number | null): ChartOption {
  const { bars } = chart
  const line = chart.percent && timeProgress != null ? timeProgress : null
  const bar: BarSeriesOption = {
    name: chart.percent ? '完成率' : '数值',
    type: 'bar',
    data: bars.map((b) => b.row.chart_value ?? 0),
    itemStyle: { color: '#409eff' },
    barMaxWidth: 18,
    label: { show: true, position: 'right', formatter: (p) => bars[p.dataIndex]?.label ?? '' },
    cursor: 'pointer',
  }
  if (line != null) {
    bar.markLine = {
      symbol: 'none',
      silent: true,
      lineStyle: { color: '#e6a23c', type: 'dashed' },
      // The axis of names runs top-down (inverse): the line's start is at the top.
      label: { formatter: `序时进度 ${percent(line)}`, position: 'start' },
      data: [{ xAxis: round(line) }],
    }
  }
  return {
    animation: false,
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' }, formatter: barTooltip(bars) },
    grid: { left: 8, right: 64, top: 24, bottom: 8, containLabel: true },
    xAxis: {
      type: 'value',
      min: 0,
      // The axis reaches the 序时进度 line even when every city is far behind it.
      max: line != null ? (v: { max: number }) => niceCeil(Math.max(v.max, line)) : undefined,
      minInterval: chart.percent ? undefined : 1,
      axisLabel: { formatter: chart.percent ? '{value}%' : '{value}' },
    },
    yAxis: { type: 'category', inverse: true, data: bars.map((b) => b.row.name) },
    series: [bar],
  }
}

/** The bar chart of a rate's subregions, with the control target as a line; bars above it in red. */
export function rateOption(section: Section, chart: BarChart): ChartOption {
  const { bars } = chart
  const line = section.control_line
  const bar: BarSeriesOption = {
    name: section.name,
    type: 'bar',
    barMaxWidth: 32,
    data: bars.map((b) => {
      const v = b.row.chart_value ?? 0
      return { value: v, itemStyle: { color: line != null && v > line ? '#f56c6c' : '#409eff' } }
    }),
    label: { show: true, position: 'top', formatter: (p) => bars[p.dataIndex]?.label ?? '' },
    cursor: 'pointer',
  }
  if (line != null) {
    bar.markLine = {
      symbol: 'none',
      silent: true,
      lineStyle: { color: '#f56c6c', type: 'dashed' },
      // Beside the plot, clear of the bars' labels.
      label: { formatter: `控制目标\n${percent(line)}`, position: 'end', color: '#f56c6c' },
      data: [{ yAxis: line }],
    }
  }
  const top = Math.max(line ?? 0, ...bars.map((b) => b.row.chart_value ?? 0))
  return {
    animation: false,
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' }, formatter: barTooltip(bars) },
    grid: { left: 48, right: 72, top: 32, bottom: 8, containLabel: true },
    xAxis: { type: 'category', data: bars.map((b) => b.row.name), axisLabel: { interval: 0 } },
    // Room above the control line for its label.
    yAxis: { type: 'value', min: 0, max: Math.ceil(top * 1.15 * 2) / 2, axisLabel: { formatter: '{value}%' } },
    series: [bar],
  }
}

/** A crumb of the region trail: the regions above the current one whose names are known. */
export interface Crumb {
  region: string
  name: string
}

/**
 * The trail from the highest known ancestor down to the current region, from the parents and
 * names seen so far (a region's parent comes with its bulletin, names with the tables' rows).
 */
export function regionTrail(
  region: string,
  parents: ReadonlyMap<string, string | null>,
  names: ReadonlyMap<string, string>,
): Crumb[] {
  const trail: Crumb[] = [{ region, name: names.get(region) ?? region }]
  const seen = new Set([region])
  let up = parents.get(region)
  while (up && !seen.has(up) && names.has(up)) {
    seen.add(up)
    trail.unshift({ region: up, name: names.get(up) as string })
    up = parents.get(up)
  }
  return trail
}
