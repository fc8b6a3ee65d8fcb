/**
 * The typed API client. Paths, parameters and bodies are checked against `schema.d.ts`, which
 * is generated from `openapi.json` (the server's contract): a changed route breaks `vue-tsc`.
 */
import createClient from 'openapi-fetch'
import type { components, paths } from './schema'
import { ApiError, networkError, toApiError } from './errors'

export type Schemas = components['schemas']

export const API_BASE = '/api/v1'

type FetchLike = (input: Request) => Promise<Response>

/** `auth.required` anywhere: the session is missing or expired. */
let unauthorizedHandler: ((e: ApiError) => void) | null = null

export function onUnauthorized(handler: ((e: ApiError) => void) | null): void {
  unauthorizedHandler = handler
}

export function createApi(fetchImpl?: FetchLike) {
  return createClient<paths>({
    baseUrl: API_BASE,
    credentials: 'same-origin',
    ...(fetchImpl ? { fetch: fetchImpl } : {}),
  })
}

export let api = createApi()

/**
 * A file upload as a request's body: the form as it is (the schema types multipart bodies as
 * objects, and the client would otherwise send them as JSON).
 */
export function formBody(form: FormData) {
  return { body: form as unknown as Record<string, unknown>, bodySerializer: (b: unknown) => b as FormData }
}

/** Tests swap the transport. */
export function setApiFetch(fetchImpl: FetchLike | undefined): void {
  api = createApi(fetchImpl)
}

type Outcome<T> =
  | { data: T; error?: never; response: Response }
  | { data?: never; error: unknown; response: Response }

/**
 * Awaits a client call and returns its data, or throws an ApiError with the server's code and
 * Chinese message. A 401 `auth.required` also notifies the session-expiry handler.
 */
export async function call<T>(request: Promise<Outcome<T>>): Promise<NonNullable<T>> {
  let outcome: Outcome<T>
  try {
    outcome = await request
  } catch (e) {
    if (e instanceof ApiError) throw e
    if (e instanceof SyntaxError) throw new ApiError(0, 'response.invalid', '服务器返回的数据无法识别，请稍后重试')
    throw networkError()
  }
  const { response } = outcome
  if (!response.ok) {
    const err = toApiError(response.status, outcome.error)
    if (err.status === 401 && err.code !== 'auth.bad_credentials' && unauthorizedHandler) {
      unauthorizedHandler(err)
    }
    throw err
  }
  return outcome.data as NonNullable<T>
}

/** The file name of a download from its Content-Disposition (RFC 5987 `filename*` first). */
export function fileNameOf(response: Response, fallback: string): string {
  const cd = response.headers.get('content-disposition') ?? ''
  const star = /filename\*=UTF-8''([^;]+)/i.exec(cd)
  if (star) {
    try {
      return decodeURIComponent(star[1].trim())
    } catch {
      // fall through
    }
  }
  const plain = /filename="?([^";]+)"?/i.exec(cd)
  return plain ? plain[1] : fallback
}

/** A file the server sent, with its name. */
export interface Download {
  blob: Blob
  fileName: string
}

/** Like `call`, for a binary answer (exports, error reports). */
export async function callBlob(
  request: Promise<Outcome<Blob>>,
  fallbackName: string,
): Promise<Download> {
  let response: Response | undefined
  const blob = await call(
    request.then((o) => {
      response = o.response
      return o
    }),
  )
  return { blob, fileName: response ? fileNameOf(response, fallbackName) : fallbackName }
}
