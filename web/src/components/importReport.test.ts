import { describe, expect, it } from 'vitest'
import { rejectedRows, rowCount } from './importReport'

describe('rejectedRows', () => {
  it('shows each problem of a rejected row with its row and column', () => {
    const rows = rejectedRows([
      { row: 3, errors: [{ column: '身份证号', message: '校验位错误' }], cells: ['乙', '…'] },
      {
        row: 7,
        errors: [
          { column: '手机号', message: '应为以1开头的11位数字' },
          { column: '', message: '重复的行' },
        ],
        cells: [],
      },
    ])
    expect(rows).toEqual([
      { row: 3, column: '身份证号', reason: '校验位错误' },
      { row: 7, column: '手机号', reason: '应为以1开头的11位数字' },
      { row: 7, column: '', reason: '重复的行' },
    ])
    expect(rowCount(rows)).toBe(2)
  })

  it('keeps a rejected row without problems listed', () => {
    expect(rejectedRows([{ row: 4, errors: [], cells: [] }])).toEqual([{ row: 4, column: '', reason: '' }])
  })

  it('is empty without rejected rows', () => {
    expect(rejectedRows(undefined)).toEqual([])
    expect(rejectedRows([])).toEqual([])
  })
})
