import { api, call } from '@/api/client'
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
