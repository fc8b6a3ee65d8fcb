/** Errors of the wenjiu API as the console shows them: a stable code and a Chinese message. */

export interface FieldProblem {
  /** The field's key (`id_no`) as in the API and the import columns. */
  column: string
  message: string
}

/** Default Chinese messages by error code, used when the server sent no message of its own. */
export const CODE_MESSAGES: Record<string, string> = {
  'auth.required': '未登录或登录已超时，请重新登录',
  'auth.forbidden': '没有操作权限',
  'auth.bad_credentials': '用户名或密码错误',
  'auth.locked': '账户已锁定，请稍后重试或联系管理员',
  'scope.denied': '超出您的数据权限范围',
  not_found: '记录不存在或不在您的数据权限范围内',
  conflict: '数据冲突：记录已存在或已被他人修改',
  validation: '提交的数据有误，请按提示修改',
  'file.invalid': '文件无法读取，请上传 CSV 或 XLSX 文件',
  'file.missing': '请选择要导入的文件',
  'file.upload': '文件上传失败，请重试',
  'import.missing_columns': '文件缺少必需的列',
  'import.failed': '导入失败',
  internal: '服务器内部错误，请稍后重试或联系管理员',
  network: '无法连接服务器，请检查网络后重试',
  'response.invalid': '服务器返回的数据无法识别，请稍后重试',
}

/** Default messages by HTTP status, for answers without a JSON error body (e.g. a proxy's 502). */
export const STATUS_MESSAGES: Record<number, string> = {
  400: '请求参数有误',
  401: CODE_MESSAGES['auth.required'],
  403: CODE_MESSAGES['auth.forbidden'],
  404: CODE_MESSAGES.not_found,
  409: CODE_MESSAGES.conflict,
  413: '文件过大，超出允许的上传大小',
  422: CODE_MESSAGES.validation,
  423: CODE_MESSAGES['auth.locked'],
  429: '请求过于频繁，请稍后再试',
  500: CODE_MESSAGES.internal,
  502: '服务暂不可用（网关错误），请稍后重试',
  503: '服务暂不可用，请稍后重试',
  504: '服务响应超时，请稍后重试',
}

export class ApiError extends Error {
  readonly status: number
  readonly code: string
  readonly fields: FieldProblem[]

  constructor(status: number, code: string, message: string, fields: FieldProblem[] = []) {
    super(message)
    this.name = 'ApiError'
    this.status = status
    this.code = code
    this.fields = fields
  }

  /** The field errors keyed by field, for showing under form items. */
  fieldMap(): Record<string, string> {
    const map: Record<string, string> = {}
    for (const f of this.fields) {
      map[f.column] = map[f.column] ? `${map[f.column]}；${f.message}` : f.message
    }
    return map
  }
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v)
}

function parseFields(v: unknown): FieldProblem[] {
  if (!Array.isArray(v)) return []
  return v
    .filter(isRecord)
    .filter((f) => typeof f.column === 'string' && typeof f.message === 'string')
    .map((f) => ({ column: f.column as string, message: f.message as string }))
}

/** Turns an error answer (status and the body, parsed as JSON when it was JSON) into an ApiError. */
export function toApiError(status: number, body: unknown): ApiError {
  if (typeof body === 'string') {
    try {
      body = JSON.parse(body)
    } catch {
      // not JSON: fall through to the status message
    }
  }
  if (isRecord(body) && typeof body.code === 'string') {
    const message =
      typeof body.message === 'string' && body.message.trim() !== ''
        ? body.message
        : (CODE_MESSAGES[body.code] ?? STATUS_MESSAGES[status] ?? `请求失败（HTTP ${status}）`)
    return new ApiError(status, body.code, message, parseFields(body.fields))
  }
  const message = STATUS_MESSAGES[status] ?? `请求失败（HTTP ${status}）`
  return new ApiError(status, `http.${status}`, message)
}

/** A failure to reach the server at all. */
export function networkError(): ApiError {
  return new ApiError(0, 'network', CODE_MESSAGES.network)
}

/** A message fit to show for anything thrown. */
export function errorMessage(e: unknown): string {
  if (e instanceof ApiError) return e.message
  if (e instanceof Error && e.message) return `操作失败：${e.message}`
  return '操作失败，请重试'
}
