/**
 * Reads the first sheet of a small XLSX file (the server's rejected-rows report) in the
 * browser, without a library: the ZIP central directory, raw-deflate via DecompressionStream,
 * and the sheet XML. Only what rust_xlsxwriter writes is supported: inline and shared strings,
 * numbers.
 */

async function inflateRaw(data: Uint8Array): Promise<Uint8Array> {
  const stream = new Blob([data as BlobPart]).stream().pipeThrough(new DecompressionStream('deflate-raw'))
  return new Uint8Array(await new Response(stream).arrayBuffer())
}

/** The entries of a ZIP archive by name (stored or deflated). */
export async function unzip(buf: ArrayBuffer): Promise<Map<string, Uint8Array>> {
  const view = new DataView(buf)
  const bytes = new Uint8Array(buf)
  // End of central directory: signature 0x06054b50, searched from the end.
  let eocd = -1
  for (let i = buf.byteLength - 22; i >= Math.max(0, buf.byteLength - 22 - 0xffff); i--) {
    if (view.getUint32(i, true) === 0x06054b50) {
      eocd = i
      break
    }
  }
  if (eocd < 0) throw new Error('不是有效的 XLSX 文件')
  const count = view.getUint16(eocd + 10, true)
  let p = view.getUint32(eocd + 16, true)
  const decoder = new TextDecoder()
  const out = new Map<string, Uint8Array>()
  for (let n = 0; n < count; n++) {
    if (view.getUint32(p, true) !== 0x02014b50) throw new Error('XLSX 文件目录损坏')
    const method = view.getUint16(p + 10, true)
    const compressed = view.getUint32(p + 20, true)
    const nameLen = view.getUint16(p + 28, true)
    const extraLen = view.getUint16(p + 30, true)
    const commentLen = view.getUint16(p + 32, true)
    const local = view.getUint32(p + 42, true)
    const name = decoder.decode(bytes.subarray(p + 46, p + 46 + nameLen))
    const start = local + 30 + view.getUint16(local + 26, true) + view.getUint16(local + 28, true)
    const raw = bytes.subarray(start, start + compressed)
    out.set(name, method === 0 ? raw : await inflateRaw(raw))
    p += 46 + nameLen + extraLen + commentLen
  }
  return out
}

function columnIndex(ref: string): number {
  let n = 0
  for (const ch of ref.replace(/\d+$/, '')) n = n * 26 + (ch.charCodeAt(0) - 64)
  return n - 1
}

/** The first sheet as rows of text cells. */
export async function readSheet(buf: ArrayBuffer): Promise<string[][]> {
  const files = await unzip(buf)
  const decoder = new TextDecoder()
  const parser = new DOMParser()
  const shared: string[] = []
  const sst = files.get('xl/sharedStrings.xml')
  if (sst) {
    const doc = parser.parseFromString(decoder.decode(sst), 'application/xml')
    for (const si of Array.from(doc.getElementsByTagName('si'))) {
      shared.push(Array.from(si.getElementsByTagName('t')).map((t) => t.textContent ?? '').join(''))
    }
  }
  const sheet = files.get('xl/worksheets/sheet1.xml')
  if (!sheet) throw new Error('XLSX 文件中没有工作表')
  const doc = parser.parseFromString(decoder.decode(sheet), 'application/xml')
  const rows: string[][] = []
  for (const row of Array.from(doc.getElementsByTagName('row'))) {
    const cells: string[] = []
    for (const c of Array.from(row.getElementsByTagName('c'))) {
      const idx = columnIndex(c.getAttribute('r') ?? '')
      const type = c.getAttribute('t')
      let text: string
      if (type === 'inlineStr') {
        text = Array.from(c.getElementsByTagName('t')).map((t) => t.textContent ?? '').join('')
      } else {
        const v = c.getElementsByTagName('v')[0]?.textContent ?? ''
        text = type === 's' ? (shared[Number(v)] ?? '') : v
      }
      cells[idx >= 0 ? idx : cells.length] = text
    }
    rows.push(Array.from(cells, (v) => v ?? ''))
  }
  return rows
}
