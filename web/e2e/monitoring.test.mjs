// End-to-end journey of unemployment monitoring (失业动态监测) in headless Chromium against a real
// wenjiu demo: the enterprise user qiye reports a fall of 60 people for May 2020, the 沈阳 city
// reviewer returns it with a comment, qiye sees the comment and resubmits, the reviewer approves,
// and the enterprise's warning shows on the dashboard's county tile and in the warning list.
import { after, before, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { readFile } from 'node:fs/promises'
import { launchBrowser, screenshot, signIn, signOut, startServer, textInput, DEMO_PASSWORDS } from './harness.mjs'

const ENTERPRISE = '沈阳海通商贸有限公司'
const COMMENT = '减员原因说明不够具体，请补充订单减少的情况'

let server
let browser
let page

/** An API call as a demo user (the test's own set-up and look-ups). */
async function apiAs(username) {
  const r = await fetch(`${server.baseURL}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password: DEMO_PASSWORDS[username] }),
  })
  assert.ok(r.ok, `login ${username}: ${r.status}`)
  const cookie = r.headers.get('set-cookie').split(';')[0]
  return async (method, path, body) => {
    const res = await fetch(`${server.baseURL}/api/v1${path}`, {
      method,
      headers: { cookie, ...(body ? { 'content-type': 'application/json' } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    })
    const text = await res.text()
    assert.ok(res.ok, `${method} ${path}: ${res.status} ${text}`)
    return text ? JSON.parse(text) : null
  }
}

async function openMenu(title) {
  await page.locator('[data-test=menu] .el-menu-item', { hasText: title }).first().click()
  await page.waitForFunction((t) => document.title.startsWith(`${t} ·`), title)
}

/** Picks an option of the Element Plus select carrying `data-test`. */
async function choose(name, label) {
  await page.locator(`[data-test=${name}]`).click()
  await page.locator('.el-select-dropdown__item:visible', { hasText: label }).first().click()
}

/** The May 2020 row of the reports table. */
const mayRow = () => page.locator('[data-test=table] .el-table__body tr', { hasText: '2020-05' }).filter({ hasText: ENTERPRISE }).first()

async function openMayReport() {
  await mayRow().locator('[data-test=row-name]').click()
  await page.locator('[data-test=report-detail] [data-test=report-status]').waitFor()
}

/** The note dialog's textarea (Element Plus puts the attribute on the textarea itself). */
const noteInput = () => page.locator('textarea[data-test=note-input], [data-test=note-input] textarea').first()

/** Closes the open drawer: its overlay covers the menu and the header. */
async function closeDrawer() {
  if (await page.locator('.el-drawer').isVisible()) {
    await page.keyboard.press('Escape')
    await page.locator('.el-drawer').waitFor({ state: 'hidden' })
  }
}

async function leave() {
  await closeDrawer()
  await signOut(page)
}

/** Sends the report form and waits for the row to wait for review again; then signs out. */
async function submitAndLeave() {
  await page.locator('[data-test=report-submit]').click()
  await page.locator('[data-test=report-form]').waitFor({ state: 'hidden' })
  await page.locator('.el-message--success', { hasText: '已提交' }).last().waitFor()
  await mayRow().locator('[data-test=row-status]', { hasText: '待县市审核' }).waitFor()
  await leave()
}

/** The 沈阳 reviewer signs in and opens qiye's May report. */
async function reviewerOpensReport() {
  await signIn(page, server.baseURL, 'shenyang')
  await openMenu('监测月报')
  await textInput(page, 'filter-name').fill('海通')
  await page.locator('[data-test=btn-search]').click()
  await mayRow().waitFor()
  await openMayReport()
}

const reportStatus = () => page.locator('[data-test=report-detail] [data-test=report-status]')

describe('unemployment monitoring', () => {
  let enterpriseId
  before(async () => {
    server = await startServer()
    browser = await launchBrowser()
    const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, locale: 'zh-CN', acceptDownloads: true })
    page = await context.newPage()
    const qiye = await apiAs('qiye')
    const sample = await qiye('GET', '/monitoring/sample')
    assert.equal(sample.rows.length, 1, 'qiye sees its own enterprise of the sample')
    enterpriseId = sample.rows[0].enterprise_id
    // The city reminds qiye of its missing May report (the banner on its reports page).
    const shenyang = await apiAs('shenyang')
    await shenyang('POST', '/monitoring/chase', { month: '2020-05', enterprise_ids: [enterpriseId] })
  })

  after(async () => {
    await browser?.close()
    await server?.stop()
  })

  test('an enterprise reports a fall, the city returns it, the enterprise resubmits, the city approves, the warning shows', async () => {
    // qiye: the reminder, then its May report with a fall of 60 people.
    await signIn(page, server.baseURL, 'qiye')
    await openMenu('监测月报')
    await page.locator('[data-test=reminder-banner]', { hasText: '2020-05' }).waitFor()
    await page.locator('[data-test=btn-new-report]').click()
    const form = page.locator('[data-test=report-form]')
    await form.waitFor()
    const basis = await form.locator('.el-alert').innerText()
    const previous = Number(/上月就业人数\s*(\d+)/.exec(basis)?.[1])
    assert.ok(previous >= 60, `last month's headcount is shown: ${basis}`)
    await textInput(page, 'report-headcount').fill(String(previous - 60))
    await textInput(page, 'report-new-hires').fill('0')
    await textInput(page, 'report-decrease').fill('60')
    await page.locator('[data-test=report-submit]').click()
    // The fall needs a decrease type and a main reason: said under the fields, nothing sent.
    await form.locator('.el-form-item__error', { hasText: '必须选择减员类型' }).waitFor()
    await form.locator('.el-form-item__error', { hasText: '必须填写主要减员原因' }).waitFor()
    await screenshot(page, '40-monitoring-report-form')
    await choose('report-type', '经济性裁员')
    await choose('report-reason-0', '订单不足')
    await textInput(page, 'report-note-0').fill('订单减少')
    await submitAndLeave()

    // shenyang returns it with a comment.
    await reviewerOpensReport()
    await page.locator('[data-test=btn-return]').click()
    await page.locator('[data-test=note-confirm]').click()
    await page.locator('[data-test=note-dialog] .el-form-item__error', { hasText: '请填写退回意见' }).waitFor()
    await noteInput().fill(COMMENT)
    await page.locator('[data-test=note-confirm]').click()
    await reportStatus().filter({ hasText: '已退回' }).waitFor()
    await screenshot(page, '41-monitoring-report-returned')
    await leave()

    // qiye reads the comment and resubmits with a clearer note.
    await signIn(page, server.baseURL, 'qiye')
    await openMenu('监测月报')
    await mayRow().locator('[data-test=row-status]', { hasText: '已退回' }).waitFor()
    await openMayReport()
    await page.locator('[data-test=history-comment]', { hasText: COMMENT }).waitFor()
    await page.locator('[data-test=btn-resubmit]').click()
    await form.waitFor()
    assert.equal(await textInput(page, 'report-decrease').inputValue(), '60', 'the form keeps the returned figures')
    await textInput(page, 'report-note-0').fill('5月外贸订单减少四成，裁减销售岗位60人')
    await submitAndLeave()

    // shenyang approves: the report goes on to the province.
    await reviewerOpensReport()
    await page.locator('[data-test=btn-approve]').click()
    await page.locator('[data-test=note-confirm]').click()
    await reportStatus().filter({ hasText: '待省级审核' }).waitFor()
    const history = await page.locator('[data-test=report-history]').innerText()
    assert.match(history, /退回/)
    assert.match(history, /重新提交/)
    assert.match(history, /审核通过/)

    // The dashboard: 和平区's tile carries an open warning; it opens the county's warnings.
    await closeDrawer()
    await openMenu('监测看板')
    await page.locator('[data-test=card-sample]').waitFor()
    const tile = page.locator('[data-test=tile-210102]')
    await tile.waitFor()
    assert.notEqual(await tile.locator('.level').getAttribute('data-level'), 'none', 'an open warning in 和平区')
    await page.locator('[data-test=trend-chart] canvas').waitFor()
    await screenshot(page, '42-monitoring-dashboard')
    // The city's analysis report of the month as a Word file (a zip package).
    const [download] = await Promise.all([page.waitForEvent('download'), page.locator('[data-test=btn-export-docx]').click()])
    assert.match(download.suggestedFilename(), /沈阳.*2020-05.*\.docx$/)
    assert.equal((await readFile(await download.path())).subarray(0, 2).toString(), 'PK', 'a docx file')
    await tile.click()
    await page.waitForFunction(() => document.title.startsWith('失业预警 ·'))
    const warning = page.locator('[data-test=table] .el-table__body tr', { hasText: ENTERPRISE }).first()
    await warning.waitFor()
    assert.match(await warning.innerText(), /单个企业减员50人/)
    await warning.locator('[data-test=row-name]').click()
    await page.locator('[data-test=warning-detail] [data-test=warning-status]').waitFor()
    await screenshot(page, '43-monitoring-warning')
  })
})
