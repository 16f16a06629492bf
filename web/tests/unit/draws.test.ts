import { describe, expect, it } from 'vitest'
import * as lib from '../../src/lib/draws'
import type { DrawSummary, DrawTarget, PlanForm } from '../../src/lib/draws'

const leader = ['read', 'approve', 'verdict', 'assign', 'comment', 'export', 'unmask']
const analyst = ['read', 'propose', 'process', 'verdict', 'assign', 'comment', 'merge', 'export', 'unmask']
const auditor = ['read', 'export', 'ledger']

function form(over: Partial<PlanForm> = {}): PlanForm {
  return { ...lib.emptyPlanForm(), item: '食品安全日常检查', org: '阜新市市场监督管理局', ...over }
}

describe('status and steps', () => {
  it('colours each status', () => {
    expect(lib.drawStatusTag('planned')).toBe('info')
    expect(lib.drawStatusTag('executed')).toBe('warning')
    expect(lib.drawStatusTag('published')).toBe('success')
    expect(lib.drawStatusTag('other')).toBe('danger')
    expect(['A', 'B', 'C', 'D'].map(lib.riskTag)).toEqual(['success', 'info', 'warning', 'danger'])
  })
  it('offers execute to a leader on a plan, results to a processor once executed', () => {
    expect(lib.drawSteps('planned', leader)).toEqual(['execute', 'verify'])
    expect(lib.drawSteps('planned', analyst)).toEqual(['verify'])
    expect(lib.drawSteps('executed', leader)).toEqual(['publish', 'verify'])
    expect(lib.drawSteps('executed', analyst)).toEqual(['results', 'verify'])
    expect(lib.drawSteps('published', [...leader, 'process'])).toEqual(['results', 'verify'])
    expect(lib.drawSteps('executed', auditor)).toEqual(['verify'])
    expect(lib.drawSteps('executed', [])).toEqual([])
  })
  it('shows basis points as percent', () => {
    expect(lib.formatRatio(300)).toBe('3%')
    expect(lib.formatRatio(250)).toBe('2.5%')
    expect(lib.formatRatio(10000)).toBe('100%')
    expect(lib.formatRatio(null)).toBe('—')
  })
})

describe('the plan form', () => {
  it('accepts the defaults with an item and an organisation', () => {
    expect(lib.validatePlan(form())).toBeNull()
    expect(lib.validatePlan(lib.emptyPlanForm())?.[0]).toBe('item')
    expect(lib.validatePlan(form({ org: ' ' }))?.[0]).toBe('org')
  })
  it('checks ratios, inspectors per target, region prefix and the commitment', () => {
    expect(lib.validatePlan(form({ ratios: { A: 3, B: 101, C: 10, D: 20 } }))?.[0]).toBe('ratios.B')
    expect(lib.validatePlan(form({ ratios: { A: -1, B: 5, C: 10, D: 20 } }))?.[0]).toBe('ratios.A')
    expect(lib.validatePlan(form({ ratios: { A: 3, B: 5, C: null, D: 20 } }))?.[0]).toBe('ratios.C')
    expect(lib.validatePlan(form({ inspectors_per_target: 1 }))?.[0]).toBe('inspectors_per_target')
    expect(lib.validatePlan(form({ inspectors_per_target: 2.5 }))?.[0]).toBe('inspectors_per_target')
    expect(lib.validatePlan(form({ inspectors_per_target: 21 }))?.[0]).toBe('inspectors_per_target')
    expect(lib.validatePlan(form({ region_prefix: '21a9' }))?.[0]).toBe('region_prefix')
    expect(lib.validatePlan(form({ region_prefix: '2109' }))).toBeNull()
    expect(lib.validatePlan(form({ seed_mode: 'planner', seed_commitment: 'abc' }))?.[0]).toBe('seed_commitment')
    expect(lib.validatePlan(form({ seed_mode: 'planner', seed_commitment: 'A'.repeat(64) }))).toBeNull()
  })
  it('parses risk overrides a line each and names a bad line', () => {
    expect(lib.parseOverrides('91210900MA0001 d\n\n  91210900MA0002，B  ')).toEqual({
      map: { '91210900MA0001': 'D', '91210900MA0002': 'B' },
    })
    expect(lib.parseOverrides('91210900MA0001 D\n91210900MA0002 E')).toEqual({ line: 2, text: '91210900MA0002 E' })
    expect(lib.validatePlan(form({ overrides: 'no class here' }))?.[0]).toBe('overrides')
  })
  it('sends exactly the fields CreateDrawRoute knows, optional ones only when given', () => {
    expect(lib.planBody(form())).toEqual({
      item: '食品安全日常检查',
      org: '阜新市市场监督管理局',
      ratios: { A: 3, B: 5, C: 10, D: 20 },
      inspectors_per_target: 2,
    })
    const b = lib.planBody(
      form({
        item: ' 双随机 ',
        ratios: { A: 2.5, B: 0, C: 100, D: 33.333 },
        inspectors_per_target: 3,
        region_prefix: ' 210911 ',
        industry: '餐饮',
        post_filter: '执法',
        overrides: '91210900MA0001 c',
        seed_mode: 'planner',
        seed_commitment: 'AB'.repeat(32),
      }),
    )
    expect(b).toEqual({
      item: '双随机',
      org: '阜新市市场监督管理局',
      ratios: { A: 2.5, B: 0, C: 100, D: 33.33 },
      inspectors_per_target: 3,
      region_prefix: '210911',
      industry: '餐饮',
      post_filter: '执法',
      risk_overrides: { '91210900MA0001': 'C' },
      seed_commitment: 'ab'.repeat(32),
    })
    const allowed = ['item', 'org', 'ratios', 'inspectors_per_target', 'region_prefix', 'industry', 'post_filter', 'risk_overrides', 'seed_commitment']
    for (const k of Object.keys(b)) expect(allowed).toContain(k)
  })
  it('does not send a commitment when the platform keeps the seed', () => {
    expect(lib.planBody(form({ seed_mode: 'platform', seed_commitment: 'ab'.repeat(32) }))).not.toHaveProperty('seed_commitment')
  })
})

