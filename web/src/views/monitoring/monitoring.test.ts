import { describe, expect, test } from 'vitest'
import {
  checkReport,
  checkRoutes,
  cleanRule,
  draftOf,
  editable,
  reviewable,
  drillable,
  regionAncestors,
  regionCode,
  shortName,
  emptyDraft,
  fell,
  leading,
  pct,
  previousHeadcount,
  previousMonth,
  parseIdNumbers,
  reportBody,
  ruleFields,
  signed,
  tileStyle,
  trendOption,
  levelsBySubregion,
  type ReportDraft,
  type ReportRow,
  type Rule,
} from './monitoring'

const draft = (over: Partial<ReportDraft>): ReportDraft => ({ ...emptyDraft('2020-05'), ...over })

describe('levels', () => {
  test('a subregion takes the worst open level the server reports; none is calm', () => {
    const open = [
      { code: '210100', worst_level: 'orange' },
      { code: '210200', worst_level: 'red' },
      { code: '210400', worst_level: 'purple' },
    ]
    expect(levelsBySubregion(['210100', '210200', '210300', '210400'], open)).toEqual({
      '210100': 'orange',
      '210200': 'red',
      '210300': null,
      '210400': null,
    })
  })

  test('tiles are coloured by level, green when calm', () => {
    expect(tileStyle('red').borderColor).toBe('#e53935')
    expect(tileStyle(null).borderColor).toBe('#67c23a')
  })
})

describe('formatting', () => {
  test('percentages and signed changes', () => {
    expect(pct('21.43')).toBe('21.43%')
    expect(pct(null)).toBe('—')
    expect(signed(10)).toBe('+10')
    expect(signed(-300)).toBe('−300')
    expect(signed(0)).toBe('0')
    expect(signed(13757)).toBe('+13,757')
    expect(signed(-1234)).toBe('−1,234')
  })

  test('the month before', () => {
    expect(previousMonth('2020-05')).toBe('2020-04')
    expect(previousMonth('2020-01')).toBe('2019-12')
  })

  test('leading reasons, most people first', () => {
    const rows = [
      { code: 'a', people: 1 },
      { code: 'b', people: 9 },
      { code: 'c', people: 5 },
    ]
    expect(leading(rows, 2).map((r) => r.code)).toEqual(['b', 'c'])
  })

  test('the trend chart plots the loss rate, new hires and decreases by month', () => {
    const t = { code: '2020-05', name: '2020-05', enterprises: 1, baseline: 10, previous: 10, headcount: 8, new_hires: 1, decrease: 3, net_change: -2, loss_rate_pct: '20.00' }
    const o = trendOption([t, { ...t, code: '2020-06', loss_rate_pct: null }]) as { xAxis: { data: string[] }; series: { data: (number | null)[] }[] }
    expect(o.xAxis.data).toEqual(['2020-05', '2020-06'])
    expect(o.series.map((s) => s.data[0])).toEqual([20, 1, 3])
    expect(o.series[0].data[1]).toBeNull()
  })
})

