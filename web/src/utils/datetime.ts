/**
 * A timestamp of the API (RFC 3339, usually UTC: "2026-11-27T11:23:57.568Z") in the browser's
 * local time: "2026-11-27 19:23", with `seconds` "2026-11-27 19:23:57". Other text as it is.
 */
export function formatTime(text: string | null | undefined, seconds = false): string {
  if (!text) return ''
  const d = new Date(text)
  if (Number.isNaN(d.getTime())) return text
  const pad = (n: number) => String(n).padStart(2, '0')
  const time = `${pad(d.getHours())}:${pad(d.getMinutes())}${seconds ? `:${pad(d.getSeconds())}` : ''}`
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${time}`
}
