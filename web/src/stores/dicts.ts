import { defineStore } from 'pinia'
import { ref } from 'vue'
import { api, call, type Schemas } from '@/api/client'

export type Dicts = Schemas['Dicts']
export type DictName = keyof Dicts
export type DictItem = Schemas['DictItem']

/** The code tables (loaded once): rows carry codes, the console shows labels. */
export const useDictStore = defineStore('dicts', () => {
  const dicts = ref<Dicts | null>(null)
  let pending: Promise<Dicts> | null = null

  function load(): Promise<Dicts> {
    if (dicts.value) return Promise.resolve(dicts.value)
    if (!pending) {
      pending = call(api.GET('/dicts'))
        .then((d) => {
          dicts.value = d
          return d
        })
        .finally(() => {
          pending = null
        })
    }
    return pending
  }

  function items(name: DictName): DictItem[] {
    return dicts.value?.[name] ?? []
  }

  function label(name: DictName, code: string | null | undefined): string {
    if (code == null || code === '') return ''
    return items(name).find((i) => i.code === code)?.label ?? code
  }

  return { dicts, load, items, label }
})
