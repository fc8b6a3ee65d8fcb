import { ApiError, errorMessage } from '@/api/errors'

type MessageType = 'success' | 'error' | 'warning' | 'info'

/** Shows a message; Element Plus's message component is loaded on first use (not on the login page). */
export function showMessage(type: MessageType, message: string): void {
  import('./feedback')
    .then(({ ElMessage }) => ElMessage({ type, message, showClose: type === 'error', duration: type === 'error' ? 6000 : 3000 }))
    .catch(() => window.alert(message))
}

/**
 * Shows an error to the user. An expired session is not repeated here: the session-expiry
 * handler already sends the user to the login page with its own message.
 */
export function notifyError(e: unknown, prefix = ''): void {
  if (e instanceof ApiError && e.status === 401 && e.code === 'auth.required') return
  const text = errorMessage(e)
  showMessage('error', prefix ? `${prefix}：${text}` : text)
  if (!(e instanceof ApiError)) console.error(e)
}

export function notifyOk(message: string): void {
  showMessage('success', message)
}
