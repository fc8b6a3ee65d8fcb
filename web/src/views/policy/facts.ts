import type { Schemas } from '@/api/client'

export type SuppliedField = Schemas['SubjectField']
export type FactRow = Schemas['FactRow']
export type NewFact = Schemas['NewFact']

/** The import sheet's columns, in the server's order (FACT_COLUMNS). */
export const FACT_SHEET_HEADERS = ['信息项', '取值', '生效日期', '身份证号', '统一社会信用代码', '招用日期', '来源'] as const

export const SUBJECT_KINDS = [
  { code: 'person', label: '个人' },
  { code: 'enterprise', label: '企业' },
  { code: 'hire', label: '招用' },
] as const

/** Which keys identify the subject of a fact about a `kind`: a hire is a person hired by an enterprise on a date. */
export function subjectKeys(kind: string) {
  return {
    idNo: kind === 'person' || kind === 'hire',
    creditCode: kind === 'enterprise' || kind === 'hire',
    hireStart: kind === 'hire',
  }
}

export type ValueInput = 'bool' | 'code' | 'money' | 'int'

/** The input a field's value needs. */
export function valueInput(f: SuppliedField): ValueInput {
  if (f.type === 'bool') return 'bool'
  if (f.codes.length) return 'code'
  return f.type === 'money' ? 'money' : 'int'
}

export interface FactForm {
  field: string
  id_no: string
  credit_code: string
  hire_start: string
  value: string | number | boolean
  valid_from: string
  source: string
}

export function emptyFactForm(): FactForm {
  return { field: '', id_no: '', credit_code: '', hire_start: '', value: '', valid_from: '', source: '' }
}

/**
 * The request for the form: only the keys the field's subject needs, the value as the
 * server reads it (是/否, yuan, a code), or the first problem to show instead.
 */
export function factBody(form: FactForm, f: SuppliedField | undefined): NewFact | string {
  if (!f) return '请选择信息项'
  const keys = subjectKeys(f.kind)
  if (keys.idNo && !form.id_no.trim()) return '请填写身份证号'
  if (keys.creditCode && !form.credit_code.trim()) return '请填写统一社会信用代码'
  if (keys.hireStart && !form.hire_start) return '请选择招用日期'
  const value = valueInput(f) === 'bool' ? (form.value ? '是' : '否') : String(form.value ?? '').trim()
  if (!value) return '请填写取值'
  if (!form.valid_from) return '请选择生效日期'
  return {
    field: f.name,
    value,
    valid_from: form.valid_from,
    id_no: keys.idNo ? form.id_no.trim() : null,
    credit_code: keys.creditCode ? form.credit_code.trim().toUpperCase() : null,
    hire_start: keys.hireStart ? form.hire_start : null,
    source: form.source.trim() || null,
  }
}
