import { describe, expect, it } from 'vitest'
import { deflateRawSync } from 'node:zlib'
import { readSheet } from './xlsx'

/** A minimal ZIP (deflated entries, sizes in the central directory only, as rust_xlsxwriter writes). */
function zip(files: Record<string, string>): ArrayBuffer {
  const enc = new TextEncoder()
  const locals: Uint8Array[] = []
  const centrals: Uint8Array[] = []
  let offset = 0
  for (const [name, text] of Object.entries(files)) {
    const nameBytes = enc.encode(name)
    const data = deflateRawSync(enc.encode(text))
    const local = new Uint8Array(30 + nameBytes.length + data.length)
    const lv = new DataView(local.buffer)
    lv.setUint32(0, 0x04034b50, true)
    lv.setUint16(6, 8, true) // sizes follow in a data descriptor (here: only in the directory)
    lv.setUint16(8, 8, true)
    lv.setUint16(26, nameBytes.length, true)
    local.set(nameBytes, 30)
    local.set(data, 30 + nameBytes.length)
    const central = new Uint8Array(46 + nameBytes.length)
    const cv = new DataView(central.buffer)
    cv.setUint32(0, 0x02014b50, true)
    cv.setUint16(10, 8, true)
    cv.setUint32(20, data.length, true)
    cv.setUint32(24, text.length, true)
    cv.setUint16(28, nameBytes.length, true)
    cv.setUint32(42, offset, true)
    central.set(nameBytes, 46)
    locals.push(local)
    centrals.push(central)
    offset += local.length
  }
  const dirSize = centrals.reduce((s, c) => s + c.length, 0)
  const end = new Uint8Array(22)
  const ev = new DataView(end.buffer)
  ev.setUint32(0, 0x06054b50, true)
  ev.setUint16(8, centrals.length, true)
  ev.setUint16(10, centrals.length, true)
  ev.setUint32(12, dirSize, true)
  ev.setUint32(16, offset, true)
  const all = new Uint8Array(offset + dirSize + 22)
  let p = 0
  for (const part of [...locals, ...centrals, end]) {
    all.set(part, p)
    p += part.length
  }
  return all.buffer
}

describe('readSheet', () => {
  it('reads inline strings, shared strings and numbers of the first sheet', async () => {
    const sheet = `<?xml version="1.0" encoding="UTF-8"?>
<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>
<row r="1"><c r="A1" t="inlineStr"><is><t>错误行号</t></is></c><c r="B1" t="inlineStr"><is><t>错误原因</t></is></c><c r="C1" t="s"><v>0</v></c></row>
<row r="2"><c r="A2"><v>3</v></c><c r="B2" t="inlineStr"><is><t>身份证号:身份证号校验位错误：应为 7，实际为 4</t></is></c><c r="D2" t="s"><v>1</v></c></row>
</sheetData></worksheet>`
    const sst = `<?xml version="1.0" encoding="UTF-8"?>
<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><si><t>姓名</t></si><si><t>张三</t></si></sst>`
    const rows = await readSheet(zip({ 'xl/worksheets/sheet1.xml': sheet, 'xl/sharedStrings.xml': sst }))
    expect(rows).toEqual([
      ['错误行号', '错误原因', '姓名'],
      ['3', '身份证号:身份证号校验位错误：应为 7，实际为 4', '', '张三'],
    ])
  })

  it('says so when the file is not an XLSX', async () => {
    await expect(readSheet(new TextEncoder().encode('not a zip file at all, really').buffer)).rejects.toThrow(/XLSX/)
  })
})
