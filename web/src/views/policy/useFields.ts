import { api, call } from '@/api/client'
import { fieldInfos, type FieldInfo } from './policy'

let loading: Promise<Record<string, FieldInfo>> | null = null

/**
 * The subject fields policies read (`/policy/fields`: labels, input kinds, code tables), asked
 * for once per page load: the evaluation form and every trace label by them.
 */
export function loadFieldInfos(): Promise<Record<string, FieldInfo>> {
  loading ??= call(api.GET('/policy/fields'))
    .then(fieldInfos)
    .catch((e) => {
      loading = null
      throw e
    })
  return loading
}
