import { afterEach, describe, expect, it, vi } from 'vitest'
import { api, call, callBlob, fileNameOf, onUnauthorized, setApiFetch } from './client'
import { ApiError, CODE_MESSAGES, errorMessage, toApiError } from './errors'

function json(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/json', ...headers },
  })
}

/** Routes every request to `respond` and records what was asked. */
function mockServer(respond: (req: Request) => Response | Promise<Response>) {
  const seen: Request[] = []
  setApiFetch(async (req: Request) => {
    seen.push(req)
    return respond(req)
  })
  return seen
}

afterEach(() => {
  setApiFetch(undefined)
  onUnauthorized(null)
})

describe('call', () => {
  it('returns the data of a success and sends typed parameters', async () => {
    const seen = mockServer(() => json(200, { total: 1, page: 2, page_size: 10, rows: [] }))
    const page = await call(api.GET('/persons', { params: { query: { name: '王', page: 2, page_size: 10 } } }))
    expect(page.total).toBe(1)
    const url = new URL(seen[0].url)
    expect(url.pathname).toBe('/api/v1/persons')
    expect(url.searchParams.get('name')).toBe('王')
    expect(url.searchParams.get('page')).toBe('2')
  })

  it('maps a 422 validation answer with per-field problems', async () => {
    mockServer(() =>
      json(422, {
        code: 'validation',
        message: '身份证号校验位错误：应为 7，实际为 4；手机号：应为以1开头的11位数字',
        fields: [
          { column: 'id_no', message: '身份证号校验位错误：应为 7，实际为 4' },
          { column: 'phone', message: '手机号：应为以1开头的11位数字' },
        ],
      }),
    )
    const err = await call(api.POST('/persons', { body: { name: '张三' } })).catch((e) => e)
    expect(err).toBeInstanceOf(ApiError)
    expect(err.status).toBe(422)
    expect(err.code).toBe('validation')
    expect(err.fieldMap()).toEqual({
      id_no: '身份证号校验位错误：应为 7，实际为 4',
      phone: '手机号：应为以1开头的11位数字',
    })
  })

  it.each([
    [403, 'auth.forbidden', '没有操作权限(registry:person:reveal)'],
    [403, 'scope.denied', '新用户的数据范围须在本人数据范围之内'],
    [404, 'not_found', '记录不存在或不在您的数据权限范围内'],
    [409, 'conflict', '身份证号已登记'],
    [423, 'auth.locked', '连续登录失败次数过多,账户已锁定,请于 2020-05-31 10:00 后重试或联系管理员解锁'],
  ])('keeps the server message of %i %s', async (status, code, message) => {
    mockServer(() => json(status, { code, message }))
    const err = await call(api.GET('/persons/{id}', { params: { path: { id: 7 } } })).catch((e) => e)
    expect(err).toBeInstanceOf(ApiError)
    expect(err.status).toBe(status)
    expect(err.code).toBe(code)
    expect(err.message).toBe(message)
  })

  it('gives a Chinese message for an answer that is not the API error body', async () => {
    mockServer(() => new Response('<html>Bad Gateway</html>', { status: 502, headers: { 'content-type': 'text/html' } }))
    const err = await call(api.GET('/dicts')).catch((e) => e)
    expect(err.code).toBe('http.502')
    expect(err.message).toMatch(/服务暂不可用/)
  })

  it('fills in the message of a known code sent without one', () => {
    expect(toApiError(404, { code: 'not_found', message: '' }).message).toBe(CODE_MESSAGES.not_found)
    expect(toApiError(418, 'teapot').message).toBe('请求失败（HTTP 418）')
  })

  it('reports a network failure as such', async () => {
    setApiFetch(async () => {
      throw new TypeError('Failed to fetch')
    })
    const err = await call(api.GET('/dicts')).catch((e) => e)
    expect(err.code).toBe('network')
    expect(errorMessage(err)).toBe('无法连接服务器，请检查网络后重试')
  })

  it('sends an expired session (401 auth.required) to the session handler', async () => {
    const handler = vi.fn()
    onUnauthorized(handler)
    mockServer(() => json(401, { code: 'auth.required', message: '未登录或登录已超时,请重新登录' }))
    const err = await call(api.GET('/auth/me')).catch((e) => e)
    expect(err.status).toBe(401)
    expect(handler).toHaveBeenCalledTimes(1)
    expect(handler.mock.calls[0][0].code).toBe('auth.required')
  })

  it('does not treat a wrong password as an expired session', async () => {
    const handler = vi.fn()
    onUnauthorized(handler)
    mockServer(() => json(401, { code: 'auth.bad_credentials', message: '用户名或密码错误,连续 5 次错误将锁定账户' }))
    const err = await call(api.POST('/auth/login', { body: { username: 'a', password: 'b' } })).catch((e) => e)
    expect(err.code).toBe('auth.bad_credentials')
    expect(err.message).toBe('用户名或密码错误,连续 5 次错误将锁定账户')
    expect(handler).not.toHaveBeenCalled()
  })
})

describe('downloads', () => {
  it('takes the file name from an RFC 5987 Content-Disposition', () => {
    const r = new Response('', {
      headers: {
        'content-disposition':
          "attachment; filename=\"export.xlsx\"; filename*=UTF-8''%E4%BA%BA%E5%91%98-20200531.xlsx",
      },
    })
    expect(fileNameOf(r, 'x.xlsx')).toBe('人员-20200531.xlsx')
    expect(fileNameOf(new Response(''), 'x.xlsx')).toBe('x.xlsx')
  })

  it('returns the blob and its name, or the error of a refused export', async () => {
    mockServer(
      () =>
        new Response(new Uint8Array([0x50, 0x4b, 3, 4]), {
          headers: { 'content-disposition': "attachment; filename*=UTF-8''%E5%8D%95%E4%BD%8D.xlsx" },
        }),
    )
    const d = await callBlob(api.GET('/enterprises/export', { parseAs: 'blob' }), 'x.xlsx')
    expect(d.fileName).toBe('单位.xlsx')
    expect(d.blob.size).toBe(4)

    mockServer(() => json(403, { code: 'auth.forbidden', message: '没有操作权限(registry:enterprise:export)' }))
    const err = await callBlob(api.GET('/enterprises/export', { parseAs: 'blob' }), 'x.xlsx').catch((e) => e)
    expect(err).toBeInstanceOf(ApiError)
    expect(err.code).toBe('auth.forbidden')
  })
})
