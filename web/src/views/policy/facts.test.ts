import { describe, expect, it } from 'vitest'
import { emptyFactForm, factBody, subjectKeys, valueInput, type SuppliedField } from './facts'

function field(over: Partial<SuppliedField>): SuppliedField {
  return { name: 'person.si_paid_fen', label: '本人实缴社会保险费', kind: 'person', type: 'money', origin: '申报：社会保险经办系统', codes: [], ...over }
}

describe('supplied facts', () => {
  it('asks for the keys of the subject the field is about', () => {
    expect(subjectKeys('person')).toEqual({ idNo: true, creditCode: false, hireStart: false })
    expect(subjectKeys('enterprise')).toEqual({ idNo: false, creditCode: true, hireStart: false })
    expect(subjectKeys('hire')).toEqual({ idNo: true, creditCode: true, hireStart: true })
  })

  it('offers the input the value needs', () => {
    expect(valueInput(field({}))).toBe('money')
    expect(valueInput(field({ type: 'bool' }))).toBe('bool')
    expect(valueInput(field({ type: 'int' }))).toBe('int')
    expect(valueInput(field({ type: 'string', codes: [{ code: 'level3', label: '高级工（三级）' }] }))).toBe('code')
  })

  it('names the first missing input, and sends only the subject keys the field needs', () => {
    const form = emptyFactForm()
    expect(factBody(form, undefined)).toBe('请选择信息项')
    const hire = field({ name: 'hire.si_paid', kind: 'hire', type: 'bool' })
    expect(factBody(form, hire)).toBe('请填写身份证号')
    form.id_no = ' 210102199003071234 '
    expect(factBody(form, hire)).toBe('请填写统一社会信用代码')
    form.credit_code = '91210102ma0abcde1x'
    expect(factBody(form, hire)).toBe('请选择招用日期')
    form.hire_start = '2020-03-02'
    form.value = true
    expect(factBody(form, hire)).toBe('请选择生效日期')
    form.valid_from = '2020-03-02'
    expect(factBody(form, hire)).toEqual({
      field: 'hire.si_paid',
      value: '是',
      valid_from: '2020-03-02',
      id_no: '210102199003071234',
      credit_code: '91210102MA0ABCDE1X',
      hire_start: '2020-03-02',
      source: null,
    })
    const paid = factBody({ ...form, value: ' 2400.50 ', source: '社保局' }, field({}))
    expect(paid).toMatchObject({ field: 'person.si_paid_fen', value: '2400.50', credit_code: null, hire_start: null, source: '社保局' })
    expect(factBody({ ...form, value: '' }, field({}))).toBe('请填写取值')
  })
})
