import { api, call } from '@/api/client'
import { ApiError, errorMessage } from '@/api/errors'
import type { FieldSpec, WritableKind } from './kinds'

export type RecordBody = Record<string, string>
export type FormValue = string | string[] | boolean | number | null

export interface BodyOptions {
  /** An edit (true) or a new record. */
  editing: boolean
  /** On edit: masked fields the user chose to clear. */
  cleared?: Record<string, boolean>
  /** On edit: the stored region code, sent when the region is left as it was. */
  region?: string | null
}

/**
 * The request body of a form: values as text, empty ones left out. On edit a masked number
 * (`sensitive`) is sent only when a new one was typed in — left out, the server keeps the
 * stored number — or as "" when the user cleared it.
 */
export function recordBody(fields: FieldSpec[], model: Record<string, FormValue>, opts: BodyOptions): RecordBody {
  const body: RecordBody = {}
  for (const f of fields) {
    const v = model[f.key]
    if (f.sensitive && opts.editing) {
      const text = typeof v === 'string' ? v.trim() : ''
      if (text) body[f.key] = text
      else if (opts.cleared?.[f.key]) body[f.key] = ''
    } else if (f.type === 'switch') body[f.key] = v ? '是' : '否'
    else if (Array.isArray(v)) {
      if (v.length) body[f.key] = v.join(',')
    } else if (v !== null && v !== '' && v !== undefined) body[f.key] = String(v).trim()
    else if (f.type === 'region' && opts.editing && opts.region) body[f.key] = opts.region
  }
  return body
}

/** Creates (id null) or changes a record of a writable kind. */
export async function saveRecord(kind: WritableKind, id: number | null, body: RecordBody): Promise<void> {
  switch (kind) {
    case 'person':
      if (id == null) await call(api.POST('/persons', { body }))
      else await call(api.PUT('/persons/{id}', { params: { path: { id } }, body }))
      return
    case 'enterprise':
      if (id == null) await call(api.POST('/enterprises', { body }))
      else await call(api.PUT('/enterprises/{id}', { params: { path: { id } }, body }))
      return
    case 'employment':
      if (id == null) await call(api.POST('/employments', { body }))
      else await call(api.PUT('/employments/{id}', { params: { path: { id } }, body }))
      return
    case 'unemployment':
      if (id == null) await call(api.POST('/unemployments', { body }))
      else await call(api.PUT('/unemployments/{id}', { params: { path: { id } }, body }))
      return
  }
}

/**
 * The field a record is known by: a new record that clashes with a stored one (409) clashes on
 * it — the same ID number, credit code, or registration date of the person.
 */
export const NATURAL_KEYS: Record<WritableKind, string> = {
  person: 'id_no',
  enterprise: 'credit_code',
  employment: 'start_date',
  unemployment: 'registered_on',
}

/** Where a failed save's messages go: under the form's fields, or in the alert above them. */
export interface PlacedErrors {
  fields: Record<string, string>
  alert: string
}

/**
 * Places a save's error: field errors under the fields the form has, a conflict on create under
 * the record's natural key (the server names no field for it), the rest in the alert.
 */
export function placeErrors(e: unknown, kind: WritableKind, known: readonly string[], creating: boolean): PlacedErrors {
  if (!(e instanceof ApiError)) return { fields: {}, alert: errorMessage(e) }
  if (e.fields.length) {
    const fields: Record<string, string> = {}
    const rest: string[] = []
    for (const [k, m] of Object.entries(e.fieldMap())) {
      if (known.includes(k)) fields[k] = m
      else rest.push(m)
    }
    return { fields, alert: rest.length ? rest.join('；') : '提交的数据有误，请按提示修改' }
  }
  const key = NATURAL_KEYS[kind]
  if (e.status === 409 && creating && known.includes(key)) return { fields: { [key]: e.message }, alert: '' }
  return { fields: {}, alert: e.message }
}
