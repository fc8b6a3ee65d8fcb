// openapi.json → src/api/schema.d.ts (openapi-typescript). openapi-typescript keys operations by
// operationId: two routes sharing one (utoipa names them after the handler function, e.g. `list`
// or `history` in two modules) would get each other's types. A shared operationId is dropped
// here, so those operations are typed inline under their paths instead, and named on stderr.
import { readFile, writeFile } from 'node:fs/promises'
import openapiTS, { astToString } from 'openapi-typescript'

const spec = JSON.parse(await readFile(new URL('../openapi.json', import.meta.url), 'utf8'))
const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options', 'trace']
const ops = Object.values(spec.paths ?? {}).flatMap((item) => METHODS.map((m) => item[m]).filter(Boolean))
const counts = new Map()
for (const op of ops) if (op.operationId) counts.set(op.operationId, (counts.get(op.operationId) ?? 0) + 1)
const shared = [...counts].filter(([, n]) => n > 1).map(([id]) => id)
for (const op of ops) if (shared.includes(op.operationId)) delete op.operationId
if (shared.length) console.error(`gen:api: operationId shared by several routes, typed inline: ${shared.join(', ')}`)

const ast = await openapiTS(spec, { emptyObjectsUnknown: true })
await writeFile(new URL('../src/api/schema.d.ts', import.meta.url), astToString(ast))
