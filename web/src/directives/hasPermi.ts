import type { Directive, DirectiveBinding } from 'vue'
import { useAuthStore } from '@/stores/auth'

/** `v-hasPermi="['registry:person:write']"`: the element stays only if the user holds any of them. */
export type PermissionValue = string | readonly string[]

function wanted(binding: DirectiveBinding<PermissionValue>): string[] {
  const v = binding.value
  if (typeof v === 'string' && v !== '') return [v]
  if (Array.isArray(v) && v.length > 0 && v.every((p) => typeof p === 'string')) return [...v]
  throw new Error('v-hasPermi 需要权限字符串或权限字符串数组，如 v-hasPermi="[\'registry:person:write\']"')
}

/** Builds the directive over a source of the user's permissions (the auth store by default). */
export function createHasPermi(permissions: () => ReadonlySet<string>): Directive<HTMLElement, PermissionValue> {
  const apply = (el: HTMLElement, binding: DirectiveBinding<PermissionValue>) => {
    const held = permissions()
    if (!wanted(binding).some((p) => held.has(p))) {
      el.parentNode?.removeChild(el)
    }
  }
  return { mounted: apply }
}

export const hasPermi = createHasPermi(() => useAuthStore().permissions)
