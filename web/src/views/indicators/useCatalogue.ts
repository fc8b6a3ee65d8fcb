import { computed, ref } from 'vue'
import { api, call } from '@/api/client'
import { ApiError, errorMessage } from '@/api/errors'
import { notifyError } from '@/utils/notify'
import { byCode, catalogueEntries, type CatalogueEntry, type Lock } from './ledger'

/** The indicator catalogue, for names, units and formats of the ledger and target tables. */
export function useCatalogue() {
  const entries = ref<CatalogueEntry[]>([])
  const codes = computed(() => byCode(entries.value))
  async function load() {
    try {
      entries.value = catalogueEntries(await call(api.GET('/indicators')))
    } catch (e) {
      notifyError(e, '指标目录加载失败')
    }
  }
  const nameOf = (code: string) => codes.value.get(code)?.name ?? code
  return { entries, codes, load, nameOf }
}

/** The published months; the 已发布 tags are a hint, the page works without them. */
export function useLocks() {
  const locks = ref<Lock[]>([])
  async function load() {
    locks.value = await call(api.GET('/indicators/locks')).catch(() => [] as Lock[])
  }
  return { locks, load }
}

/**
 * Puts an error of a dialog's submission where the user sees it: the server's field errors
 * under the form items they name (`serverErrors`), anything else as the dialog's alert text.
 */
export function dialogError(e: unknown, known: readonly string[], serverErrors: Record<string, string>): string {
  if (e instanceof ApiError && e.fields.length) {
    const map = e.fieldMap()
    const rest: string[] = []
    for (const [k, m] of Object.entries(map)) {
      if (known.includes(k)) serverErrors[k] = m
      else rest.push(m)
    }
    return rest.length ? rest.join('；') : '提交的数据有误，请按提示修改'
  }
  return errorMessage(e)
}