describe('results', () => {
  it('turns yuan into fen without float error', () => {
    expect(lib.yuanToFen('')).toBe(0)
    expect(lib.yuanToFen('1,200.50')).toBe(120050)
    expect(lib.yuanToFen('0.29')).toBe(29)
    expect(lib.yuanToFen('19.99')).toBe(1999)
    expect(lib.yuanToFen('-5')).toBeNull()
    expect(lib.yuanToFen('1.234')).toBeNull()
    expect(lib.yuanToFen('abc')).toBeNull()
  })
  it('checks the result, the date and the penalty', () => {
    const ok = { result: '未发现问题', date: '2026-03-01', penalty: '' }
    expect(lib.validateResult(ok)).toBeNull()
    expect(lib.validateResult({ ...ok, result: ' ' })?.[0]).toBe('result')
    expect(lib.validateResult({ ...ok, date: '2026-02-30' })?.[0]).toBe('date')
    expect(lib.validateResult({ ...ok, date: '2026/03/01' })?.[0]).toBe('date')
    expect(lib.validateResult({ ...ok, penalty: '-1' })?.[0]).toBe('penalty')
    expect(lib.validateResult({ ...ok, result: '字'.repeat(1334) })?.[0]).toBe('result')
  })
  it('builds the results body in fen', () => {
    expect(lib.resultBody('91210900MA0001', { result: ' 责令整改 ', date: '2026-03-01', penalty: '5,000' })).toEqual({
      credit_code: '91210900MA0001',
      result: '责令整改',
      date: '2026-03-01',
      penalty_fen: 500000,
    })
  })
  it('fills the form from a stored result, and counts results in', () => {
    const t: DrawTarget = {
      seq: 1,
      credit_code: 'X',
      name: '某公司',
      risk: 'C',
      inspectors: [],
      result: '罚款',
      result_date: '2026-01-02',
      penalty_fen: 120005,
    }
    expect(lib.resultFormOf(t, '2026-05-05')).toEqual({ result: '罚款', date: '2026-01-02', penalty: '1200.05' })
    const empty = { ...t, result: null, result_date: null, penalty_fen: 0 }
    expect(lib.resultFormOf(empty, '2026-05-05')).toEqual({ result: '', date: '2026-05-05', penalty: '' })
    expect(lib.resultProgress([t, empty, empty])).toEqual([1, 3])
  })
  it('finds the recusals of a target', () => {
    const r = [
      { credit_code: 'X', inspector_id_number: '2109**1', reason: 'a' },
      { credit_code: 'Y', inspector_id_number: '2109**2', reason: 'b' },
    ]
    expect(lib.recusalsOf(r, 'Y')).toEqual([r[1]])
    expect(lib.recusalsOf(r, 'Z')).toEqual([])
  })
})