describe('the report form', () => {
  const sample = { baseline: 1000, last_month: '2020-04', last_headcount: 980 }

  test('last month is the latest report of the month before, the baseline before any report, else unknown', () => {
    expect(previousHeadcount(sample, '2020-05')).toBe(980)
    expect(previousHeadcount({ ...sample, last_month: null, last_headcount: null }, '2020-05')).toBe(1000)
    expect(previousHeadcount({ ...sample, last_month: '2020-03' }, '2020-05')).toBeNull()
    expect(previousHeadcount(undefined, '2020-05')).toBeNull()
  })

  test('a fall is against last month or the baseline', () => {
    expect(fell(900, 980, 1000)).toBe(true)
    expect(fell(990, 980, 1000)).toBe(true)
    expect(fell(1000, 980, 1000)).toBe(false)
    expect(fell(null, 980, 1000)).toBe(false)
  })

  test('counts are required non-negative integers', () => {
    const p = checkReport(draft({ headcount: null, new_hires: -1 }), 980, 1000)
    expect(Object.keys(p).sort()).toEqual(['headcount', 'new_hires'])
  })

  test('the headcount must equal last month + new − decrease', () => {
    const p = checkReport(draft({ headcount: 950, new_hires: 0, decrease: 20 }), 980, 1000)
    expect(p.headcount).toContain('980 + 新增 0 − 减少 20 = 960')
  })

  test('a fall needs the decrease type and the main reason', () => {
    const p = checkReport(draft({ headcount: 880, new_hires: 0, decrease: 100 }), 980, 1000)
    expect(p.decrease_type).toBeTruthy()
    expect(p.reasons).toBeTruthy()
    const ok = checkReport(
      draft({ headcount: 880, new_hires: 0, decrease: 100, decrease_type: '03', reasons: [{ code: '04', note: '' }] }),
      980,
      1000,
    )
    expect(ok).toEqual({})
  })

  test('no more than three reasons, no duplicates, no note without a reason', () => {
    const base = { headcount: 1000, new_hires: 0, decrease: 0 }
    const four = [1, 2, 3, 4].map((i) => ({ code: `0${i}`, note: '' }))
    expect(checkReport(draft({ ...base, reasons: four }), 1000, 1000).reasons).toContain('最多 3 项')
    const dup = [{ code: '01', note: '' }, { code: '01', note: '' }]
    expect(checkReport(draft({ ...base, reasons: dup }), 1000, 1000).reasons).toContain('不能重复')
    expect(checkReport(draft({ ...base, reasons: [{ code: '', note: '说明' }] }), 1000, 1000).reasons).toBeTruthy()
  })

  test('without last month the server checks the sum; the fall against the baseline still counts', () => {
    expect(checkReport(draft({ headcount: 1200, new_hires: 0, decrease: 0 }), null, 1000)).toEqual({})
    expect(checkReport(draft({ headcount: 900, new_hires: 0, decrease: 0 }), null, 1000).decrease_type).toBeTruthy()
  })

  test('the body drops empty reasons and the enterprise of an enterprise user', () => {
    const d = draft({ headcount: 900, decrease: 100, decrease_type: '03', reasons: [{ code: '04', note: ' 订单 ' }, { code: '', note: '' }] })
    expect(reportBody(d, null)).toEqual({
      month: '2020-05',
      headcount: 900,
      new_hires: 0,
      decrease: 100,
      decrease_type: '03',
      reasons: [{ code: '04', note: '订单' }],
    })
    expect(reportBody(draft({ headcount: 1 }), 7).enterprise_id).toBe(7)
    expect(reportBody(draft({ headcount: 1 }), 7).decrease_type).toBeNull()
  })

  test('a returned report fills the form again', () => {
    const r = {
      month: '2020-05',
      headcount: 900,
      new_hires: 0,
      decrease: 100,
      decrease_type: '03',
      reasons: [{ code: '04', label: '订单不足', note: 'x' }],
    } as ReportRow
    expect(draftOf(r)).toEqual({ month: '2020-05', headcount: 900, new_hires: 0, decrease: 100, decrease_type: '03', reasons: [{ code: '04', note: 'x' }] })
    expect(draftOf({ ...r, reasons: [], decrease_type: null }).reasons).toEqual([{ code: '', note: '' }])
  })
})

describe('rules and routing', () => {
  const rule: Rule = { code: 'e50', name: 'x', level: 'yellow', active: true, kind: 'enterprise_loss', min_people: 50, min_share: '30', share_floor: 10, extra: 2 }

  test('threshold fields beyond the common ones, labelled', () => {
    const f = ruleFields(rule)
    expect(f.map((x) => x.key)).toEqual(['min_people', 'min_share', 'share_floor', 'extra'])
    expect(f[0].label).toContain('减员人数')
    expect(f[3]).toEqual({ key: 'extra', label: 'extra', input: 'int' })
  })

  test('blank thresholds are sent as null', () => {
    expect(cleanRule({ ...rule, min_share: '', min_people: undefined })).toMatchObject({ min_share: null, min_people: null, code: 'e50' })
  })

  test('each route notifies someone', () => {
    expect(checkRoutes([{ min_level: null, min_people: null, notify: ['county'] }])).toEqual([])
    expect(checkRoutes([{ min_level: 'red', min_people: -1, notify: [] }])).toHaveLength(2)
    expect(checkRoutes([])).toHaveLength(1)
  })

  test('ID numbers split by lines, commas or spaces, upper-cased and unique', () => {
    expect(parseIdNumbers('21010219900101001x\n210102199001010020, 21010219900101001X')).toEqual(['21010219900101001X', '210102199001010020'])
  })
})

describe('regions', () => {
  test('the trail stops at the scope', () => {
    expect(regionAncestors('210102', '21')).toEqual(['210000', '210100', '210102'])
    expect(regionAncestors('210102', '2101')).toEqual(['210100', '210102'])
    expect(regionAncestors('210100', '21')).toEqual(['210000', '210100'])
    expect(regionAncestors('210000', '21')).toEqual(['210000'])
  })

  test('drilling and short names', () => {
    expect(drillable('210100')).toBe(true)
    expect(drillable('210102')).toBe(false)
    expect(regionCode('2101')).toBe('210100')
    expect(shortName('辽宁省沈阳市', '辽宁省')).toBe('沈阳市')
    expect(shortName('和平区', '辽宁省沈阳市')).toBe('和平区')
  })
})

describe('the review chain', () => {
  test('county and city review submitted reports, the province the locally approved', () => {
    expect(reviewable('submitted', '2101')).toBe(true)
    expect(reviewable('submitted', '210102')).toBe(true)
    expect(reviewable('local_approved', '2101')).toBe(false)
    expect(reviewable('local_approved', '21')).toBe(true)
    expect(reviewable('submitted', '21')).toBe(false)
    expect(reviewable('submitted', 'enterprise:110')).toBe(false)
  })

  test('only submitted and returned reports are editable', () => {
    expect(editable('returned')).toBe(true)
    expect(editable('submitted')).toBe(true)
    expect(editable('local_approved')).toBe(false)
  })
})
