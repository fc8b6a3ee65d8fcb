import type { Download } from '@/api/client'

/** Hands a downloaded file to the browser to save. */
export function saveDownload({ blob, fileName }: Download): void {
  const url = URL.createObjectURL(blob)
  const a = document.createElement('a')
  a.href = url
  a.download = fileName
  a.style.display = 'none'
  document.body.appendChild(a)
  a.click()
  a.remove()
  setTimeout(() => URL.revokeObjectURL(url), 60_000)
}

/**
 * Shows a downloaded HTML document (a printable page) in a tab. The tab must be opened by the
 * click itself (`window.open` before the request): pop-up blockers refuse one opened later.
 */
export function showInTab(tab: Window, { blob }: Download): void {
  const url = URL.createObjectURL(new Blob([blob], { type: 'text/html;charset=utf-8' }))
  tab.location.href = url
  setTimeout(() => URL.revokeObjectURL(url), 60_000)
}

/** Drops empty values from a filter object, for query strings. */
export function compact<T extends object>(q: T): Partial<T> {
  const out: Partial<T> = {}
  for (const [k, v] of Object.entries(q)) {
    if (v !== '' && v != null) (out as Record<string, unknown>)[k] = v
  }
  return out
}