describe('list', () => {
  const d = (id: number, item: string, org: string, status: string) => ({ id, item, org, status }) as DrawSummary
  const list = [d(3, '食品检查', '市场监督管理局', 'planned'), d(2, '建筑工地', '住房和城乡建设局', 'published'), d(1, '食品抽检', '市场监督管理局', 'executed')]
  it('filters by text and status', () => {
    expect(lib.filterDraws(list, '食品', '').map((x) => x.id)).toEqual([3, 1])
    expect(lib.filterDraws(list, '', 'published').map((x) => x.id)).toEqual([2])
    expect(lib.filterDraws(list, '2', '').map((x) => x.id)).toEqual([2])
    expect(lib.filterDraws(list, '住房', 'planned')).toEqual([])
  })
  it('pages', () => {
    expect(lib.pageOf([1, 2, 3, 4, 5], 2, 2)).toEqual([3, 4])
    expect(lib.pageOf([1, 2, 3], 0, 2)).toEqual([1, 2])
  })
})

// The platform's own SHA-256 (WebCrypto in Node) as the reference.
async function reference(b: Uint8Array): Promise<string> {
  return lib.bytesToHex(new Uint8Array(await crypto.subtle.digest('SHA-256', new Uint8Array(b))))
}

describe('the seed', () => {
  it('hashes as SHA-256 does', async () => {
    expect(lib.sha256Hex(new Uint8Array())).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855')
    expect(lib.sha256Hex(new TextEncoder().encode('abc'))).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad')
    for (const n of [55, 56, 63, 64, 65, 119, 1000]) {
      const b = new Uint8Array(n).map((_, i) => (i * 7 + n) % 256)
      expect(lib.sha256Hex(b), `length ${n}`).toBe(await reference(b))
    }
  })
  it('commits to the 32 bytes of the seed, not to its hex text', async () => {
    const seed = '00'.repeat(31) + '01'
    const expected = await reference(lib.hexToBytes(seed))
    expect(expected).not.toBe(await reference(new TextEncoder().encode(seed)))
    expect(lib.seedCommitment(seed)).toBe(expected)
    expect(lib.seedMatches(seed.toUpperCase(), expected.toUpperCase())).toBe(true)
    expect(lib.seedMatches('00'.repeat(32), expected)).toBe(false)
    expect(lib.seedMatches('00', expected)).toBeNull()
  })
  it('draws 32 random bytes', () => {
    expect(lib.newSeed((b) => b.fill(0xab))).toBe('ab'.repeat(32))
    const s = lib.newSeed()
    expect(s).toMatch(/^[0-9a-f]{64}$/)
    expect(lib.newSeed()).not.toBe(s)
  })
})

describe('verification rows', () => {
  const h = 'ab'.repeat(32)
  it('puts problems first, translates known lines and keeps their hash', () => {
    const rows = lib.verifyRows({
      checks: ['draw_plan action matches its ledger leaf', `entity register snapshot hashes to ${h} as in the ledger`],
      problems: ['recorded recusals as in the ledger', 'recomputed draw fails: not enough inspectors'],
    })
    expect(rows.map((r) => r.ok)).toEqual([false, false, true, true])
    expect(rows[0].zh).toBe('记录的回避名单与账本记载一致')
    expect(rows[1].zh).toBe('重新抽取失败：not enough inspectors')
    expect(rows[2]).toEqual({ ok: true, zh: '抽查计划操作（draw_plan）与其账本叶子一致', en: 'draw_plan action matches its ledger leaf', hash: null })
    expect(rows[3].hash).toBe(h)
    expect(rows[3].zh).toContain('检查对象名录库')
  })
  it('keeps an unknown line as it is', () => {
    expect(lib.verifyRows({ checks: ['something new'], problems: [] })).toEqual([{ ok: true, zh: 'something new', en: 'something new', hash: null }])
  })
})
