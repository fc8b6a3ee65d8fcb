import { describe, expect, it } from 'vitest'
import { ACTION_GROUPS, actionLabel, detailLabel, targetLabel } from './audit'

describe('audit labels', () => {
  it('names the actions the server records, and keeps an unknown code', () => {
    expect(actionLabel('auth.login')).toBe('登录')
    expect(actionLabel('monitoring.filing.create')).toBe('裁员备案')
    expect(actionLabel('policy.screen.export')).toBe('导出筛查结果')
    expect(actionLabel('policy.grant.revoke')).toBe('撤销发放')
    expect(actionLabel('enterprise.import')).toBe('导入单位')
    expect(actionLabel('unemployment.export')).toBe('导出失业登记')
    expect(actionLabel('future.thing')).toBe('future.thing')
  })

  it('lists each action once; each group filter covers actions of its group', () => {
    const codes = ACTION_GROUPS.flatMap((g) => Object.keys(g.actions))
    expect(new Set(codes).size).toBe(codes.length)
    for (const g of ACTION_GROUPS) {
      for (const p of Object.keys(g.prefixes)) expect(Object.keys(g.actions).some((c) => c.startsWith(p))).toBe(true)
    }
    expect(codes.length).toBe(2 + 17 + 8 + 18 + 12 + 5)
  })

  it('names the targets by kind, and leaves other targets as they are', () => {
    expect(targetLabel('layoff_filing:6')).toBe('裁员备案 6')
    expect(targetLabel('person:135')).toBe('人员 135')
    expect(targetLabel('person:*')).toBe('人员')
    expect(targetLabel('grant:12')).toBe('补贴发放 12')
    expect(targetLabel('target:new_urban_employment:210100:2020')).toBe('年度目标 new_urban_employment:210100:2020')
    expect(targetLabel('210100:2020-05')).toBe('210100:2020-05')
    expect(targetLabel('')).toBe('')
  })

  it('puts field names of a detail in Chinese', () => {
    expect(detailLabel('id_no')).toBe('身份证号')
    expect(detailLabel('phone')).toBe('手机号')
    expect(detailLabel('2101**********7467；因就业终止失业登记 unemployment:181847')).toBe('2101**********7467；因就业终止失业登记 unemployment:181847')
  })
})
