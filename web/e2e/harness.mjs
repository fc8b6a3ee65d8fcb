// Starts a wenjiu demo server of its own (fresh SQLite database in a temp dir, a free port, the
// built console from dist/) and headless Chromium. Nothing here sleeps: every wait is for an
// event (the server's "已启动" line, a page element, a download).
import { spawn } from 'node:child_process'
import { mkdtemp, rm, mkdir } from 'node:fs/promises'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { after, before } from 'node:test'
import { fileURLToPath } from 'node:url'
import { chromium } from 'playwright-core'

export const WEB_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
export const REPO_DIR = path.resolve(WEB_DIR, '..')
export const SCREENSHOT_DIR = path.join(REPO_DIR, 'artifacts', 'screenshots')

function freePort() {
  return new Promise((resolve, reject) => {
    const srv = createServer()
    srv.unref()
    srv.on('error', reject)
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address()
      srv.close(() => resolve(port))
    })
  })
}

/** Starts `wenjiu demo`; resolves once it prints its "已启动" line. */
export async function startServer() {
  const binary = process.env.WENJIU_BIN ?? path.join(REPO_DIR, 'target', 'debug', 'wenjiu')
  const dir = await mkdtemp(path.join(tmpdir(), 'wenjiu-e2e-'))
  const port = await freePort()
  const args = ['demo', '--db', `sqlite://${dir}/e2e.db`, '--addr', `127.0.0.1:${port}`, '--people', '3000', '--no-calibrate', '--web-dir', 'dist', '--policies', '../policies/liaoning-2020']
  const child = spawn(binary, args, { cwd: WEB_DIR, stdio: ['ignore', 'pipe', 'pipe'] })
  let output = ''
  const ready = new Promise((resolve, reject) => {
    const onData = (chunk) => {
      output += chunk.toString()
      if (output.includes('已启动')) resolve()
    }
    child.stdout.on('data', onData)
    child.stderr.on('data', (chunk) => {
      output += chunk.toString()
    })
    child.on('error', (e) => reject(new Error(`无法启动 ${binary}: ${e.message}（先运行 cargo build -p wenjiu-cli）`)))
    child.on('exit', (code) => reject(new Error(`wenjiu demo 提前退出（${code}）：\n${output}`)))
  })
  await ready
  const baseURL = `http://127.0.0.1:${port}`
  return {
    baseURL,
    output: () => output,
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve))
        child.kill('SIGINT')
        const timer = setTimeout(() => child.kill('SIGKILL'), 10_000)
        await exited
        clearTimeout(timer)
      }
      await rm(dir, { recursive: true, force: true })
    },
  }
}

export async function launchBrowser() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  })
}

export async function screenshot(page, name) {
  await mkdir(SCREENSHOT_DIR, { recursive: true })
  // Let finite CSS transitions (drawer, dialog) finish: wait on their `finished` promises.
  await page.evaluate(() =>
    Promise.all(
      document
        .getAnimations()
        .filter((a) => a.effect?.getComputedTiming().iterations !== Infinity)
        .map((a) => a.finished.catch(() => undefined)),
    ),
  )
  await page.screenshot({ path: path.join(SCREENSHOT_DIR, `${name}.png`), fullPage: true })
}

/** The demo accounts' passwords, as the README lists them. */
export const DEMO_PASSWORDS = {
  admin: 'Admin@2020',
  shenyang: 'Shenyang@2020',
  dalian: 'Dalian@2020',
  heping: 'Heping@2020',
  qiye: 'Qiye@2020',
  auditor: 'Audit@2020',
}

/** The text input carrying `data-test` (Element Plus puts attributes on the inner input or the wrapper). */
export const textInput = (page, name) => page.locator(`input[data-test=${name}], [data-test=${name}] input`).first()

/** Picks a region of any level in a RegionCascader (filter mode): expands the path, checks the last. */
export async function pickRegion(page, trigger, path) {
  await trigger.click()
  const popper = page.locator('.region-cascader-popper:visible')
  for (const [i, name] of path.entries()) {
    const node = popper.locator('.el-cascader-menu').nth(i).locator('.el-cascader-node', { hasText: name }).first()
    if (i === path.length - 1) await node.locator('.el-radio').click()
    else await node.click()
  }
  await page.keyboard.press('Escape')
}

/** Fills and submits the login form; does not wait for the outcome. */
export async function submitLogin(page, baseURL, username, password = DEMO_PASSWORDS[username]) {
  await page.goto(`${baseURL}/login`)
  await textInput(page, 'username').fill(username)
  await textInput(page, 'password').fill(password)
  await page.locator('[data-test=login-submit]').click()
}

/** Signs in with a demo account and waits for the signed-in header. */
export async function signIn(page, baseURL, username) {
  await submitLogin(page, baseURL, username)
  await page.locator('[data-test=display-name]').waitFor()
}

/** Signs out and waits for the login form. */
export async function signOut(page) {
  await page.locator('[data-test=logout]').click()
  await page.locator('[data-test=login-submit]').waitFor()
}

/** A session cookie for API calls made by the test itself (e.g. to find a record id). */
export async function apiLogin(baseURL, username, password) {
  const r = await fetch(`${baseURL}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password }),
  })
  if (!r.ok) throw new Error(`login ${username}: ${r.status} ${await r.text()}`)
  const cookie = r.headers.get('set-cookie').split(';')[0]
  // GET, or POST of `body` as JSON.
  return async (p, body) => {
    const init = body === undefined
      ? { headers: { cookie } }
      : { method: 'POST', headers: { cookie, 'content-type': 'application/json' }, body: JSON.stringify(body) }
    const res = await fetch(`${baseURL}/api/v1${p}`, init)
    if (!res.ok) throw new Error(`${p}: ${res.status} ${await res.text()}`)
    return res.json()
  }
}

/** A valid 18-digit ID number for a region, birth date (YYYYMMDD) and sequence (GB 11643). */
export function makeIdNo(area6, birth8, seq3) {
  const body = `${area6}${birth8}${seq3}`
  const w = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
  const sum = [...body].reduce((s, c, i) => s + Number(c) * w[i], 0)
  return body + '10X98765432'[sum % 11]
}

/**
 * A demo server and a Chromium page on it for the test file: started before its tests, stopped
 * after them. `ready` receives `{ server, browser, context, page }` once they are up.
 */
export function openConsole(ready) {
  let session
  before(async () => {
    const server = await startServer()
    const browser = await launchBrowser()
    const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, locale: 'zh-CN', acceptDownloads: true })
    session = { server, browser, context, page: await context.newPage() }
    ready(session)
  })
  after(async () => {
    await session?.browser.close()
    await session?.server.stop()
  })
}
