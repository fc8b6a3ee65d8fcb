// End-to-end journey of 政策清单 / 政策试算 in headless Chromium against a real wenjiu server
// (started with the liaoning-2020 catalogue): the public policy list (with and without a
// session), a hire's evaluation in 大连 with its trace, typed field inputs with their errors,
// and the console on a phone's 390 px.
import { describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { openConsole, screenshot, signIn, signOut } from './harness.mjs'

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

  test('a visitor without a session reads the policy list, without the staff tools', async () => {
    // By its address, as by the login page's link.
    await page.goto(`${server.baseURL}/policy`)
    await page.locator('[data-test=policy-table] [data-test=policy-name]').first().waitFor()
    assert.equal(new URL(page.url()).pathname, '/policy')
    await page.goto(`${server.baseURL}/login`)
    await page.locator('[data-test=public-policies]').click()
    await page.waitForURL(/\/policy$/)
    const names = page.locator('[data-test=policy-table] [data-test=policy-name]')
    await names.first().waitFor()
    assert.equal(await names.count(), 13)
    assert.equal(await page.locator('[data-test=menu]').count(), 0, 'no console menu')
    assert.equal(await page.locator('.el-tabs__item', { hasText: '参数' }).count(), 0, 'no parameter history')
    const row = page.locator('[data-test=policy-table] .el-table__row', { hasText: '吸纳失业人员、高校毕业生' }).first()
    await row.locator('.el-table__expand-icon').click()
    await page.locator('[data-test=policy-params]').first().waitFor()
    assert.equal(await page.locator('[data-test=btn-adjust]').count(), 0, 'no 调整')
    // A visitor in 大连 sees the city's own standard beside the province's.
    const local = await page.locator('[data-test=policy-params] [data-test=param-local]').allInnerTexts()
    assert.ok(local.some((t) => /大连市 6 月（2020-01-01 起）/.test(t)), `大连's months: ${local}`)
    await page.locator('[data-test=login-link]').waitFor()
    await screenshot(page, '27a-policy-public')
    // Other pages still want a session.
    await page.goto(`${server.baseURL}/policy/evaluate`)
    await page.waitForURL(/\/login\?redirect=/)
    assert.doesNotMatch(page.url(), /expired/, 'no session expired: there was none')
  })

  test('the administrator sees the 13 policies with their conditions and parameters', async () => {
    await loginOk('admin')
    await openMenu('政策清单')
    assert.equal(await page.locator('[data-test=menu] .el-sub-menu__title', { hasText: '政策服务' }).count(), 1, 'the group is not named like its item')
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
    const businessDate = (await page.locator('[data-test=user-info]').innerText()).match(/业务日期 (\S+)/)[1]
    assert.equal(await date.inputValue(), businessDate, 'starts at the business date, as 政策筛查 does')
    await date.fill('2020-06-30')
    await date.press('Enter')

    await form.locator('[data-test=field-policy] .el-select').click()
    await page.locator('.el-select-dropdown__item:visible', { hasText: '吸纳失业人员、高校毕业生' }).click()

    await page.locator('[data-test=fill-fields]').click()
    await fieldRow('hire.monthly_employer_si_fen').waitFor()
    // Labelled and typed from the API: money in 元, a supplied flag as a switch.
    assert.match(await fieldRow('hire.monthly_employer_si_fen').innerText(), /元/)
    assert.match(await fieldRow('hire.monthly_employer_si_fen').locator('.field-name').innerText(), /单位月缴社会保险费/)
    assert.equal(await fieldRow('hire.si_paid').locator('.el-switch').count(), 1)
    for (const f of ['person.registered_unemployed', 'hire.si_paid']) {
      await fieldRow(f).locator('.el-switch').click()
    }
    for (const [f, v] of [
      ['person.unemployed_months', '8'],
      ['hire.contract_months', '12'],
      ['hire.monthly_employer_si_fen', '1000'],
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

  test('an enterprise is asked for its flags as switches; the error of a bad field shows by its row', async () => {
    await page.locator('[data-test=field-kind] .el-select').click()
    await page.locator('.el-select-dropdown__item:visible', { hasText: /^单位$/ }).click()
    await page.locator('[data-test=fill-fields]').click()
    for (const f of ['enterprise.incubation_platform', 'enterprise.ui_paid_in_full', 'enterprise.in_difficulty']) {
      assert.equal(await fieldRow(f).locator('.el-switch').count(), 1, `${f} is a switch`)
    }
    assert.match(await fieldRow('enterprise.in_difficulty').locator('.field-name').innerText(), /暂时生产经营困难企业/)

    // Money with three decimals is refused by the row before anything is sent.
    const cost = fieldRow('enterprise.operating_cost_fen').locator('.field-value input')
    await cost.fill('10.001')
    await page.locator('[data-test=btn-evaluate]').click()
    assert.match(await fieldRow('enterprise.operating_cost_fen').locator('[data-test=field-error]').innerText(), /不是金额/)
    await cost.fill('')

    // A field the server does not know: its 422 goes under that row.
    await page.locator('[data-test=add-field]').click()
    const added = page.locator('[data-test^=field-row-]').last()
    await added.locator('[data-test=field-name] input').fill('enterprise.nope')
    await added.locator('[data-test=field-name] input').press('Enter')
    await fieldRow('enterprise.nope').locator('.field-value input').fill('x')
    await page.locator('[data-test=btn-evaluate]').click()
    const error = fieldRow('enterprise.nope').locator('[data-test=field-error]')
    await error.waitFor()
    assert.match(await error.innerText(), /未知字段/)
    await screenshot(page, '28a-policy-evaluate-errors')
  })

  test('on a phone (390 px) the menu is a drawer and the page does not overflow', async () => {
    await page.setViewportSize({ width: 390, height: 844 })
    await page.goto(`${server.baseURL}/system/audit`)
    await page.locator('[data-test=table] .el-table__row').first().waitFor()
    assert.equal(await page.locator('.aside').count(), 0, 'no fixed sidebar')
    await page.locator('[data-test=menu-toggle]').click()
    await page.locator('[data-test=menu] .el-menu-item', { hasText: '政策筛查' }).click()
    await page.waitForFunction(() => document.title.startsWith('政策筛查 ·'))
    await page.locator('[data-test=menu]').waitFor({ state: 'hidden' })
    await page.locator('[data-test=runs-table]').waitFor()
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)
    assert.ok(overflow <= 0, `the page scrolls only inside its tables (${overflow}px too wide)`)
    await screenshot(page, '28b-phone-layout')
    await page.setViewportSize({ width: 1440, height: 900 })
    await signOut(page)
  })
})
