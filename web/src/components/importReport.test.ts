import { describe, expect, it } from 'vitest'
import { rejectedRows } from './importReport'

describe('rejectedRows', () => {
  it('shows each rejected row with its problems as "column：message"', () => {
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
      { row: 3, reason: '身份证号：校验位错误' },
      { row: 7, reason: '手机号：应为以1开头的11位数字；重复的行' },
    ])
  })

  it('does not repeat the column when the message already names it', () => {
    const rows = rejectedRows([
      { row: 4, errors: [{ column: '身份证号', message: '身份证号校验位错误：应为 3，实际为 0' }], cells: [] },
    ])
    expect(rows[0].reason).toBe('身份证号校验位错误：应为 3，实际为 0')
  })

  it('is empty without rejected rows', () => {
    expect(rejectedRows(undefined)).toEqual([])
    expect(rejectedRows([])).toEqual([])
  })
})
