import { describe, expect, test } from 'vitest'
import { ApiError } from '@/api/errors'
import { useLoader } from './useLoader'

describe('useLoader', () => {
  test('holds the data of a load, or the message of a failed one', async () => {
    let fail = false
    const l = useLoader(async () => {
      if (fail) throw new ApiError(404, 'not_found', '记录不存在')
      return 7
    })
    await l.load()
    expect(l.data.value).toBe(7)
    expect(l.loading.value).toBe(false)
    fail = true
    await l.load()
    expect(l.data.value).toBeNull()
    expect(l.failure.value).toBe('记录不存在')
  })

  test('an older answer arriving late is ignored', async () => {
    const resolvers: ((v: number) => void)[] = []
    const l = useLoader(() => new Promise<number>((r) => resolvers.push(r)))
    const first = l.load()
    const second = l.load()
    resolvers[1](2)
    await second
    resolvers[0](1)
    await first
    expect(l.data.value).toBe(2)
  })
})
