/**
 * Numbers as people read them. Money as the API keeps it, integer 分 (fen), and as people read and
 * type it, 元. Conversions work on the decimal digits (BigInt), never on floats: 0.1 + 0.2 must not
 * reach a subsidy. Counts with thousands separators, as money is shown.
 */

const DECIMAL = /^(-?)(\d+)(?:\.(\d+))?$/

/** Digits grouped in thousands: "1867336" → "1,867,336". */
function groupThousands(digits: string): string {
  return digits.replace(/\B(?=(\d{3})+(?!\d))/g, ',')
}

/**
 * A count (people, enterprises, records) with thousands separators, as the home page shows them:
 * 1867336 → "1,867,336". An integer given as text ("39442", a printed cell) likewise; other text
 * ("6.5%", "") as it is; none → "—".
 */
export function formatCount(n: number | string | null | undefined): string {
  if (n == null) return '—'
  const text = String(n).trim()
  return /^-?\d+$/.test(text) ? groupThousands(text) : text
}

/** Fen (an integer, or a decimal string such as an exact amount "740736.5") as 元 with two decimals and thousands separators: 600000 → "6,000.00"; a fraction of a fen rounds half up. */
export function fenToYuan(fen: number | string | null | undefined): string {
  if (fen == null || fen === '') return '—'
  const text = String(fen).trim()
  const m = DECIMAL.exec(text)
  if (!m) return text
  const whole = BigInt(m[2]) + (m[3] && m[3][0] >= '5' ? 1n : 0n)
  const digits = whole.toString().padStart(3, '0')
  const yuan = groupThousands(digits.slice(0, -2))
  return `${m[1] && whole !== 0n ? '-' : ''}${yuan}.${digits.slice(-2)}`
}

/** 元 as typed ("1,200.5", "-3", "0.05") in integer fen as a decimal string, or null when it is not an amount of at most two decimals. */
export function yuanToFen(text: string): string | null {
  const m = DECIMAL.exec(text.trim().replace(/[,，\s]/g, ''))
  if (!m || (m[3] && m[3].length > 2)) return null
  const fen = BigInt(m[2] + (m[3] ?? '').padEnd(2, '0'))
  return (m[1] ? -fen : fen).toString()
}

/**
 * 元 as typed, as the JSON number of fen the API takes, or the message to show. The API's
 * integers are exact only up to 2^53, so larger amounts are refused rather than rounded.
 */
export function yuanToFenNumber(text: string): { value: number } | { error: string } {
  const fen = yuanToFen(text)
  if (fen == null) return { error: `“${text.trim()}”不是金额（元，最多两位小数）` }
  const n = Number(fen)
  return Number.isSafeInteger(n) ? { value: n } : { error: `金额“${text.trim()}”过大` }
}
