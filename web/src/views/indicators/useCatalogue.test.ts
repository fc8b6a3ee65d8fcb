import { describe, expect, it } from 'vitest'
import { ApiError } from '@/api/errors'
import { dialogError } from './useCatalogue'

describe('dialogError', () => {
  it('puts field errors under the form items they name', () => {
    const errors: Record<string, string> = {}
    const e = new ApiError(422, 'validation', '提交的数据有误', [{ column: 'value', message: '数值应为非负整数' }])
    expect(dialogError(e, ['value', 'month'], errors)).toBe('提交的数据有误，请按提示修改')
    expect(errors).toEqual({ value: '数值应为非负整数' })
  })

  it('shows errors of other fields in the alert', () => {
    const errors: Record<string, string> = {}
    const e = new ApiError(422, 'validation', '提交的数据有误', [
      { column: '指标代码', message: '“A”格式错误' },
      { column: 'value', message: '应为数字' },
    ])
    expect(dialogError(e, ['value'], errors)).toBe('“A”格式错误')
    expect(errors).toEqual({ value: '应为数字' })
  })

  it('shows the message of an error without fields', () => {
    const errors: Record<string, string> = {}
    const e = new ApiError(409, 'conflict', '2020-04已发布，数据已锁定，只能更正')
    expect(dialogError(e, ['value'], errors)).toBe('2020-04已发布，数据已锁定，只能更正')
    expect(errors).toEqual({})
    expect(dialogError(new Error('boom'), [], errors)).toBe('操作失败：boom')
  })
})
