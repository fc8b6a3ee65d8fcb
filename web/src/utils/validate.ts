/**
 * Client-side checks with the server's rules and messages (wenjiu-core): resident ID numbers
 * (GB 11643-1999), unified social credit codes (GB 32100-2015), mobile numbers, names. The
 * server stays the authority; these only spare the user a round trip.
 */

/** Two-digit province codes of GB/T 2260. */
const PROVINCES = new Set([
  '11', '12', '13', '14', '15', '21', '22', '23', '31', '32', '33', '34', '35', '36', '37',
  '41', '42', '43', '44', '45', '46', '50', '51', '52', '53', '54', '61', '62', '63', '64',
  '65', '71', '81', '82',
])

const ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
const ID_CHECK = '10X98765432'

/** The check character of the first 17 digits of an ID number. */
export function idCheckChar(first17: string): string {
  let sum = 0
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * ID_WEIGHTS[i]
  return ID_CHECK[sum % 11]
}

function ymd(text: string): Date | null {
  const y = Number(text.slice(0, 4))
  const m = Number(text.slice(4, 6))
  const d = Number(text.slice(6, 8))
  const date = new Date(Date.UTC(y, m - 1, d))
  if (date.getUTCFullYear() !== y || date.getUTCMonth() !== m - 1 || date.getUTCDate() !== d) return null
  return date
}

function isoDate(d: Date): string {
  return d.toISOString().slice(0, 10)
}

/** Null when valid, else the server's message. `today` fixes "now" for tests. */
export function checkIdCard(text: string, today: Date = new Date()): string | null {
  const t = text.trim().replace(/x/g, 'X')
  const chars = [...t]
  if (chars.length === 15 && /^\d{15}$/.test(t)) return '身份证号为15位旧号码，请提供18位身份证号'
  if (chars.length !== 18) return `身份证号应为18位，实际为${chars.length}位`
  for (let i = 0; i < 18; i++) {
    const c = chars[i]
    const ok = /\d/.test(c) || (i === 17 && c === 'X')
    if (!ok) return `身份证号第${i + 1}位字符“${c}”无效：前17位应为数字，第18位应为数字或X`
  }
  if (!PROVINCES.has(t.slice(0, 2))) return `身份证号前两位“${t.slice(0, 2)}”不是有效的省级行政区划代码`
  const birthText = t.slice(6, 14)
  const birth = ymd(birthText)
  if (!birth) return `身份证号中的出生日期“${birthText}”不是有效日期`
  const todayUtc = new Date(Date.UTC(today.getFullYear(), today.getMonth(), today.getDate()))
  if (birth < new Date(Date.UTC(1900, 0, 1)) || birth > todayUtc) {
    return `身份证号中的出生日期 ${isoDate(birth)} 超出有效范围：应在 1900-01-01 至今天之间`
  }
  const expected = idCheckChar(t)
  if (expected !== t[17]) return `身份证号校验位错误：应为 ${expected}，实际为 ${t[17]}`
  return null
}

/** The 31 symbols of GB 32100 in value order (no I, O, S, V, Z). */
const CC_CHARSET = '0123456789ABCDEFGHJKLMNPQRTUWXY'
const CC_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]
const ORG_WEIGHTS = [3, 7, 9, 10, 5, 8, 4, 2]

function orgCheckChar(body8: string): string {
  let sum = 0
  for (let i = 0; i < 8; i++) {
    const c = body8[i]
    const v = /\d/.test(c) ? Number(c) : c.charCodeAt(0) - 65 + 10
    sum += v * ORG_WEIGHTS[i]
  }
  const n = 11 - (sum % 11)
  return n === 10 ? 'X' : n === 11 ? '0' : String(n)
}

/** The check character of the first 17 characters of a credit code. */
export function creditCheckChar(first17: string): string {
  let sum = 0
  for (let i = 0; i < 17; i++) sum += CC_CHARSET.indexOf(first17[i]) * CC_WEIGHTS[i]
  return CC_CHARSET[(31 - (sum % 31)) % 31]
}

export function checkCreditCode(text: string): string | null {
  const t = text.trim().toUpperCase()
  const chars = [...t]
  if (chars.length !== 18) return `统一社会信用代码应为18位，实际为${chars.length}位`
  for (let i = 0; i < 18; i++) {
    if (!CC_CHARSET.includes(chars[i])) {
      return `统一社会信用代码第${i + 1}位字符“${chars[i]}”无效：只允许数字和除 I、O、S、V、Z 以外的大写字母`
    }
  }
  const region = t.slice(2, 8)
  if (!/^\d{6}$/.test(region)) return `统一社会信用代码第3至8位“${region}”无效：应为6位数字的行政区划代码`
  const org = orgCheckChar(t.slice(8, 16))
  if (org !== t[16]) return `统一社会信用代码中的组织机构代码校验位错误：应为 ${org}，实际为 ${t[16]}`
  const check = creditCheckChar(t)
  if (check !== t[17]) return `统一社会信用代码校验位错误：应为 ${check}，实际为 ${t[17]}`
  return null
}

export function checkMobile(text: string): string | null {
  return /^1\d{10}$/.test(text.trim()) ? null : '手机号：应为以1开头的11位数字'
}

export function checkPersonName(text: string): string | null {
  const t = text.trim()
  if (t === '') return '姓名为必填项'
  if ([...t].length > 50) return '姓名：不能超过50个字符'
  if (/[0-9０-９]/.test(t)) return '姓名：不能包含数字'
  return null
}

export function requiredMessage(label: string): string {
  return `${label}为必填项`
}

/**
 * When a rule runs: `blur` for typed text; `change` for selects, cascaders and date pickers,
 * which never blur in a way the form sees (a required error would stay after choosing).
 */
export type RuleTrigger = 'blur' | 'change'

/** An Element Plus form rule from a check; empty values pass unless `required`. */
export interface FormRule {
  trigger: RuleTrigger
  required?: boolean
  validator: (rule: unknown, value: unknown, callback: (error?: Error) => void) => void
}

function isEmpty(v: unknown): boolean {
  return v == null || (typeof v === 'string' && v.trim() === '') || (Array.isArray(v) && v.length === 0)
}

export function ruleOf(
  label: string,
  check: ((text: string) => string | null) | null,
  required = false,
  trigger: RuleTrigger = 'blur',
): FormRule {
  return {
    trigger,
    required,
    validator: (_rule, value, callback) => {
      if (isEmpty(value)) {
        callback(required ? new Error(requiredMessage(label)) : undefined)
        return
      }
      const message = check ? check(String(value)) : null
      callback(message ? new Error(message) : undefined)
    },
  }
}

/** A required choice (select, cascader, date picker): checked as soon as it changes. */
export function choiceRule(label: string): FormRule {
  return ruleOf(label, null, true, 'change')
}
