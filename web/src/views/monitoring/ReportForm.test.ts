import { afterEach, describe, expect, test, vi } from 'vitest'
import { flushPromises, mount } from '@vue/test-utils'
import { setApiFetch } from '@/api/client'
import ReportForm from './ReportForm.vue'

function json(status: number, body: unknown): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } })
}

const SAMPLE = {
  enterprise_id: 110,
  name: '沈阳海通商贸有限公司',
  credit_code: '91210102MA00003G7H',
  industry: 'F',
  ownership: 'private',
  region: '210102',
  region_name: '辽宁省沈阳市和平区',
  enrolled_on: '2019-01-01',
  baseline: 300,
  active: true,
  last_month: '2020-04',
  last_headcount: 283,
}

/** A server with one enterprise of the sample; `onSubmit` answers the report's POST. */
function serve(onSubmit: (body: Record<string, unknown>) => Response) {
  const posted: Record<string, unknown>[] = []
  setApiFetch(async (req: Request) => {
    const url = new URL(req.url)
    if (url.pathname.startsWith('/api/v1/monitoring/codes/')) return json(200, [{ code: '03', label: '经济性裁员', active: true }])
    if (url.pathname === '/api/v1/monitoring/sample') return json(200, { total: 1, page: 1, page_size: 30, rows: [SAMPLE] })
    if (url.pathname === '/api/v1/monitoring/reports' && req.method === 'POST') {
      const body = (await req.json()) as Record<string, unknown>
      posted.push(body)
      return onSubmit(body)
    }
    return json(404, { code: 'not_found', message: '' })
  })
  return posted
}

async function openForm() {
  const w = mount(ReportForm, {
    props: { ownEnterprise: true, month: '2020-05', report: null, modelValue: false },
    attachTo: document.body,
    // Element Plus shows a field's error inside a transition group: render it for real.
    global: { stubs: { transition: false, 'transition-group': false } },
  })
  await w.setProps({ modelValue: true })
  await flushPromises()
  return w
}

async function fill(name: string, value: number) {
  const input = document.querySelector(`[data-test=${name}] input, input[data-test=${name}]`) as HTMLInputElement
  input.value = String(value)
  input.dispatchEvent(new Event('input'))
  input.dispatchEvent(new Event('change'))
  await flushPromises()
}

async function submit() {
  ;(document.querySelector('[data-test=report-submit]') as HTMLButtonElement).click()
  await flushPromises()
}

const errors = () => [...document.querySelectorAll('.el-form-item__error')].map((e) => e.textContent?.trim())

afterEach(() => {
  setApiFetch(undefined)
  document.body.innerHTML = ''
})

describe('the report form', () => {
  test('shows last month and the baseline, and stops a fall without type and reason before sending', async () => {
    const posted = serve(() => json(200, { id: 1, warnings_raised: 0 }))
    const w = await openForm()
    expect(document.body.textContent).toContain('建档期就业人数 300 人')
    expect(document.body.textContent).toContain('上月就业人数 283')
    await fill('report-headcount', 223)
    await fill('report-decrease', 60)
    await submit()
    await vi.waitFor(() => expect(errors()).toContain('就业人数减少时必须选择减员类型'))
    await vi.waitFor(() => expect(errors()).toContain('就业人数减少时必须填写主要减员原因'))
    expect(posted).toHaveLength(0)
    w.unmount()
  })

  test('a headcount that does not follow from last month is named with the expected figure', async () => {
    const posted = serve(() => json(200, { id: 1, warnings_raised: 0 }))
    const w = await openForm()
    await fill('report-headcount', 290)
    await fill('report-new-hires', 5)
    await submit()
    await vi.waitFor(() => expect(errors()).toContain('调查期就业人数应等于上月 283 + 新增 5 − 减少 0 = 288'))
    expect(posted).toHaveLength(0)
    w.unmount()
  })

  test("the server's 422 shows under the field it names; a good report is sent for the user's own enterprise", async () => {
    const posted = serve(() =>
      json(422, { code: 'validation', message: '数据有误', fields: [{ column: 'headcount', message: '与社保参保人数差异过大' }] }),
    )
    const w = await openForm()
    await fill('report-headcount', 300)
    await fill('report-new-hires', 17)
    await submit()
    expect(posted).toEqual([{ month: '2020-05', headcount: 300, new_hires: 17, decrease: 0, decrease_type: null, reasons: [] }])
    await vi.waitFor(() => expect(errors()).toContain('与社保参保人数差异过大'))
    expect(w.emitted('saved')).toBeUndefined()
    w.unmount()
  })
})
