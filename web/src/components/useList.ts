import { reactive, ref, type UnwrapRef } from 'vue'
import { useRoute, useRouter } from 'vue-router'
import { compact } from '@/utils/download'
import { notifyError } from '@/utils/notify'

export interface PageOf<R> {
  total: number
  rows: R[]
}

export interface ListOptions {
  /**
   * Keep the text filters and the page in the address (`?name=…&page=2`): a reload, the back
   * button or a link sent to a colleague shows the same list. For a page's own list only.
   */
  url?: boolean
}

/**
 * The list page's state: the search form's values, the page, the rows. `fetch` gets the
 * filters without empty values plus page and page_size.
 */
export function useList<Q extends object, R>(
  initial: () => Q,
  fetch: (q: Partial<Q> & { page: number; page_size: number }) => Promise<PageOf<R>>,
  options: ListOptions = {},
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

  const route = options.url ? useRoute() : null
  const router = options.url ? useRouter() : null
  const fields = query as Record<string, unknown>
  if (route) {
    for (const [key, v] of Object.entries(route.query)) {
      if (typeof v === 'string' && typeof fields[key] === 'string') fields[key] = v
    }
    const p = Number(route.query.page)
    if (Number.isInteger(p) && p > 1) page.value = p
  }

  /** The address of what is about to be shown: the text filters given, the page if not the first. */
  function toAddress() {
    const q: Record<string, string> = {}
    for (const [key, v] of Object.entries(fields)) if (typeof v === 'string' && v !== '') q[key] = v
    if (page.value > 1) q.page = String(page.value)
    router?.replace({ query: q })
  }

  async function load() {
    const mine = ++seq
    loading.value = true
    toAddress()
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
