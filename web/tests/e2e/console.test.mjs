// End-to-end tests of the web UI against a real `qingfeng serve` on demo data
// (started by run.mjs): what people do with it, through the browser.
import { after, before, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { request } from 'playwright-core'
import { accounts, launch, login, newPage } from './browser.mjs'

const base = process.env.QF_BASE
const acc = accounts(process.env.QF_ACCOUNTS)
let browser
let admin // an API client signed in as admin, to look things up and check the ledger

async function apiAs(name) {
  const ctx = await request.newContext({ baseURL: base })
  const r = await ctx.post('/api/login', { data: { name, password: acc[name] } })
  assert.equal(r.status(), 200, `login ${name}`)
  return ctx
}

async function json(ctx, path) {
  const r = await ctx.get(path)
  assert.ok(r.ok(), `${path}: ${r.status()}`)
  return r.json()
}

async function routeExists(path) {
  const r = await admin.get(path)
  if (r.status() !== 404) return true
  const body = await r.json().catch(() => ({}))
  return !String(body.message_en ?? '').startsWith('no such endpoint')
}

/** Picks an option of an Element Plus select by its visible text. */
async function choose(page, select, text) {
  await page.locator(select).click()
  await page.locator('.el-select-dropdown__item:visible', { hasText: text }).first().click()
}

before(async () => {
  browser = await launch()
  admin = await apiAs('admin')
})

after(async () => {
  await admin?.dispose()
  await browser?.close()
})

describe('sign-in', () => {
  test('a wrong password is refused with the reason', async () => {
    const { context, page } = await newPage(browser, base)
    await page.goto('/login')
    await page.locator('input[data-test=login-name]').fill('admin')
    await page.locator('input[data-test=login-password]').fill('wrong-password')
    await page.locator('[data-test=login-submit]').click()
    await page.getByRole('alert').filter({ hasText: '用户名或密码错误' }).waitFor()
    assert.match(new URL(page.url()).pathname, /^\/login/)
    await context.close()
  })

  test('an analyst signs in and sees the dashboard figures of the server', async () => {
    const { context, page } = await newPage(browser, base)
    await page.goto('/leads')
    await page.waitForURL(/\/login\?next=/) // not signed in: sent to sign in first
    await page.locator('input[data-test=login-name]').fill('analyst')
    await page.locator('input[data-test=login-password]').fill(acc.analyst)
    await page.locator('[data-test=login-submit]').click()
    await page.waitForURL((u) => u.pathname === '/leads') // and back where they wanted to go
    await page.goto('/dashboard')
    const dash = await json(admin, '/api/dashboard')
    const figure = page.locator('[data-test=figure-leads]')
    await figure.waitFor()
    assert.match(await figure.innerText(), new RegExp(dash.totals.leads.toLocaleString('en-US')))
    assert.ok(dash.totals.leads > 0)
    await page.locator('[data-test=user-menu]').filter({ hasText: '监督分析员' }).waitFor()
    await context.close()
  })
})

describe('leads', () => {
  test('open a lead from the list: evidence, masking, unmasking on click (recorded), graph', async () => {
    const { context, page } = await newPage(browser, base)
    await login(page, 'analyst', acc.analyst)
    await page.goto('/leads')
    const firstLink = page.locator('[data-test=lead-table] .el-table__row a').first()
    await firstLink.waitFor()
    const id = (await firstLink.innerText()).trim()
    await firstLink.click()
    await page.waitForURL(new RegExp(`/leads/${id}$`))
    await page.locator('[data-test=lead-title]').filter({ hasText: id }).waitFor()

    await page.getByRole('tab', { name: /证据记录/ }).click()
    const groups = page.locator('[data-test=evidence-group]')
    await groups.first().waitFor()
    const rows = await page.locator('[data-test=evidence-group] .el-table__body-wrapper tr').count()
    const detail = await json(admin, `/api/leads/${id}`)
    assert.equal(rows, detail.evidence.length, 'every evidence record is listed')

    // Personal data: masked first, in clear only after an explicit click.
    const summary = page.locator('[data-test=lead-summary]')
    const masked = await page.locator('.el-descriptions').first().innerText()
    if (detail.subject.dataset === 'persons') assert.match(masked, /\*{4,}/)
    await page.locator('[data-test=unmask]').click()
    await page.locator('.el-message-box').getByRole('button', { name: /确定|OK/ }).click()
    await page.locator('[data-test=unmask]').filter({ hasText: '恢复脱敏' }).waitFor()
    await summary.waitFor()
    const clear = await page.locator('.el-descriptions').first().innerText()
    if (detail.subject.dataset === 'persons') assert.doesNotMatch(clear, /\*{4,}/)
    const log = await json(admin, '/api/ledger/actions?action=view_unmasked&actor=user:analyst')
    assert.ok(
      log.actions.some((a) => a.target === `lead:${id}`),
      'the unmasked view is in the ledger',
    )

    if (!(await routeExists(`/api/leads/${id}/graph`))) {
      console.log('# graph: GET /api/leads/{id}/graph is not in this server; graph check skipped')
    } else {
      await page.getByRole('tab', { name: '关系图谱' }).click()
      const graph = page.locator('[data-test=lead-graph]')
      await graph.locator('canvas').first().waitFor()
      const g = await json(admin, `/api/leads/${id}/graph`)
      if (g.nodes.length) {
        await graph.getByText(`${g.nodes.length} 个节点`).waitFor()
      } else {
        await graph.getByText('该线索没有可展示的关系').waitFor()
      }
    }
    await context.close()
  })

  test('expand a node of a lead graph (keyboard list), its ego network merged in', async (t) => {
    if (!(await routeExists('/api/graph/ego'))) return t.skip('the graph API is not in this server')
    // A lead whose graph has an organisation that has more links than the lead shows.
    let id = null
    let org = null
    let before = 0
    for (const family of ['integrity', 'procurement', 'funds', 'welfare']) {
      const list = await json(admin, `/api/leads?family=${family}&page_size=20`)
      for (const l of list.items) {
        const g = await json(admin, `/api/leads/${l.id}/graph`)
        for (const n of g.nodes.filter((x) => x.kind === 'org')) {
          const ego = await json(admin, `/api/graph/ego?node=${encodeURIComponent(n.key ?? n.name)}&depth=1&limit=200`)
          const ids = new Set(g.nodes.map((x) => x.id))
          if (ego.nodes.some((x) => !ids.has(x.id))) {
            id = l.id
            org = n
            before = g.nodes.length
            break
          }
        }
        if (id) break
      }
      if (id) break
    }
    assert.ok(id, 'a lead graph with an expandable organisation')
    const { context, page } = await newPage(browser, base)
    await login(page, 'analyst', acc.analyst)
    await page.goto(`/leads/${id}`)
    await page.getByRole('tab', { name: '关系图谱' }).click()
    const size = page.locator('[data-test=graph-size]')
    await size.filter({ hasText: `${before} 个节点` }).waitFor()
    const exact = new RegExp(`^单位/企业 · ${org.name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`)
    await choose(page, '[data-test=graph-expand]', exact)
    await page.locator('[data-test=graph-selected]').filter({ hasText: org.name }).waitFor()
    await page.waitForFunction(
      ([sel, n]) => {
        const m = document.querySelector(sel)?.textContent?.match(/(\d+) 个节点/)
        return m && Number(m[1]) > n
      },
      ['[data-test=graph-size]', before],
    )
    await context.close()
  })

  test('propose a disposition as analyst, approve it as leader', async () => {
    const list = await json(admin, '/api/leads?status=pending&sort=id&order=desc&page_size=1')
    const id = list.items[0].id
    {
      const { context, page } = await newPage(browser, base)
      await login(page, 'analyst', acc.analyst)
      await page.goto(`/leads/${id}`)
      await page.locator('[data-test=action-propose]').click()
      await choose(page, '[data-test=field-route]', '初步核实')
      await page.locator('textarea[data-test=field-text]').fill('建议初步核实')
      await page.locator('[data-test=action-submit]').click()
      await page.locator('[data-test=lead-status]').filter({ hasText: '待审批' }).waitFor()
      // An analyst may not approve their own proposal.
      assert.equal(await page.locator('[data-test=action-approve]').count(), 0)
      await context.close()
    }
    {
      const { context, page } = await newPage(browser, base)
      await login(page, 'leader', acc.leader)
      await page.goto(`/leads/${id}`)
      await page.locator('[data-test=action-approve]').click()
      await page.locator('textarea[data-test=field-text]').fill('同意')
      await page.locator('[data-test=action-submit]').click()
      await page.locator('[data-test=lead-status]').filter({ hasText: '办理中' }).waitFor()
      await page.getByRole('tab', { name: '处置过程' }).click()
      await page.locator('.el-timeline-item').filter({ hasText: '审批同意' }).waitFor()
      await page.locator('.el-timeline-item').filter({ hasText: '建议初步核实' }).waitFor()
      await context.close()
    }
    const after = await json(admin, `/api/leads/${id}`)
    assert.equal(after.status, 'in_progress')
    assert.equal(after.route, 'preliminary_check')
  })

  test('a handler cannot open a lead of another district', async () => {
    const clerkApi = await apiAs('clerk')
    const me = await json(clerkApi, '/api/me')
    const mine = new Set((await json(clerkApi, '/api/leads?page_size=500')).items.map((l) => l.id))
    await clerkApi.dispose()
    const all = await json(admin, '/api/leads?region=210902&page_size=50')
    const other = all.items.find((l) => !mine.has(l.id))
    assert.ok(other, 'a lead outside the handler scope exists')
    assert.ok(me.user.orgs.length + me.user.regions.length > 0, 'the handler has a limited scope')

    const { context, page } = await newPage(browser, base)
    await login(page, 'clerk', acc.clerk)
    await page.goto(`/leads/${other.id}`)
    await page.locator('[data-test=lead-error]').filter({ hasText: '无权访问' }).waitFor()
    assert.equal(await page.locator('[data-test=lead-title]').count(), 0)
    // Nor does it show in their list.
    await page.goto(`/leads?q=${other.id}`)
    await page.locator('[data-test=lead-table]').waitFor()
    await page.waitForLoadState('networkidle')
    assert.equal(await page.locator(`[data-test=lead-link-${other.id}]`).count(), 0)
    await context.close()
  })
})

/** An 18-character ID number with a valid check character (GB 11643). */
function idNumber(body17) {
  const w = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
  const sum = [...body17].reduce((s, c, i) => s + Number(c) * w[i], 0)
  return body17 + '10X98765432'[sum % 11]
}

describe('data', () => {
  test('upload a file with a broken row, find it in quarantine, fix it', async (t) => {
    if (!(await routeExists('/api/datasets'))) return t.skip('the data management API is not in this server')
    const { context, page } = await newPage(browser, base)
    await login(page, 'analyst', acc.analyst)
    await page.goto('/data?tab=upload')
    await choose(page, '[data-test=upload-dataset]', '（deaths）')
    const name = `e2e-deaths-${Date.now()}.csv`
    const csv = [
      'id_number,name,death_date,source',
      `${idNumber('21091119500101123')},测试甲,2024-01-05,公安`,
      `${idNumber('21091119500101124')},测试乙,2024-02-30,公安`,
    ].join('\n')
    await page.locator('input[data-test=upload-file]').setInputFiles({ name, mimeType: 'text/csv', buffer: Buffer.from(csv) })
    await page.locator('[data-test=upload-submit]').click()
    const reports = page.locator('[data-test=import-reports]')
    await reports.waitFor({ timeout: 60000 })
    await page.locator('[data-test=import-state]').filter({ hasText: '已完成' }).waitFor()
    await page.locator('[data-test=to-quarantine]').filter({ hasText: '1' }).click()

    const row = page.locator('[data-test=quarantine-table] .el-table__body-wrapper tr', { hasText: name })
    await row.waitFor()
    assert.equal(await row.count(), 1, 'one quarantined row')
    const text = await row.innerText()
    assert.match(text, /death_date|死亡日期/)
    assert.match(text, /2024-02-30/)

    await row.getByRole('button', { name: '修正并重新导入' }).click()
    await page.locator('input[data-test="fix-field-death_date"]').fill('2024-02-28')
    await page.locator('[data-test=fix-submit]').click()
    await page.locator('.el-message--success').filter({ hasText: '已修正并导入' }).waitFor()
    await page.waitForLoadState('networkidle')
    assert.equal(await page.locator('[data-test=quarantine-table] .el-table__body-wrapper tr', { hasText: name }).count(), 0)
    await context.close()
  })
})

describe('models', () => {
  test('run a scan with progress; test an SQL model, and see a bad one refused', async (t) => {
    if (!(await routeExists('/api/scans/jobs/1'))) return t.skip('the model management API is not in this server')
    const { context, page } = await newPage(browser, base)
    await login(page, 'analyst', acc.analyst)
    await page.goto('/models')
    await page.locator('[data-test=models-table] .el-table__row').first().waitFor()
    await page.locator('[data-test=scan-run]').click()
    const result = page.locator('[data-test=scan-models]')
    await result.waitFor({ timeout: 120000 })
    const catalogue = await json(admin, '/api/models')
    const enabled = catalogue.models.filter((m) => m.enabled !== false).length
    assert.equal(await result.locator('.el-table__body-wrapper tr').count(), enabled, 'one result row per enabled model')
    await page.keyboard.press('Escape')

    await page.getByRole('tab', { name: '自定义 SQL 模型' }).click()
    await page.locator('textarea[data-test=custom-sql]').fill(
      "SELECT id_number AS subject_key, name || '于' || death_date || '死亡' AS summary FROM deaths ORDER BY id_number LIMIT 3",
    )
    await page.locator('[data-test=custom-test]').click()
    const rows = page.locator('[data-test=custom-rows] .el-table__body-wrapper tr')
    await rows.first().waitFor()
    assert.equal(await rows.count(), 3)
    assert.match(await rows.first().innerText(), /死亡/)

    await page.locator('textarea[data-test=custom-sql]').fill('DELETE FROM deaths')
    await page.locator('[data-test=custom-test]').click()
    await page.locator('[data-test=custom-error]').waitFor()
    assert.equal(await page.locator('[data-test=custom-rows]').count(), 0)
    const left = await json(admin, '/api/datasets')
    assert.ok(left.datasets.find((d) => d.name === 'deaths').rows > 0, 'nothing was deleted')
    await context.close()
  })
})

describe('public portal', () => {
  test('submit a complaint without signing in and look it up by its receipt', async (t) => {
    if (!(await routeExists('/api/public/reports/status'))) return t.skip('the public reports API is not in this server')
    const { context, page } = await newPage(browser, base)
    await page.goto('/portal')
    await page.locator('[data-test=kind-complaint]').click()
    await page.locator('textarea[data-test=report-content]').fill('某街道办事处办理低保拖延三个月未答复。')
    await page.locator('[data-test=report-submit]').click()
    const code = (await page.locator('[data-test=receipt-code]').innerText()).trim()
    assert.ok(code.length >= 20, `a receipt code (${code})`)
    await page.locator('[data-test=receipt-follow]').click()
    await page.locator('[data-test=lookup-status]').filter({ hasText: '已受理' }).waitFor()

    // A wrong code is refused.
    await page.locator('input[data-test=lookup-code]').fill(code.slice(0, -2) + (code.endsWith('A') ? 'BB' : 'AA'))
    await page.locator('[data-test=lookup-submit]').click()
    await page.getByRole('alert').first().waitFor()
    assert.equal(await page.locator('[data-test=lookup-result]').count(), 0)
    await context.close()
  })
})

// The supervision pages on the demo data: the demo judges as of 2024-12-31 and
// leaves work in progress (open 12345 orders, branches, leaders' items).
describe('supervision', () => {
  let context
  let page
  before(async () => {
    ;({ context, page } = await newPage(browser, base))
    await login(page, 'admin', acc.admin)
  })
  after(async () => context?.close())

  test('督查督办: overdue orders flagged on the board, an order and its trail', async () => {
    await page.goto('/hotline')
    const board = page.locator('[data-test=hotline-board]')
    const overdue = board.locator('.el-table__row', { has: page.locator('[data-test=hotline-clock]', { hasText: '逾期' }) })
    await overdue.first().waitFor()
    assert.ok((await board.locator('.el-table__row', { hasText: /催办|督办/ }).count()) > 0, 'orders with 催办/督办')
    await overdue.first().locator('.el-link').click()
    const drawer = page.locator('[data-test=hotline-detail]')
    await drawer.locator('.el-timeline-item').first().waitFor()
    assert.match(await drawer.innerText(), /流转记录/)
    assert.ok((await drawer.locator('.el-timeline-item').count()) >= 1, 'the trail has events')
    assert.match(page.url(), /[?&]id=GD/)
  })

  test('三会一课: a branch calendar with met and missed cells', async () => {
    const { items } = await json(admin, '/api/party/branches?limit=200')
    const branch = items.find((b) => b.registered && b.meetings > 0)
    assert.ok(branch, 'a registered branch with meetings')
    await page.goto(`/party?tab=calendar&branch=${encodeURIComponent(branch.branch_id)}`)
    const grid = page.locator('[data-test=party-grid]')
    await grid.locator('.grid-cell[data-status=met]').first().waitFor()
    const statuses = await grid.locator('.grid-cell').evaluateAll((cells) => cells.map((c) => c.dataset.status))
    assert.ok(statuses.includes('met'), 'met cells')
    // Missed cells show when the server counts missed requirements for the branch.
    const cal = await json(admin, `/api/party/branches/${encodeURIComponent(branch.branch_id)}/calendar`)
    assert.ok(cal.met > 0)
    assert.equal(statuses.includes('missed'), cal.missed > 0)
    assert.match(await grid.locator('.grid-cell[data-status=met]').first().innerText(), /已召开/)
  })

  test('一岗双责: overdue items, and the assessment as XLSX', async () => {
    await page.goto('/duties')
    await page.locator('[data-test=duties-table] .el-table__row').first().waitFor()
    await page.locator('[data-test=duties-overdue]').click()
    await page.getByRole('button', { name: '查询' }).click()
    const rows = page.locator('[data-test=duties-table] .el-table__row')
    await rows.first().waitFor()
    await page.waitForLoadState('networkidle')
    const overdue = await json(admin, '/api/duties/items?overdue=1&limit=5000')
    assert.ok(overdue.items.length > 0, 'the demo leaves overdue items')
    assert.ok(overdue.items.every((i) => i.days_overdue > 0))
    const ids = new Set(overdue.items.map((i) => String(i.id)))
    // The filtered page replaces the first one: wait for it, then every row is an overdue item.
    let shown = []
    for (let i = 0; i < 50; i++) {
      shown = (await rows.locator('td:first-child').allInnerTexts()).map((s) => s.trim())
      if (shown.length && shown.every((id) => ids.has(id))) break
      await page.waitForTimeout(200)
    }
    assert.ok(shown.length > 0 && shown.every((id) => ids.has(id)), `only overdue items are listed: ${shown.join(' ')}`)
    await page.getByRole('tab', { name: '年终考核' }).click()
    await page.locator('[data-test=assess-table] .el-table__row').first().waitFor()
    const href = await page.locator('[data-test=assess-xlsx]').getAttribute('href')
    const r = await page.request.get(href)
    assert.equal(r.status(), 200)
    const body = await r.body()
    assert.equal(body.subarray(0, 2).toString('latin1'), 'PK', 'an XLSX (zip) file')
    assert.match(r.headers()['content-type'] ?? '', /spreadsheet|octet-stream|zip/)
  })

  test('双随机抽查: plan, execute, targets, recusals, verification, publication', async () => {
    const before = await json(admin, '/api/draws')
    await page.goto('/draws')
    await page.locator('[data-test=draw-new]').click()
    const plan = page.locator('[data-test=draw-plan]')
    await plan.locator('input[data-test=plan-item]').fill('2024年度民生资金使用情况双随机抽查（端到端）')
    await plan.locator('[data-test=plan-org]').click()
    await page.keyboard.type('阜新市财政局')
    await page.locator('.el-select-dropdown__item:visible', { hasText: '阜新市财政局' }).first().click()
    await page.locator('[data-test=plan-submit]').click()
    await page.locator('[data-test=draw-detail]').waitFor()
    await page.locator('[data-test=draw-status]', { hasText: /计划|待/ }).waitFor()
    await page.locator('[data-test=draw-execute]').click()
    await page.locator('[data-test=execute-submit]').click()
    const targets = page.locator('[data-test=draw-targets] .el-table__row')
    await targets.first().waitFor()
    const id = Number(new URL(page.url()).searchParams.get('id'))
    assert.ok(id > 0, 'the draw is open')
    const d = await json(admin, `/api/draws/${id}`)
    assert.equal(await targets.count(), d.target_list.length)
    assert.ok(d.target_list.length > 0, 'targets drawn')
    assert.equal((await json(admin, '/api/draws')).items.length, before.items.length + 1)
    // The recusals tab lists what the server recorded (the demo may have none).
    await page.getByRole('tab', { name: /回避/ }).click()
    const recusals = page.locator('[data-test=draw-recusals] .el-table__row')
    if (d.recusals.length) await recusals.first().waitFor()
    assert.equal(await recusals.count(), d.recusals.length)

    await page.getByRole('tab', { name: /复核/ }).click()
    await page.locator('[data-test=draw-verify-run]').click()
    await page.locator('[data-test=draw-verdict].el-alert--success').waitFor()

    // Results (through the API: the same request the result dialog sends), then publish in the page.
    const clerk = await request.newContext({ baseURL: base })
    const signIn = await clerk.post('/api/login', { data: { name: 'admin', password: acc.admin } })
    const { csrf } = await signIn.json()
    const today = new Date(Date.now() + 8 * 3600 * 1000).toISOString().slice(0, 10)
    for (const tg of d.target_list) {
      const r = await clerk.post(`/api/draws/${id}/results`, {
        data: { credit_code: tg.credit_code, result: '未发现问题', date: today, penalty_fen: 0 },
        headers: { 'X-CSRF-Token': csrf },
      })
      assert.ok(r.ok(), `result of ${tg.credit_code}: ${r.status()} ${await r.text()}`)
    }
    await clerk.dispose()
    await page.reload()
    await page.locator('[data-test=draw-publish]').click()
    await page.locator('.el-message-box__btns .el-button--primary').click()
    await page.locator('[data-test=draw-status]', { hasText: /公示|发布/ }).waitFor()
    assert.equal((await json(admin, `/api/draws/${id}`)).status, 'published')
  })

  test('可信账本: a full verification passes; a record proof checks', async () => {
    await page.goto('/ledger?tab=verify')
    await page.locator('[data-test=ledger-verify-start]').click()
    await page.locator('[data-test=ledger-verify-ok]').waitFor({ timeout: 60000 })

    const leads = await json(admin, '/api/leads?page_size=1')
    const lead = await json(admin, `/api/leads/${leads.items[0].id}?unmask=1`)
    const ev = lead.evidence[0]
    await page.getByRole('tab', { name: '记录证明' }).click()
    await page.locator('[data-test=proof-dataset]').click()
    await page.keyboard.type(ev.dataset)
    await page.locator('.el-select-dropdown__item:visible', { hasText: `（${ev.dataset}）` }).first().click()
    await page.locator('input[data-test=proof-key]').fill(ev.key)
    await page.locator('[data-test=proof-submit]').click()
    await page.locator('[data-test=proof-verdict]').waitFor()
    assert.match(await page.locator('[data-test=proof-checks]').innerText(), /✓/)
  })

  test('portal: 公示信息 lists the published inspection results', async () => {
    const pub = await (await request.newContext({ baseURL: base })).get('/api/public/inspections')
    const answer = await pub.json()
    assert.ok(answer.total > 0, 'the published draw is public')
    const { context: anon, page: p } = await newPage(browser, base)
    await p.goto('/portal?tab=public')
    const rows = p.locator('[data-test=public-inspections] .el-table__row')
    await rows.first().waitFor()
    assert.match(await p.locator('[data-test=public-inspections]').innerText(), /端到端/)
    await anon.close()
  })
})
