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

/** The day after a YYYY-MM-DD date ("2020-02-28" → "2020-02-29", "2020-12-31" → "2021-01-01"). */
export function nextDay(date: string): string {
  const t = new Date(`${date}T00:00:00Z`)
  if (Number.isNaN(t.getTime())) return date
  t.setUTCDate(t.getUTCDate() + 1)
  return t.toISOString().slice(0, 10)
}

/**
 * A date-range picker's [first, last] days (YYYY-MM-DD, both chosen to be included) as the API's
 * `from` / `to` filters. The API's `to` is exclusive, so it gets the day after the last: without
 * this, 2019-05-31 至 2019-05-31 finds nothing. No range: both empty (no filter).
 */
export function dateRangeQuery(range: readonly [string, string] | null | undefined): { from: string; to: string } {
  if (!range?.[0] || !range[1]) return { from: '', to: '' }
  return { from: range[0], to: nextDay(range[1]) }
}
