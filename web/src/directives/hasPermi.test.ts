import { describe, expect, it } from 'vitest'
import { defineComponent, h, withDirectives } from 'vue'
import { mount } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'
import { createHasPermi, hasPermi } from './hasPermi'
import { useAuthStore } from '@/stores/auth'

const Toolbar = defineComponent({
  template: `
    <div>
      <button v-hasPermi="['registry:person:write']" data-test="create">新增</button>
      <button v-hasPermi="['registry:person:import', 'registry:person:export']" data-test="files">导入导出</button>
      <button v-hasPermi="'registry:person:reveal'" data-test="reveal">显示</button>
      <button data-test="always">刷新</button>
    </div>`,
})

function render(permissions: string[]) {
  const directive = createHasPermi(() => new Set(permissions))
  return mount(Toolbar, { global: { directives: { hasPermi: directive } } })
}

describe('v-hasPermi', () => {
  it('keeps only the buttons whose permission the user holds', () => {
    const w = render(['registry:person:write', 'registry:person:export'])
    expect(w.find('[data-test=create]').exists()).toBe(true)
    expect(w.find('[data-test=files]').exists()).toBe(true) // any of the list is enough
    expect(w.find('[data-test=reveal]').exists()).toBe(false)
    expect(w.find('[data-test=always]').exists()).toBe(true)
  })

  it('removes every gated button from a user without permissions', () => {
    const w = render([])
    expect(w.findAll('button').map((b) => b.attributes('data-test'))).toEqual(['always'])
  })

  it('refuses a missing or empty permission instead of showing the button', () => {
    const directive = createHasPermi(() => new Set(['x']))
    const Bad = defineComponent({
      render: () => withDirectives(h('button'), [[directive, []]]),
    })
    expect(() => mount(Bad)).toThrow(/v-hasPermi/)
  })

  it('reads the signed-in user from the auth store', () => {
    setActivePinia(createPinia())
    const auth = useAuthStore()
    auth.user = {
      id: 4,
      username: 'heping',
      display_name: '和平区经办员',
      role_code: 'county_officer',
      role_name: '县级经办人员',
      permissions: ['registry:person:list', 'registry:person:write'],
      scope_code: '210102',
      scope_name: '辽宁省沈阳市和平区',
      disabled: false,
      created_at: '2020-05-31T00:00:00Z',
      business_date: '2020-05-31',
    }
    const w = mount(Toolbar, { global: { directives: { hasPermi } } })
    expect(w.find('[data-test=create]').exists()).toBe(true)
    expect(w.find('[data-test=reveal]').exists()).toBe(false)
    expect(w.find('[data-test=files]').exists()).toBe(false)
  })
})
