import { describe, expect, it } from 'vitest'
import { checkCreditCode, checkIdCard, checkMobile, checkPersonName, choiceRule, creditCheckChar, idCheckChar, ruleOf } from './validate'

const TODAY = new Date(2020, 4, 31)

describe('resident ID numbers (GB 11643)', () => {
  it('accepts valid numbers, with a lower-case x too', () => {
    expect(checkIdCard('11010519491231002X', TODAY)).toBeNull()
    expect(checkIdCard('11010519491231002x', TODAY)).toBeNull()
    expect(checkIdCard(' 11010519491231002X ', TODAY)).toBeNull()
    const body = '21010219900315123'
    expect(checkIdCard(body + idCheckChar(body), TODAY)).toBeNull()
  })

  it('names the wrong check character as the server does', () => {
    expect(checkIdCard('110105194912310021', TODAY)).toBe('身份证号校验位错误：应为 X，实际为 1')
  })

  it('rejects other malformed numbers with the server messages', () => {
    expect(checkIdCard('110105491231002', TODAY)).toBe('身份证号为15位旧号码，请提供18位身份证号')
    expect(checkIdCard('1101051949123100', TODAY)).toBe('身份证号应为18位，实际为16位')
    expect(checkIdCard('11010519491231A02X', TODAY)).toBe('身份证号第15位字符“A”无效：前17位应为数字，第18位应为数字或X')
    expect(checkIdCard('99010519491231002X', TODAY)).toBe('身份证号前两位“99”不是有效的省级行政区划代码')
    expect(checkIdCard('110105194902300020', TODAY)).toBe('身份证号中的出生日期“19490230”不是有效日期')
    const future = '11010520300101001'
    expect(checkIdCard(future + idCheckChar(future), TODAY)).toBe(
      '身份证号中的出生日期 2030-01-01 超出有效范围：应在 1900-01-01 至今天之间',
    )
  })
})

describe('unified social credit codes (GB 32100)', () => {
  it('accepts valid codes, in lower case too', () => {
    expect(checkCreditCode('91350100M000100Y43')).toBeNull()
    expect(checkCreditCode('91350100m000100y43')).toBeNull()
    expect(creditCheckChar('91350100M000100Y4')).toBe('3')
  })

  it('rejects malformed codes with the server messages', () => {
    expect(checkCreditCode('91350100M000100Y4')).toBe('统一社会信用代码应为18位，实际为17位')
    expect(checkCreditCode('91350100M000100Y44')).toBe('统一社会信用代码校验位错误：应为 3，实际为 4')
    expect(checkCreditCode('9135010OM000100Y43')).toBe(
      '统一社会信用代码第8位字符“O”无效：只允许数字和除 I、O、S、V、Z 以外的大写字母',
    )
    expect(checkCreditCode('91A50100M000100Y43')).toBe('统一社会信用代码第3至8位“A50100”无效：应为6位数字的行政区划代码')
    expect(checkCreditCode('91350100M000100X43')).toBe('统一社会信用代码中的组织机构代码校验位错误：应为 6，实际为 4')
  })
})

describe('other fields', () => {
  it('mobile numbers are 11 digits starting with 1', () => {
    expect(checkMobile('13800138000')).toBeNull()
    expect(checkMobile('23800138000')).toBe('手机号：应为以1开头的11位数字')
    expect(checkMobile('1380013800')).toBe('手机号：应为以1开头的11位数字')
  })

  it('names have no digits', () => {
    expect(checkPersonName('张三')).toBeNull()
    expect(checkPersonName('张三1')).toBe('姓名：不能包含数字')
    expect(checkPersonName('张三３')).toBe('姓名：不能包含数字')
    expect(checkPersonName('  ')).toBe('姓名为必填项')
  })
})

describe('form rules', () => {
  function run(rule: ReturnType<typeof ruleOf>, value: unknown): string | undefined {
    let message: string | undefined = 'not called'
    rule.validator({}, value, (e?: Error) => {
      message = e?.message
    })
    return message
  }

  it('requires a value only when asked, then applies the check', () => {
    const required = ruleOf('身份证号', (t) => checkIdCard(t, TODAY), true)
    expect(run(required, '')).toBe('身份证号为必填项')
    expect(run(required, '110105194912310021')).toBe('身份证号校验位错误：应为 X，实际为 1')
    expect(run(required, '11010519491231002X')).toBeUndefined()
    const optional = ruleOf('手机号', checkMobile)
    expect(run(optional, '')).toBeUndefined()
    expect(run(optional, '123')).toBe('手机号：应为以1开头的11位数字')
  })

  it('checks typed text on blur and a choice as soon as it changes', () => {
    expect(ruleOf('姓名', null, true).trigger).toBe('blur')
    const region = choiceRule('地区')
    expect(region.trigger).toBe('change')
    expect(run(region, '')).toBe('地区为必填项')
    expect(run(region, '210102')).toBeUndefined()
  })
})
