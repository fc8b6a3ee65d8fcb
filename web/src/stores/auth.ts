import { defineStore } from 'pinia'
import { computed, ref } from 'vue'
import { api, call, type Schemas } from '@/api/client'
import { ApiError } from '@/api/errors'

export type Me = Schemas['Me']

export const useAuthStore = defineStore('auth', () => {
  const user = ref<Me | null>(null)
  /** Whether the session was asked for since the page loaded. */
  const checked = ref(false)

  const permissions = computed(() => new Set(user.value?.permissions ?? []))
  /** Whether the user acts for their own enterprise (an enterprise scope, not a region). */
  const enterpriseUser = computed(() => (user.value?.scope_code ?? '').startsWith('enterprise:'))
  /** Whether the user's scope is a whole province (a two-digit region prefix): province-wide
   * work such as 重新统计 is theirs alone. */
  const provincial = computed(() => /^\d{2}$/.test(user.value?.scope_code ?? ''))

  function has(permission: string): boolean {
    return permissions.value.has(permission)
  }

  function hasAny(list: readonly string[]): boolean {
    return list.some((p) => permissions.value.has(p))
  }

  async function login(username: string, password: string): Promise<Me> {
    const me = await call(api.POST('/auth/login', { body: { username, password } }))
    user.value = me
    checked.value = true
    return me
  }

  /** Asks the server for the current session; no session is not an error here. */
  async function load(): Promise<Me | null> {
    try {
      user.value = await call(api.GET('/auth/me'))
    } catch (e) {
      if (!(e instanceof ApiError && e.status === 401)) throw e
      user.value = null
    } finally {
      checked.value = true
    }
    return user.value
  }

  async function logout(): Promise<void> {
    try {
      await call(api.POST('/auth/logout'))
    } finally {
      user.value = null
    }
  }

  /** Forgets the session locally (after the server said it has expired). */
  function clear(): void {
    user.value = null
  }

  return { user, checked, permissions, enterpriseUser, provincial, has, hasAny, login, load, logout, clear }
})
