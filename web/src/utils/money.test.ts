import { describe, expect, it } from 'vitest'
import { fenToYuan, formatCount, yuanToFen, yuanToFenNumber } from './money'

describe('fenToYuan', () => {
  it('shows fen as 元 with separators', () => {
    expect(fenToYuan(600000)).toBe('6,000.00')
    expect(fenToYuan(1)).toBe('0.01')
    expect(fenToYuan('740736')).toBe('7,407.36')
    expect(fenToYuan(0)).toBe('0.00')
    expect(fenToYuan(-150)).toBe('-1.50')
    expect(fenToYuan(null)).toBe('—')
  })

  it('is exact beyond float precision and rounds a fraction of a fen half up', () => {
    expect(fenToYuan('12345678901234567890')).toBe('123,456,789,012,345,678.90')
    expect(fenToYuan('740736.5')).toBe('7,407.37')
    expect(fenToYuan('740736.49')).toBe('7,407.36')
    expect(fenToYuan('abc')).toBe('abc')
  })
})

describe('yuanToFen', () => {
  it('converts 元 to fen on the digits', () => {
    expect(yuanToFen('1000')).toBe('100000')
    expect(yuanToFen('0.1')).toBe('10')
    expect(yuanToFen('0.29')).toBe('29') // 0.29 * 100 is 28.999999999999996 in floats
    expect(yuanToFen(' 1,200.05 ')).toBe('120005')
    expect(yuanToFen('-3')).toBe('-300')
    expect(yuanToFen('0')).toBe('0')
    expect(yuanToFen('-0')).toBe('0')
  })

  it('refuses what is not an amount', () => {
    expect(yuanToFen('')).toBeNull()
    expect(yuanToFen('1.234')).toBeNull()
    expect(yuanToFen('1e3')).toBeNull()
    expect(yuanToFen('十元')).toBeNull()
  })

  it('gives the JSON number or a message', () => {
    expect(yuanToFenNumber('1000.5')).toEqual({ value: 100050 })
    expect(yuanToFenNumber('1.234')).toEqual({ error: '“1.234”不是金额（元，最多两位小数）' })
    expect(yuanToFenNumber('100000000000000000')).toEqual({ error: '金额“100000000000000000”过大' })
  })
})

describe('formatCount', () => {
  it('groups a count in thousands', () => {
    expect(formatCount(1867336)).toBe('1,867,336')
    expect(formatCount(260746)).toBe('260,746')
    expect(formatCount(999)).toBe('999')
    expect(formatCount(0)).toBe('0')
    expect(formatCount(-13757)).toBe('-13,757')
    expect(formatCount('39442')).toBe('39,442')
  })

  it('leaves other text as it is', () => {
    expect(formatCount('37.6%')).toBe('37.6%')
    expect(formatCount('-4.1')).toBe('-4.1')
    expect(formatCount('')).toBe('')
    expect(formatCount(null)).toBe('—')
  })
})
