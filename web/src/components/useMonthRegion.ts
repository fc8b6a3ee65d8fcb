import { computed } from 'vue'
import { useRoute, useRouter } from 'vue-router'
import { useAuthStore } from '@/stores/auth'
import { defaultMonth } from '@/views/indicators/bulletin'

/**
 * The month and region of a figures page, kept in the address (`?month=2020-05&region=210100`) so
 * that back goes back up: the month defaults to the business date's, the region to none (the
 * user's own, the server decides). `monthModel` is for a month picker.
 */
export function useMonthRegion() {
  const auth = useAuthStore()
  const route = useRoute()
  const router = useRouter()
  const month = computed(() => {
    const m = route.query.month
    return typeof m === 'string' && /^\d{4}-\d{2}$/.test(m) ? m : defaultMonth(auth.user?.business_date)
  })
  const region = computed(() => {
    const r = route.query.region
    return typeof r === 'string' && /^\d{6}$/.test(r) ? r : undefined
  })
  const monthModel = computed({
    get: () => month.value,
    set: (m: string | null) => {
      if (m) router.replace({ query: { ...route.query, month: m } })
    },
  })
  return { month, region, monthModel }
}
