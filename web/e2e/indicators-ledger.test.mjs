// End-to-end journeys of the indicators module's ledger (台账), annual targets (年度目标) and
// catalogue (指标目录) in headless Chromium against a real wenjiu server: entering a value for
// an unpublished month, checking the cities' targets against the province's, correcting a
// published month, and what a city officer may not do.
import { describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { openConsole, pickRegion, screenshot, signIn, signOut } from './harness.mjs'

let server
let page

const loginOk = (username) => signIn(page, server.baseURL, username)
const logout = () => signOut(page)

/** Opens a page of the menu and waits until its entry is the highlighted one. */
async function openMenu(title) {
  await page.locator('[data-test=menu] .el-menu-item', { hasText: title }).first().click()
  await page.locator('[data-test=menu] .el-menu-item.is-active', { hasText: title }).waitFor()
}

/** Picks an option of an open Element Plus select by its popper class. */
async function pickOption(popperClass, text) {
  await page.locator(`.${popperClass} .el-select-dropdown__item:visible`, { hasText: text }).first().click()
}

/** Waits for the ledger table to have loaded (no loading mask) and returns its body. */
async function ledgerTable() {
  const table = page.locator('[data-test=table]')
  await table.locator('.el-loading-mask').waitFor({ state: 'detached' }).catch(() => undefined)
  return table
}

/** The ledger table's row of a region and month. */
const ledgerRow = (region, month) =>
  page.locator('[data-test=table] .el-table__body .el-table__row', {
    has: page.locator(`[data-test=row-region][data-region="${region}"][data-month="${month}"]`),
  })

/** The regions and months of the ledger table's rows. */
const ledgerCells = () =>
  page
    .locator('[data-test=table] [data-test=row-region]')
    .evaluateAll((els) => els.map((e) => `${e.dataset.region}:${e.dataset.month}`))

describe('indicators ledger, targets and catalogue', () => {
  openConsole((s) => ({ server, page } = s))

  test('the administrator filters the ledger and enters 城镇从业人员数 for 沈阳市, May 2020', async () => {
    await loginOk('admin')
    await openMenu('指标台账')
    await page.locator('[data-test=table] [data-test=row-region]').first().waitFor()

    // Search: indicator 城镇从业人员数, month 2020-05 to 2020-05.
    await page.locator('[data-test=search-indicator]').click()
    await pickOption('search-indicator-popper', '城镇从业人员数')
    const months = page.locator('.search-months input')
    await months.nth(0).fill('2020-05')
    await months.nth(0).press('Tab')
    await months.nth(1).fill('2020-05')
    await months.nth(1).press('Enter')
    await page.keyboard.press('Escape')
    await page.locator('[data-test=search-submit]').click()
    await page.waitForFunction(() => {
      const cells = [...document.querySelectorAll('[data-test=table] [data-test=row-region]')]
      return cells.length > 0 && cells.every((c) => c.dataset.month === '2020-05')
    })
    const total = page.locator('.pagination .el-pagination__total')
    assert.equal((await total.innerText()).trim(), '共 114 条', 'one value for each of the 14 cities and 100 counties')
    assert.doesNotMatch(await (await ledgerTable()).innerText(), /已发布/, 'May 2020 is not published')

    // 填报: 城镇从业人员数, 沈阳市, 2020-05.
    await page.locator('[data-test=btn-enter]').click()
    const dialog = page.locator('[data-test=enter-dialog]')
    await dialog.waitFor()
    await dialog.locator('[data-test=field-indicator] .el-select').click()
    await pickOption('enter-indicator-popper', '城镇从业人员数')
    await pickRegion(page, dialog.locator('[data-test=field-region] .el-cascader'), ['辽宁省', '沈阳市'])
    assert.equal(await dialog.locator('[data-test=field-month] input').inputValue(), '2020-05')
    await dialog.locator('[data-test=field-value] input').fill('1234567')
    await screenshot(page, '23-indicators-ledger-enter')
    await dialog.locator('[data-test=enter-submit]').click()
    await page.locator('.el-message--success', { hasText: '填报成功' }).waitFor()
    await dialog.waitFor({ state: 'hidden' })

    // 沈阳市's row among its own (the province's 114 take six pages).
    await page.goto(`${server.baseURL}/indicators/ledger?indicator=urban_employed&month=2020-05&region=2101`)
    const row = ledgerRow('210100', '2020-05')
    await row.locator('[data-test=row-value]', { hasText: '1,234,567人' }).waitFor()
    assert.match(await row.innerText(), /填报/)
    assert.match(await row.innerText(), /admin/)
    await screenshot(page, '23-indicators-ledger')
  })

  test('the administrator checks the 2020 targets of 城镇新增就业人数 for 辽宁省: they add up', async () => {
    await openMenu('年度目标')
    const year = page.locator('[data-test=year-select]')
    assert.match(await year.innerText(), /2020年/)
    const table = page.locator('[data-test=table]')
    await table.locator('[data-test=row-target]').first().waitFor()
    const text = await table.innerText()
    assert.match(text, /城镇新增就业人数/)
    assert.match(text, /420,000人/, 'the province’s target')
    assert.match(text, /沈阳市/)

    const panel = page.locator('[data-test=check-panel]')
    await panel.locator('[data-test=check-indicator]').click()
    await pickOption('check-indicator-popper', '城镇新增就业人数')
    await pickRegion(page, panel.locator('.check-region'), ['辽宁省'])
    await panel.locator('[data-test=check-submit]').click()
    const difference = panel.locator('[data-test=check-difference]')
    await difference.waitFor()
    assert.equal((await difference.innerText()).trim(), '0人')
    assert.equal(await difference.evaluate((e) => e.classList.contains('diff')), false, 'no red when it adds up')
    assert.equal((await panel.locator('[data-test=check-target]').innerText()).trim(), '420,000人')
    assert.equal((await panel.locator('[data-test=check-sum]').innerText()).trim(), '420,000人')
    assert.equal((await panel.locator('[data-test=check-missing]').innerText()).trim(), '无')
    await page.evaluate(() => document.querySelector('.el-main')?.scrollTo(0, 0))
    await screenshot(page, '25-indicators-targets')
  })

  test('the administrator corrects 沈阳市’s published April value and sees version 2 in its history', async () => {
    await page.goto(`${server.baseURL}/indicators/ledger?indicator=urban_employed&month=2020-04&region=2101`)
    const row = ledgerRow('210100', '2020-04')
    await row.waitFor()
    await row.locator('[data-test=row-published]').waitFor()
    const cells = await ledgerCells()
    assert.ok(cells.includes('210100:2020-04'), `沈阳市 itself: ${cells}`)
    assert.ok(cells.every((c) => /^2101\d\d:2020-04$/.test(c)), `the filters of the address: ${cells}`)
    assert.equal((await row.locator('[data-test=row-version]').innerText()).trim(), '1')
    await page.locator('[data-test=btn-publish]').waitFor()

    await row.locator('[data-test=row-correct]').click()
    const dialog = page.locator('[data-test=correct-dialog]')
    await dialog.waitFor()
    // The reason is required: without it the dialog says so and stays.
    await dialog.locator('[data-test=field-value] input').fill('1200000')
    await dialog.locator('[data-test=correct-submit]').click()
    await dialog.locator('[data-test=field-reason] .el-form-item__error').waitFor()
    await dialog.locator('[data-test=field-reason] textarea').fill('统计部门核定数更新')
    await dialog.locator('[data-test=correct-submit]').click()
    await page.locator('.el-message--success', { hasText: '第 2 版' }).waitFor()
    await dialog.waitFor({ state: 'hidden' })
    await row.locator('[data-test=row-value]', { hasText: '1,200,000人' }).waitFor()
    assert.equal((await row.locator('[data-test=row-version]').innerText()).trim(), '2')
    assert.match(await row.innerText(), /更正/)

    await row.locator('[data-test=row-history]').click()
    const drawer = page.locator('[data-test=history-drawer]')
    const versions = drawer.locator('[data-test=history-version]')
    await versions.nth(1).waitFor()
    assert.deepEqual((await versions.allInnerTexts()).map((v) => v.trim()), ['1', '2'])
    const history = await drawer.locator('[data-test=history-table]').innerText()
    assert.match(history, /统计部门核定数更新/)
    assert.match(history, /1,200,000人/)
    await screenshot(page, '24-indicators-ledger-history')
    await drawer.locator('.el-drawer__close-btn').click()
    await drawer.waitFor({ state: 'hidden' })
  })

  test('the administrator adds a supplied indicator to the catalogue', async () => {
    await openMenu('指标目录')
    const table = page.locator('[data-test=table]')
    await table.locator('.el-table__row', { hasText: '城镇登记失业率' }).waitFor()
    const rate = await table.locator('.el-table__row', { hasText: '城镇登记失业率' }).innerText()
    assert.match(rate, /越低越好/)
    assert.match(rate, /由其他指标计算/)

    await page.locator('[data-test=btn-create]').click()
    const dialog = page.locator('[data-test=indicator-dialog]')
    await dialog.waitFor()
    await dialog.locator('[data-test=field-code] input').fill('rural_transfer')
    await dialog.locator('[data-test=field-name] input').fill('农村劳动力转移就业人数')
    await dialog.locator('[data-test=indicator-submit]').click()
    await page.locator('.el-message--success', { hasText: '新增成功' }).waitFor()
    const added = table.locator('.el-table__row', { hasText: 'rural_transfer' })
    await added.waitFor()
    assert.match(await added.innerText(), /导入或填报/)
    await screenshot(page, '26-indicators-catalogue')
    await logout()
  })

  test('the 沈阳 officer enters values but has no 发布 or 更正', async () => {
    await loginOk('shenyang')
    await page.goto(`${server.baseURL}/indicators/ledger?indicator=urban_employed&month=2020-04`)
    const row = ledgerRow('210100', '2020-04')
    await row.waitFor()
    await row.locator('[data-test=row-published]').waitFor()
    const cells = await ledgerCells()
    assert.ok(cells.length > 0 && cells.every((c) => c.startsWith('2101')), `only 沈阳: ${cells}`)
    assert.ok(cells.every((c) => c.endsWith(':2020-04')), `the month of the address: ${cells}`)
    assert.equal(await page.locator('[data-test=btn-enter]').count(), 1, 'a city officer enters values')
    assert.equal(await page.locator('[data-test=btn-publish]').count(), 0, 'no 发布 without indicators:publish')
    assert.equal(await page.locator('[data-test=row-correct]').count(), 0, 'no 更正 without indicators:publish')
    await row.locator('[data-test=row-history]').click()
    const drawer = page.locator('[data-test=history-drawer]')
    await drawer.locator('[data-test=history-version]').first().waitFor()
    await drawer.locator('.el-drawer__close-btn').click()
    await drawer.waitFor({ state: 'hidden' })
    await logout()
  })
})
