import { describe, expect, it } from 'vitest'
import { formatTime } from './datetime'

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
