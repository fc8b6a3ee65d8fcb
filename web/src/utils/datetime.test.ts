import { describe, expect, it } from 'vitest'
import { dateRangeQuery, formatTime, nextDay } from './datetime'

describe('formatTime', () => {
  it('shows a UTC timestamp in local time', () => {
    // The instant of 2020-06-05 08:03:09 local time, whatever the test machine's zone.
    const utc = new Date(2020, 5, 5, 8, 3, 9).toISOString()
    expect(utc.endsWith('Z')).toBe(true)
    expect(formatTime(utc)).toBe('2020-06-05 08:03')
    expect(formatTime(utc, true)).toBe('2020-06-05 08:03:09')
  })

  it('leaves other text as it is', () => {
    expect(formatTime('')).toBe('')
    expect(formatTime(null)).toBe('')
    expect(formatTime('不是时间')).toBe('不是时间')
  })
})

describe('nextDay', () => {
  it('crosses month, year and leap-day boundaries', () => {
    expect(nextDay('2019-05-31')).toBe('2019-06-01')
    expect(nextDay('2020-02-28')).toBe('2020-02-29')
    expect(nextDay('2019-02-28')).toBe('2019-03-01')
    expect(nextDay('2020-12-31')).toBe('2021-01-01')
  })
})

describe('dateRangeQuery', () => {
  it('includes the last chosen day: the API takes `to` as exclusive', () => {
    expect(dateRangeQuery(['2019-05-31', '2019-05-31'])).toEqual({ from: '2019-05-31', to: '2019-06-01' })
    expect(dateRangeQuery(['2019-01-01', '2019-12-31'])).toEqual({ from: '2019-01-01', to: '2020-01-01' })
  })

  it('filters nothing without a range', () => {
    expect(dateRangeQuery(null)).toEqual({ from: '', to: '' })
    expect(dateRangeQuery(undefined)).toEqual({ from: '', to: '' })
  })
})
