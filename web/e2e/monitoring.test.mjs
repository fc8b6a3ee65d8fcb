// End-to-end journey of unemployment monitoring (失业动态监测) in headless Chromium against a real
// wenjiu demo: the 沈阳 city officer chases qiye's missing May 2020 report; qiye sees the reminder
// and reports a fall of 60 people, the city returns it with a comment, qiye sees the comment and
// resubmits, the city approves; the enterprise's warning shows on the dashboard's county tile and in
// the warning list, where the city acknowledges it; the city's analysis report downloads as Word.
import { describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { readFile } from 'node:fs/promises'
import { openConsole, screenshot, signIn, signOut, textInput } from './harness.mjs'

const ENTERPRISE = '沈阳海通商贸有限公司'
const COMMENT = '减员原因说明不够具体，请补充订单减少的情况'

let server
let page

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
  openConsole((s) => ({ server, page } = s))

  test('the city sees the missing May report and sends a reminder', async () => {
    await signIn(page, server.baseURL, 'shenyang')
    await openMenu('报送情况')
    const row = page.locator('[data-test=table] .el-table__body tr', { hasText: ENTERPRISE })
    await row.waitFor()
    assert.match(await row.innerText(), /未报/)
    await row.locator('.el-checkbox').click()
    await page.locator('[data-test=btn-chase]', { hasText: '（1）' }).click()
    // 催报 asks first.
    const box = page.locator('.el-message-box', { hasText: '1 家企业' })
    await box.waitFor()
    await box.locator('.el-message-box__btns button', { hasText: '催报' }).click()
    await page.locator('.el-message--success', { hasText: '已向 1 家企业发送催报提醒' }).waitFor()
    await screenshot(page, '39-monitoring-status')
    await leave()
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
    // The city acknowledges it.
    await page.locator('[data-test=warning-detail] [data-test=btn-acknowledge]').click()
    await page.locator('[data-test=note-confirm]').click()
    await page.locator('[data-test=warning-detail] [data-test=warning-status]', { hasText: '已签收' }).waitFor()
    await page.locator('[data-test=warning-events]', { hasText: '签收' }).waitFor()
  })

  test('a filing: a step recorded with its evidence, 标记已实施 refused while steps are missing', async () => {
    await closeDrawer()
    await openMenu('裁员备案')
    // The demo's small 沈阳 filing (12 people), its procedure still incomplete.
    const filed = page.locator('[data-test=table] .el-table__body tr', { hasText: '程序未完成' }).filter({ hasText: /(^|\D)12 人（/ })
    await filed.locator('[data-test=row-name]').click()
    const detail = page.locator('[data-test=filing-detail]')
    await detail.locator('[data-test=filing-blockers]', { hasText: '听取工会或职工意见' }).waitFor()
    const step = detail.locator('[data-test=filing-steps] .el-table__body tr', { hasText: '听取工会或职工意见' })
    await step.locator('.el-date-editor input').fill('2020-05-20')
    await step.locator('.el-date-editor input').press('Enter')
    await textInput(page, 'step-evidence-hear_opinions').fill('职工代表大会纪要〔2020〕3号')
    await detail.locator('[data-test=step-save-hear_opinions]').click()
    await page.locator('.el-message--success', { hasText: '已记录' }).waitFor()
    await step.locator('.el-tag', { hasText: '已完成' }).waitFor()
    assert.doesNotMatch(await detail.locator('[data-test=filing-blockers]').innerText(), /听取工会/)
    await detail.locator('[data-test=btn-implement]').click()
    await page.locator('.el-message--error', { hasText: '向劳动行政部门报告' }).waitFor()
    await screenshot(page, '44-monitoring-filing')
    await leave()
  })

  test('the province imports reports on the enterprises\' behalf; a bad row comes back with its reason', async () => {
    await signIn(page, server.baseURL, 'admin')
    await openMenu('监测月报')
    await page.locator('[data-test=btn-import]').click()
    const dialog = page.locator('[data-test=import-reports-dialog]')
    const csv = '统一社会信用代码,月份,调查期就业人数,本月新增人数,本月减少人数,减员类型,减员原因一,原因说明一\r\n' + '91210102MA0000000X,2020-05,100,0,0,,,\r\n'
    await dialog.locator('input[type=file]').setInputFiles({ name: '月报.csv', mimeType: 'text/csv', buffer: Buffer.from(csv, 'utf8') })
    await dialog.locator('[data-test=import-start]').click()
    await dialog.locator('[data-test=rejected-count]', { hasText: '1' }).waitFor()
    assert.equal(await dialog.locator('[data-test=accepted-count]').innerText(), '0')
    assert.match(await dialog.locator('[data-test=rejected-table]').innerText(), /2/)
    await dialog.getByRole('button', { name: '关 闭' }).click()
    await dialog.waitFor({ state: 'hidden' })
  })

  test('the province changes a warning threshold', async () => {
    await openMenu('监测设置')
    await page.locator('.el-tabs__item', { hasText: '预警规则与推送' }).click()
    const people = page.locator('[data-test=rule-enterprise_50] .el-input-number input').first()
    assert.equal(await people.inputValue(), '50')
    await people.fill('55')
    await people.press('Tab')
    await page.locator('[data-test=btn-save-config]').click()
    await page.locator('.el-message--success', { hasText: '已保存' }).waitFor()
    await page.reload()
    await page.locator('.el-tabs__item', { hasText: '预警规则与推送' }).click()
    await page.waitForFunction(() => document.querySelector('[data-test=rule-enterprise_50] .el-input-number input')?.value === '55')
    await screenshot(page, '45-monitoring-rules')
  })

  test('the province moves May\'s reporting deadline; one before the opening day is refused', async () => {
    await page.locator('.el-tabs__item', { hasText: '报送期限' }).click()
    const opens = page.locator('[data-test=deadline-opens] input')
    const due = page.locator('[data-test=deadline-due] input')
    await page.waitForFunction(() => document.querySelector('[data-test=deadline-opens] input')?.value !== '')
    const setDue = async (day) => {
      await due.fill(day)
      await due.press('Enter')
      await page.locator('[data-test=btn-save-deadline]').click()
    }
    await setDue('2020-01-01')
    await page.locator('[data-test=deadline-due] .el-form-item__error', { hasText: '截止日期不能早于开始日期' }).waitFor()
    const opening = await opens.inputValue()
    await setDue('2020-06-20')
    await page.locator('.el-message--success', { hasText: '已保存' }).waitFor()
    await page.reload()
    await page.locator('.el-tabs__item', { hasText: '报送期限' }).click()
    await page.waitForFunction(() => document.querySelector('[data-test=deadline-due] input')?.value === '2020-06-20')
    assert.equal(await opens.inputValue(), opening)
  })

  test('the province adds a reduction reason to the dictionary', async () => {
    const openReasons = async () => {
      await page.locator('.el-tabs__item', { hasText: '代码表' }).click()
      await page.locator('[data-test=codes-tab] .el-radio-button', { hasText: '减员原因' }).click()
      // The table first still shows 减员类型: count the reasons once they are there.
      await page.locator('[data-test=codes-tab] [data-kind=decrease_reason]').waitFor()
    }
    await openReasons()
    const rows = page.locator('[data-test=codes-tab] .el-table__body tr')
    await rows.first().waitFor()
    const before = await rows.count()
    await page.locator('[data-test=codes-tab] button', { hasText: '新增代码' }).click()
    await rows.nth(before).waitFor()
    await rows.nth(before).locator('input').nth(1).fill('疫情停工停产')
    await rows.nth(before).getByRole('button', { name: /保\s*存/ }).click()
    await page.locator('.el-message--success', { hasText: '已保存' }).last().waitFor()
    await page.reload()
    await openReasons()
    await page.waitForFunction(() => [...document.querySelectorAll('[data-test=codes-tab] .el-table__body input')].some((i) => i.value === '疫情停工停产'))
    assert.equal(await rows.count(), before + 1)
  })
})
