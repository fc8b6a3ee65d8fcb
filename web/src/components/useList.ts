import { reactive, ref, type UnwrapRef } from 'vue'
import { compact } from '@/utils/download'
import { notifyError } from '@/utils/notify'

export interface PageOf<R> {
  total: number
  rows: R[]
}

/**
 * The list page's state: the search form's values, the page, the rows. `fetch` gets the
 * filters without empty values plus page and page_size.
 */
export function useList<Q extends object, R>(
  initial: () => Q,
  fetch: (q: Partial<Q> & { page: number; page_size: number }) => Promise<PageOf<R>>,
) {
  const query = reactive(initial()) as UnwrapRef<Q>
  const page = ref(1)
  const pageSize = ref(20)
  const rows = ref<R[]>([]) as { value: R[] }
  const total = ref(0)
  const loading = ref(false)
  /** The filters of the last search, for exports. */
  const applied = ref<Partial<Q>>({})
  let seq = 0

  async function load() {
    const mine = ++seq
    loading.value = true
    try {
      const filters = compact(query as Q)
      const r = await fetch({ ...filters, page: page.value, page_size: pageSize.value })
      if (mine !== seq) return
      rows.value = r.rows
      total.value = r.total
      applied.value = filters
    } catch (e) {
      if (mine === seq) notifyError(e, '查询失败')
    } finally {
      if (mine === seq) loading.value = false
    }
  }

  function search() {
    page.value = 1
    return load()
  }

  function reset() {
    Object.assign(query as object, initial())
    return search()
  }

  return { query, page, pageSize, rows, total, loading, applied, load, search, reset }
}
