import { ref, type Ref } from 'vue'
import { errorMessage } from '@/api/errors'

/**
 * One record (or a few requests' answers together) shown by a page or drawer: `load` fetches it,
 * `failure` holds the message of a failed load (the page shows it with 重试). An older load that
 * answers after a newer one is ignored.
 */
export function useLoader<T>(fetch: () => Promise<T>) {
  const data = ref(null) as Ref<T | null>
  const loading = ref(false)
  const failure = ref('')
  let seq = 0

  async function load(): Promise<void> {
    const mine = ++seq
    loading.value = true
    failure.value = ''
    try {
      const d = await fetch()
      if (mine === seq) data.value = d
    } catch (e) {
      if (mine !== seq) return
      data.value = null
      failure.value = errorMessage(e)
    } finally {
      if (mine === seq) loading.value = false
    }
  }

  return { data, loading, failure, load }
}
