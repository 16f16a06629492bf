// The end-to-end run: a demo database in a temporary folder, a real
// `qingfeng serve` on a free loopback port serving the built UI, then the
// browser tests (node --test) against it; the server is stopped at the end.
//   node tests/e2e/run.mjs [path/to/qingfeng]   (default ../build/qingfeng)
import { spawn, spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync, existsSync, readdirSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

const here = dirname(fileURLToPath(import.meta.url))
const webRoot = resolve(here, '..', '..')
const bin = resolve(process.argv[2] ?? process.env.QF_BIN ?? join(webRoot, '..', 'build', 'qingfeng'))
const webDir = resolve(process.env.QF_WEB_DIR ?? join(webRoot, '..', 'build', 'web'))

for (const [what, path] of [['qingfeng binary', bin], ['built UI', join(webDir, 'index.html')]]) {
  if (!existsSync(path)) {
    console.error(`e2e: no ${what} at ${path} (run make first)`)
    process.exit(2)
  }
}

const work = mkdtempSync(join(tmpdir(), 'qf-web-e2e-'))
const db = join(work, 'demo.db')
const env = { ...process.env, QINGFENG_LOG: process.env.QINGFENG_LOG ?? 'warn' }

let server = null
// Stops the server (it writes a last checkpoint on the way out), then removes the folder.
async function cleanup() {
  if (server && server.exitCode === null && server.signalCode === null) {
    const gone = new Promise((ok) => server.once('exit', ok))
    server.kill('SIGTERM')
    await Promise.race([gone, new Promise((ok) => setTimeout(ok, 10000))])
    if (server.exitCode === null && server.signalCode === null) server.kill('SIGKILL')
  }
  if (!process.env.QF_KEEP) rmSync(work, { recursive: true, force: true, maxRetries: 5, retryDelay: 200 })
}
process.on('SIGINT', async () => {
  await cleanup()
  process.exit(130)
})

let code = 1
try {
  const t0 = Date.now()
  const demo = spawnSync(bin, ['--db', db, 'demo', '--no-serve', '--scale', '1'], { env, encoding: 'utf8' })
  if (demo.status !== 0) throw new Error(`qingfeng demo failed:\n${demo.stdout}\n${demo.stderr}`)
  console.log(`e2e: demo data in ${((Date.now() - t0) / 1000).toFixed(1)} s`)

  server = spawn(bin, ['--db', db, 'serve', '--host', '127.0.0.1', '--port', '0', '--web', webDir], {
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let log = ''
  server.stderr.on('data', (d) => (log += d))
  const base = await new Promise((ok, fail) => {
    const timer = setTimeout(() => fail(new Error(`the server did not start:\n${log}`)), 30000)
    let out = ''
    server.stdout.on('data', (d) => {
      out += d
      const m = out.match(/http:\/\/127\.0\.0\.1:(\d+)\//)
      if (m) {
        clearTimeout(timer)
        ok(`http://127.0.0.1:${m[1]}`)
      }
    })
    server.on('exit', (c) => fail(new Error(`the server exited (${c}):\n${log}`)))
  })
  console.log(`e2e: qingfeng serve at ${base}`)

  const files = readdirSync(here)
    .filter((f) => f.endsWith('.test.mjs'))
    .sort()
    .map((f) => join(here, f))
  const run = spawnSync(process.execPath, ['--test', '--test-concurrency=1', '--test-reporter=spec', ...files], {
    env: { ...env, QF_BASE: base, QF_ACCOUNTS: `${db}.accounts.txt`, QF_DB: db, QF_WORK: work },
    stdio: 'inherit',
    cwd: webRoot,
  })
  code = run.status ?? 1
  if (code !== 0 && log) console.error(`server log:\n${log.slice(-4000)}`)
} catch (e) {
  console.error(`e2e: ${e.message}`)
  code = 1
} finally {
  await cleanup()
}
process.exit(code)
