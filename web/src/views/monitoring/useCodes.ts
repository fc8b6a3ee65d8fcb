import { ref, type Ref } from 'vue'
import { api, call } from '@/api/client'
import { notifyError } from '@/utils/notify'
import type { CodeView } from './monitoring'

export type CodeKind = 'decrease_type' | 'decrease_reason'

const cache = new Map<CodeKind, Promise<CodeView[]>>()

/** A monitoring dictionary (减员类型, 减员原因), loaded once per page load; `reload` after an edit. */
export function loadCodes(kind: CodeKind, reload = false): Promise<CodeView[]> {
  let p = cache.get(kind)
  if (!p || reload) {
    p = call(api.GET('/monitoring/codes/{kind}', { params: { path: { kind } } }))
    p.catch(() => cache.delete(kind))
    cache.set(kind, p)
  }
  return p
}

/** The dictionary as a ref, filled when it arrives. */
export function useCodes(kind: CodeKind): Ref<CodeView[]> {
  const items = ref<CodeView[]>([])
  loadCodes(kind)
    .then((c) => (items.value = c))
    .catch((e) => notifyError(e, '代码表加载失败'))
  return items
}
