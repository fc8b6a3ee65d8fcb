import { describe, expect, it } from 'vitest'
import { FORM_FIELDS } from './kinds'
import { ApiError } from '@/api/errors'
import { placeErrors, recordBody, type FormValue } from './save'

const person = (over: Record<string, FormValue> = {}): Record<string, FormValue> => ({
  name: '张三',
  id_no: '',
  phone: '',
  education: '',
  hukou: '1',
  region: '210102',
  household_no: '',
  graduation_year: null,
  veteran: false,
  attributes: [],
  ...over,
})

describe('recordBody', () => {
  it('leaves masked numbers out of an edit when they were not retyped (the server keeps them)', () => {
    const body = recordBody(FORM_FIELDS.person, person(), { editing: true })
    expect(body).not.toHaveProperty('id_no')
    expect(body).not.toHaveProperty('phone')
    expect(body).toMatchObject({ name: '张三', hukou: '1', region: '210102', veteran: '否' })
  })

  it('sends a newly typed number, trimmed', () => {
    const body = recordBody(FORM_FIELDS.person, person({ id_no: ' 11010519491231002X ', phone: '13800138000' }), {
      editing: true,
    })
    expect(body.id_no).toBe('11010519491231002X')
    expect(body.phone).toBe('13800138000')
  })

  it('sends phone "" when the user cleared it', () => {
    const body = recordBody(FORM_FIELDS.person, person(), { editing: true, cleared: { phone: true } })
    expect(body.phone).toBe('')
    expect(body).not.toHaveProperty('id_no')
  })

  it('on create sends what was entered and leaves empty fields out', () => {
    const body = recordBody(FORM_FIELDS.person, person({ id_no: '11010519491231002X', attributes: ['a', 'b'] }), {
      editing: false,
    })
    expect(body.id_no).toBe('11010519491231002X')
    expect(body.attributes).toBe('a,b')
    expect(body).not.toHaveProperty('phone')
    expect(body).not.toHaveProperty('graduation_year')
  })

  it('keeps the person of a registration on edit, and its stored region when left as it was', () => {
    const model: Record<string, FormValue> = {
      id_no: '',
      registered_on: '2020-03-01',
      region: '',
      reason: '01',
      ended_on: '',
      end_reason: '',
    }
    const body = recordBody(FORM_FIELDS.unemployment, model, { editing: true, region: '210102' })
    expect(body).toEqual({ registered_on: '2020-03-01', region: '210102', reason: '01' })
  })
})

describe('placeErrors', () => {
  const keys = (kind: keyof typeof FORM_FIELDS) => FORM_FIELDS[kind].map((f) => f.key)

  it('puts a duplicate on create under the natural key of the record', () => {
    const dup = new ApiError(409, 'conflict', '身份证号 1101**********002X 的人员已存在')
    expect(placeErrors(dup, 'person', keys('person'), true)).toEqual({ fields: { id_no: dup.message }, alert: '' })
    expect(placeErrors(dup, 'enterprise', keys('enterprise'), true).fields).toEqual({ credit_code: dup.message })
    expect(placeErrors(dup, 'employment', keys('employment'), true).fields).toEqual({ start_date: dup.message })
    expect(placeErrors(dup, 'unemployment', keys('unemployment'), true).fields).toEqual({ registered_on: dup.message })
    // On edit a conflict is someone else's change: it stays in the alert.
    expect(placeErrors(dup, 'person', keys('person'), false)).toEqual({ fields: {}, alert: dup.message })
  })

  it('puts field errors under the form fields and the rest in the alert', () => {
    const e = new ApiError(422, 'validation', '有误', [
      { column: 'id_no', message: '校验位错误' },
      { column: 'other', message: '未知列' },
    ])
    expect(placeErrors(e, 'person', keys('person'), true)).toEqual({ fields: { id_no: '校验位错误' }, alert: '未知列' })
    expect(placeErrors(new Error('x'), 'person', keys('person'), true)).toEqual({ fields: {}, alert: '操作失败：x' })
  })
})
