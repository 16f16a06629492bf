// npm run screenshots: the main pages at 1366×768 into docs/screenshots/.
// Needs a running `qingfeng serve` on demo data:
//   QF_BASE=http://127.0.0.1:8080 QF_ACCOUNTS=demo.db.accounts.txt npm run screenshots
import { mkdirSync } from 'node:fs'
import { resolve } from 'node:path'
import { accounts, launch, login, newPage } from '../tests/e2e/browser.mjs'

const base = process.env.QF_BASE ?? 'http://127.0.0.1:8080'
const acc = accounts(process.env.QF_ACCOUNTS ?? resolve('..', 'demo.db.accounts.txt'))
const out = resolve(process.env.QF_SHOTS ?? '../docs/screenshots')
mkdirSync(out, { recursive: true })

const browser = await launch()
try {
  const { page } = await newPage(browser, base)
  const shot = async (name) => {
    await page.waitForLoadState('networkidle')
    await page.waitForTimeout(900) // charts animate in
    await page.screenshot({ path: `${out}/${name}.png` })
    console.log(`${out}/${name}.png`)
  }
  await page.goto('/login')
  await shot('login')
  await login(page, 'admin', acc.admin)
  await page.goto('/dashboard')
  await page.locator('[data-test=figure-leads]').waitFor()
  await shot('dashboard')
  await page.goto('/leads')
  await page.locator('[data-test=lead-table] .el-table__row').first().waitFor()
  await shot('leads')
  const first = await page.locator('[data-test=lead-table] .el-table__row a').first().textContent()
  await page.goto(`/leads/${first.trim()}`)
  await page.locator('[data-test=lead-title]').waitFor()
  await page.getByRole('tab', { name: /证据记录/ }).click()
  await shot('lead-evidence')
  // The graph of a lead with explained paths, if the server has the graph.
  const withPaths = await (async () => {
    for (const family of ['integrity', 'procurement', 'funds']) {
      const r = await page.request.get(`/api/leads?family=${family}&page_size=20`)
      if (!r.ok()) continue
      for (const l of (await r.json()).items) {
        const g = await page.request.get(`/api/leads/${l.id}/graph`)
        if (g.ok() && (await g.json()).paths?.length) return l.id
      }
    }
    return null
  })()
  if (withPaths) {
    await page.goto(`/leads/${withPaths}`)
    await page.getByRole('tab', { name: '关系图谱' }).click()
    await page.locator('[data-test=lead-graph] canvas').first().waitFor()
    await page.waitForTimeout(2500) // the force layout settles
    await shot('lead-graph')
  }
  await page.goto('/models')
  await page.locator('[data-test=models-table] .el-table__row').first().waitFor()
  await shot('models')
  if (await page.locator('a[href="/data"]').count()) {
    await page.goto('/data')
    await page.locator('[data-test=datasets-table] .el-table__row').first().waitFor()
    await shot('data')
  }
  await page.goto('/ledger')
  await page.locator('[data-test=ledger-root]').waitFor()
  await shot('ledger')
  // The supervision pages (the demo judges as of 2024-12-31).
  await page.goto('/ledger?tab=verify')
  await page.locator('[data-test=ledger-verify-start]').click()
  await page.locator('[data-test=ledger-verify-ok]').waitFor({ timeout: 60000 })
  await shot('ledger-verify')
  await page.goto('/hotline')
  await page.locator('[data-test=hotline-board] .el-table__row').first().waitFor()
  await shot('hotline')
  await page.goto('/draws')
  await page.locator('[data-test=draws-table]').waitFor()
  await shot('draws')
  await page.goto('/enforcement')
  await page.locator('[data-test=enf-board]').waitFor()
  await shot('enforcement')
  await page.goto('/party')
  await page.locator('[data-test=party-branches] .el-table__row').first().waitFor()
  await shot('party')
  await page.goto('/duties')
  await page.locator('[data-test=duties-table] .el-table__row').first().waitFor()
  await shot('duties')
  await page.goto('/portal')
  await page.locator('[data-test=report-content]').waitFor()
  await shot('portal')
} finally {
  await browser.close()
}
