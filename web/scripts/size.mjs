// The size budget: the JavaScript a browser fetches before the first page
// shows (the entry and what index.html preloads), gzipped, must stay ≤ 500 KB.
//   node scripts/size.mjs [build dir]   (default ../build/web)
import { readFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { gzipSync } from 'node:zlib'

const dir = resolve(process.argv[2] ?? '../build/web')
const budget = Number(process.env.QF_JS_BUDGET_KB ?? 500) * 1024
const html = readFileSync(join(dir, 'index.html'), 'utf8')
const files = [
  ...html.matchAll(/<script[^>]+src="([^"]+\.js)"/g),
  ...html.matchAll(/<link[^>]+rel="modulepreload"[^>]+href="([^"]+\.js)"/g),
].map((m) => m[1])
if (files.length === 0) {
  console.error(`size: no script in ${dir}/index.html`)
  process.exit(1)
}
let total = 0
for (const f of files) {
  const gz = gzipSync(readFileSync(join(dir, f.replace(/^\//, ''))), { level: 9 }).length
  total += gz
  console.log(`size: ${f} ${(gz / 1024).toFixed(1)} KB gzipped`)
}
const ok = total <= budget
console.log(`size: initial JavaScript ${(total / 1024).toFixed(1)} KB gzipped (budget ${(budget / 1024).toFixed(0)} KB)${ok ? '' : ' — over budget'}`)
process.exit(ok ? 0 : 1)
