import { reactive } from 'vue'

/**
 * A search form over a list already in memory: `filter` is what is typed, `applied` what the list
 * is filtered by — copied on 搜索, both cleared on 重置.
 */
export function useAppliedFilter<T extends Record<string, string>>(initial: T) {
  const filter = reactive({ ...initial })
  const applied = reactive({ ...initial })
  function search() {
    Object.assign(applied, filter)
  }
  function reset() {
    Object.assign(filter, initial)
    search()
  }
  return { filter, applied, search, reset }
}
