// End-to-end journeys of the web console in headless Chromium against a real wenjiu server.
import { describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { readFile, writeFile, mkdir } from 'node:fs/promises'
import path from 'node:path'
import {
  apiLogin,
  DEMO_PASSWORDS,
  makeIdNo,
  openConsole,
  REPO_DIR,
  screenshot,
  signIn,
  signOut,
  submitLogin,
  textInput,
} from './harness.mjs'

let server
let context
let page
/** The ID number of the person the create test registers (the edit test changes that person). */
let createdIdNo = ''

const input = textInput
const login = (username, password) => submitLogin(page, server.baseURL, username, password)
const loginOk = (username) => signIn(page, server.baseURL, username)
const logout = () => signOut(page)

async function openMenu(title) {
  await page.locator('[data-test=menu] .el-menu-item', { hasText: title }).first().click()
  // The router sets the document title once the page has changed.
  await page.waitForFunction((t) => document.title.startsWith(`${t} ·`), title)
  await page.locator('[data-test=menu] .el-menu-item.is-active', { hasText: title }).waitFor()
  await page.locator('[data-test=table] .el-table__body').first().waitFor()
}

describe('web console', () => {
  openConsole((s) => ({ server, context, page } = s))

  test('login page renders fast and reports first contentful paint', async () => {
    const fresh = page
    await fresh.goto(`${server.baseURL}/login`, { waitUntil: 'load' })
    await fresh.locator('[data-test=login-submit]').waitFor()
    // The paint entry arrives asynchronously: wait for it with an observer (buffered), not a timer.
    const perf = await fresh.evaluate(
      () =>
        new Promise((resolve) => {
          const done = (fcp) => {
            const nav = performance.getEntriesByType('navigation')[0]
            const scripts = performance.getEntriesByType('resource').filter((r) => r.name.endsWith('.js'))
            resolve({
              first_contentful_paint_ms: Math.round(fcp.startTime),
              dom_content_loaded_ms: nav ? Math.round(nav.domContentLoadedEventEnd) : null,
              load_ms: nav ? Math.round(nav.loadEventEnd) : null,
              scripts_loaded: scripts.length,
              script_transfer_bytes: scripts.reduce((s, r) => s + (r.transferSize || 0), 0),
              script_files: scripts.map((r) => new URL(r.name).pathname),
            })
          }
          const existing = performance.getEntriesByName('first-contentful-paint')[0]
          if (existing) return done(existing)
          new PerformanceObserver((list) => {
            const e = list.getEntriesByName('first-contentful-paint')[0]
            if (e) done(e)
          }).observe({ type: 'paint', buffered: true })
        }),
    )
    await mkdir(path.join(REPO_DIR, 'artifacts'), { recursive: true })
    await writeFile(path.join(REPO_DIR, 'artifacts', 'web-login-perf.json'), JSON.stringify(perf, null, 2))
    console.log(`login page: ${JSON.stringify(perf)}`)
    assert.ok(perf.first_contentful_paint_ms > 0, 'the login page painted')
    assert.match(await fresh.title(), /登录/)
    await screenshot(fresh, '01-login')
  })

  test('the city officer signs in and sees the workbench of the city', async () => {
    await loginOk('shenyang')
    const header = await page.locator('[data-test=user-info]').innerText()
    assert.match(header, /沈阳市经办员/)
    assert.match(header, /辽宁省沈阳市/)
    assert.match(header, /2020-05-31/)
    await page.locator('[data-test=stat-card]').first().waitFor()
    await page.locator('[data-test=month-chart] canvas').waitFor()
    const menu = await page.locator('[data-test=menu]').innerText()
    assert.match(menu, /人员/)
    assert.doesNotMatch(menu, /用户管理/, 'no system menu without system permissions')
    await screenshot(page, '02-dashboard')
  })

  test('people: search by name, open a detail', async () => {
    await openMenu('人员')
    const firstName = (await page.locator('[data-test=row-name]').first().innerText()).trim()
    await input(page, 'search-name').fill(firstName)
    await page.locator('[data-test=search-submit]').click()
    await page.locator('.pagination .el-pagination__total').filter({ hasText: /共 \d+ 条/ }).waitFor()
    await page.waitForFunction(
      (name) => {
        const cells = [...document.querySelectorAll('[data-test=row-name]')]
        return cells.length > 0 && cells.every((c) => c.textContent.includes(name))
      },
      firstName,
    )
    await screenshot(page, '03-persons')
    await page.locator('[data-test=row-name]').first().click()
    const drawer = page.locator('[data-test=detail-drawer]')
    await drawer.locator('[data-test=detail-name]').waitFor()
    assert.equal((await drawer.locator('[data-test=detail-name]').innerText()).trim(), firstName)
    await screenshot(page, '04-person-detail')
    await page.keyboard.press('Escape')
    await drawer.locator('[data-test=detail-name]').waitFor({ state: 'hidden' })

    // The filter is in the address: a reload shows the same list.
    assert.equal(new URL(page.url()).searchParams.get('name'), firstName)
    await page.reload()
    await page.waitForFunction(
      (name) => {
        const cells = [...document.querySelectorAll('[data-test=row-name]')]
        return cells.length > 0 && cells.every((c) => c.textContent.includes(name))
      },
      firstName,
    )
    assert.equal(await input(page, 'search-name').inputValue(), firstName)
  })

  test('the region cascader offers only 沈阳市 and its districts', async () => {
    await page.locator('.search-region').click()
    const popper = page.locator('.region-cascader-popper').last()
    const firstColumn = popper.locator('.el-cascader-menu').first()
    await firstColumn.locator('.el-cascader-node').first().waitFor()
    const roots = await firstColumn.locator('.el-cascader-node__label').allInnerTexts()
    assert.deepEqual(roots.map((s) => s.trim()), ['沈阳市'])
    await firstColumn.locator('.el-cascader-node', { hasText: '沈阳市' }).click()
    const second = popper.locator('.el-cascader-menu').nth(1)
    await second.locator('.el-cascader-node', { hasText: '和平区' }).waitFor()
    const districts = (await second.locator('.el-cascader-node__label').allInnerTexts()).map((s) => s.trim())
    assert.ok(districts.length >= 10, `沈阳 has its districts: ${districts}`)
    assert.ok(!districts.some((d) => /大连|中山区|鞍山/.test(d)), `nothing outside 沈阳: ${districts}`)
    await screenshot(page, '05-region-cascader')
    await page.keyboard.press('Escape')
  })

  test('import a CSV with one bad row: error report with row and reason, rejected rows download', async () => {
    await page.reload()
    await page.locator('[data-test=table] .el-table__body').first().waitFor()
    const good = makeIdNo('210102', '19900315', '123')
    const goodTwo = makeIdNo('210103', '19880701', '456')
    const bad = good.slice(0, 17) + (good[17] === '0' ? '1' : '0')
    const csv = [
      '姓名,身份证号,手机号,户口性质,居住地区划代码',
      `导入甲,${good},13800138000,城镇,210102`,
      `导入乙,${bad},13800138001,城镇,210102`,
      `导入丙,${goodTwo},,农村,210103`,
    ].join('\n')
    await page.locator('[data-test=btn-import]').click()
    const dialog = page.locator('.import-dialog')
    await dialog.locator('input[type=file]').setInputFiles({ name: '人员导入.csv', mimeType: 'text/csv', buffer: Buffer.from(csv, 'utf8') })
    await dialog.locator('[data-test=import-start]').click()
    await dialog.locator('[data-test=import-report]').waitFor()
    assert.equal((await dialog.locator('[data-test=rejected-count]').innerText()).trim(), '1')
    const table = dialog.locator('[data-test=rejected-table]')
    await table.locator('.el-table__row').first().waitFor()
    const cells = await table.locator('.el-table__row').first().locator('td').allInnerTexts()
    assert.equal(cells[0].trim(), '3', 'the bad row is row 3 (the header is row 1)')
    assert.equal(cells[1].trim(), '身份证号', 'the column of the problem')
    assert.match(cells[2], /校验位错误/)
    const report = await dialog.locator('[data-test=import-report]').innerText()
    assert.match(report, /接收\s*2/)
    await screenshot(page, '06-import-result')
    const [download] = await Promise.all([page.waitForEvent('download'), dialog.locator('[data-test=download-rejected]').click()])
    assert.match(download.suggestedFilename(), /\.xlsx$/)
    const bytes = await readFile(await download.path())
    assert.equal(bytes.subarray(0, 2).toString(), 'PK', 'an XLSX (zip) file')
    await dialog.locator('.el-dialog__headerbtn').click()
    await dialog.waitFor({ state: 'hidden' })
  })

  test('export the people as XLSX', async () => {
    const [download] = await Promise.all([page.waitForEvent('download'), page.locator('[data-test=btn-export]').click()])
    assert.match(download.suggestedFilename(), /^人员.*\.xlsx$/)
    const bytes = await readFile(await download.path())
    assert.equal(bytes.subarray(0, 2).toString(), 'PK')
    assert.ok(bytes.length > 5000, 'the export holds rows')
  })

  test('reveal an ID number', async () => {
    const row = page.locator('[data-test=table] .el-table__body .el-table__row').first()
    const masked = (await row.locator('[data-test=id_no-value]').innerText()).trim()
    assert.match(masked, /\*{4,}/)
    await row.locator('[data-test=reveal-id_no]').click()
    await page.waitForFunction(
      () => /^\d{17}[\dX]$/.test(document.querySelector('[data-test=table] .el-table__row [data-test=id_no-value]')?.textContent?.trim() ?? ''),
    )
    const full = (await row.locator('[data-test=id_no-value]').innerText()).trim()
    assert.equal(full.slice(0, 4), masked.slice(0, 4))
    assert.equal(full.slice(-4), masked.slice(-4))
    await screenshot(page, '07-reveal')
  })

  test('create a person: client-side checks, then the server field errors under the fields', async () => {
    await page.goto(`${server.baseURL}/registry/persons`)
    await page.locator('[data-test=table] .el-table__body').first().waitFor()
    await page.locator('[data-test=btn-create]').click()
    const form = page.locator('.record-form')
    await input(form, 'field-name').fill('新增测试')
    const id = makeIdNo('210102', '19950620', '321')
    createdIdNo = id
    await input(form, 'field-id_no').fill(id.slice(0, 17) + (id[17] === '1' ? '2' : '1'))
    await input(form, 'field-phone').click()
    await form.locator('[data-test=field-id_no] .el-form-item__error').filter({ hasText: '校验位错误' }).waitFor()
    await input(form, 'field-id_no').fill(id)
    await form.locator('[data-test=field-hukou] .el-select').click()
    await page.locator('.el-select-dropdown__item:visible', { hasText: '城镇' }).click()
    await form.locator('[data-test=field-region] .el-cascader').click()
    const popper = page.locator('.region-cascader-popper:visible')
    await popper.locator('.el-cascader-node', { hasText: '沈阳市' }).click()
    await popper.locator('.el-cascader-node', { hasText: '和平区' }).click()
    await input(form, 'field-graduation_year').fill('1900')
    await form.locator('[data-test=form-submit]').click()
    const yearError = form.locator('[data-test=field-graduation_year] .el-form-item__error')
    await yearError.waitFor()
    assert.match(await yearError.innerText(), /毕业年份/)
    await form.locator('[data-test=form-error]').waitFor()
    await screenshot(page, '08-person-form-errors')
    // Submitted again unchanged, the server's message is under the field again.
    await form.locator('[data-test=form-submit]').click()
    await form.locator('[data-test=form-submit].is-loading').waitFor({ state: 'detached' })
    await yearError.waitFor()
    assert.match(await yearError.innerText(), /毕业年份/)
    await input(form, 'field-graduation_year').fill('2017')
    await form.locator('[data-test=form-submit]').click()
    await form.waitFor({ state: 'hidden' })
    await input(page, 'search-id-no').fill(id)
    await page.locator('[data-test=search-submit]').click()
    await page.waitForFunction(() => {
      const cells = [...document.querySelectorAll('[data-test=row-name]')]
      return cells.length === 1 && cells[0].textContent.includes('新增测试')
    })
  })

  test('edit a person without retyping the masked numbers: they are kept; the phone can be set and cleared', async () => {
    assert.ok(createdIdNo, 'the create test registered a person')
    const asShenyang = await apiLogin(server.baseURL, 'shenyang', DEMO_PASSWORDS.shenyang)
    const stored = async () => (await asShenyang(`/persons?id_no=${createdIdNo}`)).rows[0]
    const before = await stored()
    const row = page.locator('[data-test=table] .el-table__body .el-table__row').first()
    const form = page.locator('.record-form')
    const editAndSave = async (change) => {
      await row.locator('.el-link', { hasText: '修改' }).click()
      await input(form, 'field-name').waitFor()
      await change()
      await form.locator('[data-test=form-submit]').click()
      await form.waitFor({ state: 'hidden' })
    }

    // 1. Only the phone typed in: the ID number shows masked, stays empty and is kept.
    await editAndSave(async () => {
      const idInput = input(form, 'field-id_no')
      assert.equal(await idInput.inputValue(), '', 'the masked number is not filled in')
      const placeholder = await idInput.getAttribute('placeholder')
      assert.ok(placeholder.includes(before.id_no_masked), `the masked number is shown: ${placeholder}`)
      assert.equal(await form.getByText('读取原值').count(), 0, 'no reveal-to-edit button')
      await input(form, 'field-phone').fill('13900139000')
      await screenshot(page, '18-person-edit')
    })
    const afterPhone = await stored()
    assert.equal(afterPhone.id_no_masked, before.id_no_masked, 'the ID number is kept')
    assert.ok(afterPhone.phone_masked && afterPhone.phone_masked.endsWith('9000'), `phone set: ${afterPhone.phone_masked}`)

    // 2. Nothing retyped: both numbers kept.
    await editAndSave(async () => {
      await input(form, 'field-household_no').fill('')
    })
    const untouched = await stored()
    assert.equal(untouched.id_no_masked, before.id_no_masked)
    assert.equal(untouched.phone_masked, afterPhone.phone_masked, 'the phone is kept')

    // 3. The phone cleared on purpose (the 清空 button shows once the list row has the phone).
    await row.locator('[data-test=phone-value]').filter({ hasText: '9000' }).waitFor()
    await editAndSave(async () => {
      await form.locator('[data-test=clear-phone]').click()
    })
    const cleared = await stored()
    assert.equal(cleared.id_no_masked, before.id_no_masked)
    assert.ok(!cleared.phone_masked, `phone cleared: ${cleared.phone_masked}`)
  })

  test('a 大连 record opened by URL is "not found" for the 沈阳 officer', async () => {
    const asDalian = await apiLogin(server.baseURL, 'dalian', DEMO_PASSWORDS.dalian)
    const dl = await asDalian('/persons?page_size=1')
    const id = dl.rows[0].id
    await page.goto(`${server.baseURL}/registry/persons/${id}`)
    const nf = page.locator('[data-test=not-found]')
    await nf.waitFor()
    assert.match(await nf.innerText(), /记录不存在或不在您的数据权限范围内/)
    await screenshot(page, '09-not-found')
  })

  test('an expired session goes back to login with a message', async () => {
    await page.goto(`${server.baseURL}/registry/enterprises`)
    await page.locator('[data-test=table] .el-table__body').first().waitFor()
    await context.clearCookies()
    await page.locator('[data-test=menu] .el-menu-item', { hasText: '就业登记' }).click()
    await page.locator('[data-test=login-expired]').waitFor()
    assert.match(await page.locator('[data-test=login-expired]').innerText(), /登录已超时/)
  })

  test('the administrator finds the person.reveal event in the audit log', async () => {
    await loginOk('admin')
    for (const [title, shot] of [
      ['家庭', '10-households'],
      ['单位', '11-enterprises'],
      ['就业登记', '12-employments'],
      ['失业登记', '13-unemployments'],
      ['用户管理', '14-users'],
      ['角色管理', '15-roles'],
    ]) {
      await openMenu(title)
      await page.locator('[data-test=table] .el-table__row').first().waitFor()
      if (title === '家庭') {
        const cells = await page.locator('[data-test=table] .el-table__body .el-table__row').first().locator('td').allInnerTexts()
        assert.match(cells[2].trim(), /^[1-9]\d*$/, `成员数 is the member count: ${cells}`)
      }
      await screenshot(page, shot)
    }
    await openMenu('审计日志')
    await input(page, 'audit-username').fill('shenyang')
    await page.locator('[data-test=audit-action]').click()
    // The options show labels only; the code is the option's hover title.
    const reveal = page.locator('.el-select-dropdown__item', { hasText: '查看完整号码' })
    assert.equal(await reveal.getAttribute('title'), 'person.reveal')
    assert.doesNotMatch(await reveal.innerText(), /person\.reveal/)
    await reveal.click()
    await page.locator('[data-test=search-submit]').click()
    await page.waitForFunction(() => {
      const rows = [...document.querySelectorAll('[data-test=table] .el-table__body .el-table__row')]
      return rows.length > 0 && rows.every((r) => r.textContent.includes('查看完整号码') && r.textContent.includes('shenyang'))
    })
    // Refused or failed reveals are audited too: look for the successful one, without counting rows.
    const outcomes = await page.locator('[data-test=table] .el-table__body .el-table__row .el-tag').allInnerTexts()
    assert.ok(outcomes.some((t) => t.trim() === '成功'), `a successful reveal: ${outcomes}`)
    const text = await page.locator('[data-test=table] .el-table__body').innerText()
    assert.match(text, /人员 \d+/, 'the target in Chinese')
    assert.match(text, /身份证号/, 'the revealed field in Chinese')
    assert.doesNotMatch(text, /id_no|person\.reveal/)
    // The raw code is one hover away, for auditors.
    await page.locator('[data-test=audit-action-label]').first().hover()
    await page.getByRole('tooltip', { name: 'person.reveal', exact: true }).waitFor()
    await screenshot(page, '16-audit')
    await logout()
  })

  test('a county officer without the reveal permission sees masked numbers only', async () => {
    await loginOk('heping')
    assert.match(await page.locator('[data-test=user-info]').innerText(), /和平区/)
    await openMenu('人员')
    await page.locator('[data-test=table] [data-test=id_no-value]').first().waitFor()
    assert.equal(await page.locator('[data-test=reveal-id_no]').count(), 0, 'no 显示 link')
    assert.equal(await page.locator('[data-test=btn-export-full]').count(), 0, 'no full-number export')
    const regions = await page.locator('[data-test=table] .el-table__body').innerText()
    assert.ok(!/沈河区|大连/.test(regions), 'only 和平区 records')
    await logout()
  })

  test('an enterprise sees its staff, not their standing with the employment service', async () => {
    await loginOk('qiye')
    await page.locator('[data-test=stat-card]').first().waitFor()
    const cards = await page.locator('[data-test=stat-card]').allInnerTexts()
    assert.match(cards.join(' '), /在职职工/)
    assert.doesNotMatch(cards.join(' '), /登记失业|零就业/, 'no figures of the service')
    assert.equal(await page.locator('[data-test=key-groups]').count(), 0, 'no key groups')
    await openMenu('人员')
    const header = await page.locator('[data-test=table] .el-table__header').innerText()
    assert.doesNotMatch(header, /就业状态|重点群体/)
    await page.locator('[data-test=row-name]').first().click()
    const drawer = page.locator('[data-test=detail-drawer]')
    await drawer.locator('[data-test=detail-name]').waitFor()
    await drawer.getByText('就业登记', { exact: true }).waitFor()
    const detail = await drawer.innerText()
    assert.doesNotMatch(detail, /失业登记|就业状态|重点群体|户编号/, 'the file shows its own jobs only')
    await screenshot(page, '16b-enterprise-person')
    await page.keyboard.press('Escape')
    await logout()
  })

  test('the auditor, who sees no registry figures, finds the work from the workbench', async () => {
    await loginOk('auditor')
    const shortcuts = page.locator('[data-test=shortcuts]')
    await shortcuts.waitFor()
    const text = await shortcuts.innerText()
    assert.match(text, /审计日志/)
    assert.match(text, /用户管理/)
    assert.equal(await page.locator('[data-test=stat-card]').count(), 0)
    await shortcuts.getByText('审计日志').click()
    await page.waitForFunction(() => document.title.startsWith('审计日志 ·'))
    await logout()
  })

  test('five wrong passwords lock the account and the login page says until when', async () => {
    // A wrong password never tells that the account exists or is locked.
    for (let attempt = 1; attempt <= 5; attempt++) {
      await login('heping', 'wrong-password')
      const alert = page.locator('[data-test=login-error]')
      await alert.waitFor()
      assert.match(await alert.innerText(), /用户名或密码错误/)
    }
    // The right password learns of the lock.
    await login('heping', DEMO_PASSWORDS.heping)
    const alert = page.locator('[data-test=login-error]', { hasText: '账户已锁定' })
    await alert.waitFor()
    const message = await alert.innerText()
    assert.match(message, /\d{4}-\d{2}-\d{2} \d{2}:\d{2}/, 'the message says until when')
    await screenshot(page, '17-login-locked')
  })
})
