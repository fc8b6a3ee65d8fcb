// End-to-end journey of 政策清单 / 政策试算 in headless Chromium against a real wenjiu server
// (started with the liaoning-2020 catalogue): the public policy list and a hire's evaluation
// in 大连 with its trace.
import { describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { openConsole, screenshot, signIn } from './harness.mjs'

let server
let page

const loginOk = (username) => signIn(page, server.baseURL, username)

async function openMenu(title) {
  await page.locator('[data-test=menu] .el-menu-item', { hasText: title }).first().click()
  await page.waitForFunction((t) => document.title.startsWith(`${t} ·`), title)
}

/** The editor row of a subject field. */
const fieldRow = (field) => page.locator(`[data-test="field-row-${field}"]`)

describe('policy list and evaluation', () => {
  openConsole((s) => ({ server, page } = s))

  test('the administrator sees the 13 policies with their conditions and parameters', async () => {
    await loginOk('admin')
    await openMenu('政策清单')
    const names = page.locator('[data-test=policy-table] [data-test=policy-name]')
    await names.first().waitFor()
    const all = (await names.allInnerTexts()).map((s) => s.trim())
    assert.equal(all.length, 13, `13 policies: ${all}`)
    assert.ok(all.some((n) => n.startsWith('一次性吸纳就业补贴')), `一次性吸纳就业补贴 listed: ${all}`)

    const row = page.locator('[data-test=policy-table] .el-table__row', { hasText: '吸纳失业人员、高校毕业生' }).first()
    await row.locator('.el-table__expand-icon').click()
    const detail = page.locator('[data-test=policy-detail]').first()
    await detail.locator('[data-test=policy-conditions]').waitFor()
    const text = await detail.innerText()
    assert.match(text, /签订1年以上劳动合同/)
    assert.match(text, /hire\.contract_months/)
    assert.match(text, /hiring_si_months/)
    assert.match(text, /舍去到分/)
    await screenshot(page, '27-policy-list')
  })

  test('a hire in 大连 on 2020-06-30 is eligible for the one-off hiring subsidy with its trace', async () => {
    await openMenu('政策试算')
    const form = page.locator('[data-test=evaluate-form]')

    await form.locator('[data-test=field-region] .el-cascader').click()
    const popper = page.locator('.region-cascader-popper').last()
    await popper.locator('.el-cascader-menu').first().locator('.el-cascader-node', { hasText: '辽宁省' }).click()
    await popper.locator('.el-cascader-menu').nth(1).locator('.el-cascader-node', { hasText: '大连市' }).click()
    await popper.locator('.el-cascader-menu').nth(2).locator('.el-cascader-node', { hasText: '中山区' }).click()

    const date = form.locator('[data-test=field-date] input')
    await date.fill('2020-06-30')
    await date.press('Enter')

    await form.locator('[data-test=field-policy] .el-select').click()
    await page.locator('.el-select-dropdown__item:visible', { hasText: '吸纳失业人员、高校毕业生' }).click()

    await page.locator('[data-test=fill-fields]').click()
    await fieldRow('hire.monthly_employer_si_fen').waitFor()
    for (const f of ['person.registered_unemployed', 'hire.si_paid']) {
      await fieldRow(f).locator('.el-switch').click()
    }
    for (const [f, v] of [
      ['person.unemployed_months', '8'],
      ['hire.contract_months', '12'],
      ['hire.monthly_employer_si_fen', '100000'],
    ]) {
      const box = fieldRow(f).locator('[data-test=field-value] input, input[data-test=field-value]').first()
      await box.fill(v)
      await box.press('Tab')
    }
    const start = fieldRow('hire.start_date').locator('.el-date-editor input').first()
    await start.fill('2020-06-01')
    await start.press('Enter')
    assert.equal(await fieldRow('person.graduate_of_year').locator('.el-switch.is-checked').count(), 0)

    await page.locator('[data-test=btn-evaluate]').click()
    const result = page.locator('[data-test=result-hiring-si]')
    await result.waitFor()
    assert.equal((await result.locator('[data-test=outcome]').innerText()).trim(), '可享受')
    assert.equal((await result.locator('[data-test=amount]').innerText()).trim(), '6,000.00 元')

    await result.locator('.el-collapse-item__header').click()
    const trace = result.locator('[data-test=trace]')
    await trace.locator('[data-test=amount-steps]').waitFor()
    const conds = (await trace.locator('[data-test=trace-condition]').allInnerTexts()).map((s) => s.trim())
    assert.equal(conds.length, 4)
    assert.ok(conds.every((c) => c.startsWith('✔')), `all conditions hold: ${conds}`)
    assert.match(conds[1], /签订1年以上劳动合同/)
    const amount = await trace.locator('[data-test=trace-amount]').innerText()
    assert.match(amount, /hiring_si_months = 6（(辽宁省)?大连市，2020-01-01 起，来源：/)
    assert.match(amount, /精确值 6,000.00 元/)
    assert.match(amount, /取整 6,000.00 元/)
    await screenshot(page, '28-policy-evaluate')
  })
})
