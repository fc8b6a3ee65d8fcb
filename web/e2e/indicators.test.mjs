// End-to-end journeys of the indicators dashboard (指标调度) in headless Chromium against a real
// wenjiu server: the provincial bulletin, drilling down into a city, and a city officer's scope.
import { describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { readFile } from 'node:fs/promises'
import { openConsole, screenshot, signIn, signOut } from './harness.mjs'

let server
let page

const loginOk = (username) => signIn(page, server.baseURL, username)
const logout = () => signOut(page)

/** Opens 指标调度 from the menu and waits for the bulletin of the user's own region. */
async function openIndicators() {
  await page.locator('[data-test=menu] .el-menu-item', { hasText: '指标调度' }).first().click()
  await page.waitForFunction(() => document.title.startsWith('指标调度 ·'))
  await page.locator('[data-test=bulletin-paragraph]').waitFor()
}

const paragraph = async () => (await page.locator('[data-test=bulletin-paragraph]').innerText()).trim()

/** The region codes of the rows (not the total) of a section's table. */
const rowRegions = (code) =>
  page.locator(`[data-test=section-table-${code}] [data-test=row-region]`).evaluateAll((els) => els.map((e) => e.dataset.region))

describe('indicators dashboard', () => {
  openConsole((s) => ({ server, page } = s))

  test('the administrator sees the provincial bulletin, the city ranking, and drills into 沈阳市', async () => {
    await loginOk('admin')
    await openIndicators()
    assert.match((await page.locator('[data-test=region-name]').innerText()).trim(), /辽宁省$/)
    const text = await paragraph()
    assert.match(text, /截至5月末/)
    assert.match(text, /全省/)
    assert.equal(await page.locator('[data-test=go-up]').count(), 0, 'the province is the top of the scope')

    await page.locator('[data-test=progress-chart] canvas').waitFor()
    await page.locator('[data-test=ranking-chart] canvas').waitFor()
    const cities = await rowRegions('new_urban_employment')
    assert.equal(cities.length, 14, `辽宁 has 14 cities: ${cities}`)
    assert.ok(cities.every((c) => /^21\d{2}00$/.test(c)), `city codes: ${cities}`)
    const total = page.locator('[data-test=section-table-new_urban_employment] .el-table__body .el-table__row').last()
    assert.match(await total.innerText(), /辽宁省/, 'the total row comes last')
    await page.locator('[data-test=section-table-registered_unemployment_rate]').waitFor()
    await screenshot(page, '20-indicators-province')

    // The bulletin as Word and Excel files (both are zip packages).
    for (const [button, ext] of [['btn-export-docx', 'docx'], ['btn-export-xlsx', 'xlsx']]) {
      const [download] = await Promise.all([page.waitForEvent('download'), page.locator(`[data-test=${button}]`).click()])
      assert.match(download.suggestedFilename(), new RegExp(`^辽宁省.*2020-05\\.${ext}$`))
      const bytes = await readFile(await download.path())
      assert.equal(bytes.subarray(0, 2).toString(), 'PK', `a ${ext} file`)
    }

    // 重新统计 recounts the year and reloads the bulletin.
    await page.locator('[data-test=btn-refresh]').click()
    await page.locator('.el-message--success', { hasText: '重新统计完成' }).waitFor()
    await page.locator('[data-test=bulletin-paragraph]').waitFor()

    await page.locator('[data-test=section-table-new_urban_employment] [data-test=drill-210100]').click()
    await page.waitForFunction(() => /沈阳市$/.test(document.querySelector('[data-test=region-name]')?.textContent.trim()))
    await page.waitForFunction(() => document.querySelector('[data-test=bulletin-paragraph]')?.textContent.includes('全市'))
    assert.match(await paragraph(), /截至5月末/)
    await page.locator('[data-test=go-up]').waitFor()
    const districts = await rowRegions('new_urban_employment')
    assert.ok(districts.length >= 10, `沈阳 has its districts: ${districts}`)
    assert.ok(districts.every((c) => c.startsWith('2101')), `沈阳's districts only: ${districts}`)
    await screenshot(page, '21-indicators-drill-shenyang')

    await page.locator('[data-test=go-up]').click()
    await page.waitForFunction(() => /辽宁省$/.test(document.querySelector('[data-test=region-name]')?.textContent.trim()))
    await page.waitForFunction(() => document.querySelector('[data-test=bulletin-paragraph]')?.textContent.includes('全省'))
    await logout()
  })

  test('the 沈阳 officer sees 沈阳市 only, with no way up', async () => {
    await loginOk('shenyang')
    await openIndicators()
    assert.match((await page.locator('[data-test=region-name]').innerText()).trim(), /沈阳市$/)
    assert.match(await paragraph(), /全市/)
    assert.equal(await page.locator('[data-test=go-up]').count(), 0, 'no 返回上级 outside the scope')
    await page.locator('[data-test=section-table-new_urban_employment] [data-test=row-region]').first().waitFor()
    const codes = await page
      .locator('[data-test^=section-table-] [data-test=row-region]')
      .evaluateAll((els) => els.map((e) => e.dataset.region))
    assert.ok(codes.length > 0)
    assert.ok(codes.every((c) => c.startsWith('2101')), `沈阳's districts only: ${[...new Set(codes)]}`)
    const tables = await page.locator('[data-test=section-table-new_urban_employment]').innerText()
    assert.match(tables, /和平区/)
    assert.doesNotMatch(tables, /大连|西岗区|沙河口区/, 'nothing of 大连')
    // The city row is 新就业 − 自然减员 by the definition, not the districts' sum: the note says so.
    const note = await page.locator('[data-test=total-note-new_urban_employment]').innerText()
    assert.match(note, /沈阳市行按指标定义计算：城镇新增就业人数 = 城镇新就业人数（[^）]+） − 自然减员人数/)
    await screenshot(page, '22-indicators-shenyang')

    // A region outside the scope opened by its address: the server refuses it, the page says so.
    await page.goto(`${server.baseURL}/indicators?month=2020-05&region=210200`)
    await page.locator('[data-test=bulletin-error]').waitFor()
    assert.match(await page.locator('[data-test=bulletin-error]').innerText(), /不在您的数据权限范围内/)
    assert.equal(await page.locator('[data-test=bulletin-paragraph]').count(), 0)
    await logout()
  })

  test('a county officer reads the bulletin without 重新统计; an enterprise user has no 指标调度', async () => {
    await loginOk('heping')
    await openIndicators()
    assert.match((await page.locator('[data-test=region-name]').innerText()).trim(), /和平区$/)
    assert.equal(await page.locator('[data-test=btn-export-docx]').count(), 1)
    assert.equal(await page.locator('[data-test=btn-refresh]').count(), 0, 'no 重新统计 without indicators:enter')
    assert.equal(await page.locator('[data-test=go-up]').count(), 0)
    await logout()

    await loginOk('qiye')
    assert.doesNotMatch(await page.locator('[data-test=menu]').innerText(), /指标调度/)
    await page.goto(`${server.baseURL}/indicators`)
    await page.locator('[data-test=forbidden]').waitFor()
    await logout()
  })
})
