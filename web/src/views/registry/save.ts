import { api, call } from '@/api/client'
import type { WritableKind } from './kinds'

export type RecordBody = Record<string, string>

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
