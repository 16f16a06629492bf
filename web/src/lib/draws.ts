// 双随机抽查 (docs/draws.md): the plan form → POST /api/draws body, results in
// yuan → fen, status colours, which steps a user may take, and the server's
// verification report as rows. No Vue here so Vitest can test it directly.
import { parseYuan, tagOf } from './format'

export const RISK_CLASSES = ['A', 'B', 'C', 'D'] as const
export type RiskClass = (typeof RISK_CLASSES)[number]

export interface DrawPlanJson {
  item: string
  org: string
  ratio_bp: number[]
  inspectors_per_target: number
  region_prefix: string
  industry: string
  post_filter: string
  risk_overrides: Record<string, string>
  planned_on: string
}

export interface DrawSummary {
  id: number
  item: string
  org: string
  status: 'planned' | 'executed' | 'published' | string
  plan: DrawPlanJson | null
  entity_register_sha256: string
  inspector_register_sha256: string
  entities: number
  inspectors: number
  seed_commitment: string
  seed: string | null
  result_sha256: string | null
  targets: number
  created_by: string
  created_at: string
  executed_at: string | null
  published_at: string | null
}

export interface DrawTarget {
  seq: number
  credit_code: string
  name: string
  risk: string
  inspectors: { id_number: string; name: string }[]
  result: string | null
  result_date: string | null
  penalty_fen: number
}

export interface DrawRecusal {
  credit_code: string
  inspector_id_number: string
  reason: string
}

export interface DrawDetail extends DrawSummary {
  target_list: DrawTarget[]
  recusals: DrawRecusal[]
}

export interface DrawVerifyAnswer {
  id: number
  ok: boolean
  checks: string[]
  problems: string[]
}

// ---------------------------------------------------------------------------
// Status

// grey while waiting for the draw, orange while results come in, green once public
// (the theme's primary colour is red: it would read as an error)
const STATUS_TAGS: Record<string, 'warning' | 'success' | 'info'> = { planned: 'info', executed: 'warning', published: 'success' }
/** Element Plus tag type of a draw status. */
export function drawStatusTag(status: string): 'warning' | 'success' | 'info' | 'danger' {
  return tagOf(STATUS_TAGS, status, 'danger')
}

const RISK_TAGS: Record<string, 'success' | 'info' | 'warning'> = { A: 'success', B: 'info', C: 'warning' }
/** Element Plus tag type of a risk class: A low … D high. */
export function riskTag(risk: string): 'success' | 'info' | 'warning' | 'danger' {
  return tagOf(RISK_TAGS, risk, 'danger')
}

export type DrawStep = 'execute' | 'results' | 'publish' | 'verify'

/**
 * What a user with `rights` may do with a draw in `status`, as the server
 * allows it (src/server/api.cc: plan, execute and publish need `approve`,
 * results `process`, verify `read`; results only once the draw is executed).
 */
export function drawSteps(status: string, rights: readonly string[]): DrawStep[] {
  const out: DrawStep[] = []
  if (status === 'planned' && rights.includes('approve')) out.push('execute')
  if ((status === 'executed' || status === 'published') && rights.includes('process')) out.push('results')
  if (status === 'executed' && rights.includes('approve')) out.push('publish')
  if (rights.includes('read')) out.push('verify')
  return out
}

/** Basis points (1% = 100) → "3%" / "2.5%". */
export function formatRatio(bp: number | null | undefined): string {
  if (bp === null || bp === undefined || !Number.isFinite(bp)) return '—'
  return `${Number((bp / 100).toFixed(2))}%`
}

/** How many results are in: [entered, drawn]. */
export function resultProgress(targets: readonly DrawTarget[]): [number, number] {
  return [targets.filter((t) => t.result !== null && t.result !== undefined).length, targets.length]
}

/** The recusals of one target (by credit code), for its row in the target table. */
export function recusalsOf(recusals: readonly DrawRecusal[], creditCode: string): DrawRecusal[] {
  return recusals.filter((r) => r.credit_code === creditCode)
}

/** Draws whose item, organisation or id contain `q`, and with `status` when given. */
export function filterDraws<T extends DrawSummary>(list: readonly T[], q: string, status: string): T[] {
  const needle = q.trim().toLowerCase()
  return list.filter(
    (d) =>
      (!status || d.status === status) &&
      (!needle || d.item.toLowerCase().includes(needle) || d.org.toLowerCase().includes(needle) || String(d.id) === needle),
  )
}

/** One page (1-based) of a list. */
export function pageOf<T>(list: readonly T[], page: number, size: number): T[] {
  const p = Math.max(1, Math.floor(page))
  return list.slice((p - 1) * size, p * size)
}

// ---------------------------------------------------------------------------
// The plan form

export interface PlanForm {
  item: string
  org: string
  /** Percent per risk class, 0..100, up to two decimals (the server keeps basis points). */
  ratios: Record<RiskClass, number | null | undefined>
  inspectors_per_target: number | null | undefined
  region_prefix: string
  industry: string
  post_filter: string
  /** One "credit code, class" a line: classes the plan gives, over the rule. */
  overrides: string
  /** 'platform': the platform draws and seals the seed; 'planner': the planner holds it. */
  seed_mode: 'platform' | 'planner'
  seed_commitment: string
}

/** The defaults of src/leads/draws.h (3%, 5%, 10%, 20%; two inspectors). */
export function emptyPlanForm(): PlanForm {
  return {
    item: '',
    org: '',
    ratios: { A: 3, B: 5, C: 10, D: 20 },
    inspectors_per_target: 2,
    region_prefix: '',
    industry: '',
    post_filter: '',
    overrides: '',
    seed_mode: 'platform',
    seed_commitment: '',
  }
}

export type Problem = [field: string, zh: string, en: string]

export function isHex64(s: string): boolean {
  return /^[0-9a-fA-F]{64}$/.test(s.trim())
}

/** "91210900MA0XXXXXXX C" lines → {code: class}; or the first bad line. */
export function parseOverrides(text: string): { map: Record<string, RiskClass> } | { line: number; text: string } {
  const map: Record<string, RiskClass> = {}
  const lines = text.split(/\r?\n/)
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i].trim()
    if (!line) continue
    const m = /^(\S{1,40})[\s,，:：=]+([A-Da-d])$/.exec(line)
    if (!m) return { line: i + 1, text: line }
    map[m[1].toUpperCase()] = m[2].toUpperCase() as RiskClass
  }
  return { map }
}

/** The first problem with a plan form as [field, zh, en], or null. Mirrors ValidatePlan. */
export function validatePlan(f: PlanForm): Problem | null {
  if (!f.item.trim()) return ['item', '请填写检查事项', 'The inspection item is required']
  if ([...f.item.trim()].length > 500) return ['item', '检查事项不超过 500 字', 'At most 500 characters']
  if (!f.org.trim()) return ['org', '请填写实施机关', 'The organisation is required']
  for (const c of RISK_CLASSES) {
    const p = f.ratios[c]
    if (p === null || p === undefined || !Number.isFinite(p) || p < 0 || p > 100) {
      return [`ratios.${c}`, `${c} 类抽查比例应在 0% 至 100% 之间`, `The ratio of class ${c} must be between 0% and 100%`]
    }
  }
  const k = f.inspectors_per_target
  if (k === null || k === undefined || !Number.isInteger(k) || k < 2 || k > 20) {
    return ['inspectors_per_target', '每个检查对象的检查人员应为 2 至 20 名', 'Between 2 and 20 inspectors per target']
  }
  if (f.region_prefix.trim() && !/^\d{1,6}$/.test(f.region_prefix.trim())) {
    return ['region_prefix', '地区代码前缀应为 1 至 6 位数字', 'The region prefix has 1 to 6 digits']
  }
  const o = parseOverrides(f.overrides)
  if ('line' in o) {
    return ['overrides', `第 ${o.line} 行应为“信用代码 风险等级（A–D）”`, `Line ${o.line} should be "credit code, class A–D"`]
  }
  if (f.seed_mode === 'planner' && !isHex64(f.seed_commitment)) {
    return ['seed_commitment', '种子承诺值应为 64 位十六进制数', 'The seed commitment has 64 hex digits']
  }
  return null
}

/** The request body for POST /api/draws (CreateDrawRoute's fields exactly). */
export function planBody(f: PlanForm): Record<string, unknown> {
  const ratios: Record<string, number> = {}
  for (const c of RISK_CLASSES) ratios[c] = Math.round(Number(f.ratios[c] ?? 0) * 100) / 100
  const body: Record<string, unknown> = {
    item: f.item.trim(),
    org: f.org.trim(),
    ratios,
    inspectors_per_target: f.inspectors_per_target,
  }
  if (f.region_prefix.trim()) body.region_prefix = f.region_prefix.trim()
  if (f.industry.trim()) body.industry = f.industry.trim()
  if (f.post_filter.trim()) body.post_filter = f.post_filter.trim()
  const o = parseOverrides(f.overrides)
  if ('map' in o && Object.keys(o.map).length) body.risk_overrides = o.map
  if (f.seed_mode === 'planner') body.seed_commitment = f.seed_commitment.trim().toLowerCase()
  return body
}

// ---------------------------------------------------------------------------
// Results

export interface ResultForm {
  result: string
  date: string
  /** Yuan as typed ("1,200.50"); empty = no penalty. */
  penalty: string
}

/** Yuan as typed → fen; '' → 0; null when not a non-negative amount with at most two decimals. */
export function yuanToFen(text: string): number | null {
  if (!text.trim()) return 0
  const fen = parseYuan(text)
  if (fen === null || fen < 0 || !Number.isSafeInteger(fen)) return null
  return fen
}

function validDate(s: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s)
  if (!m) return false
  const d = new Date(Date.UTC(+m[1], +m[2] - 1, +m[3]))
  return d.getUTCFullYear() === +m[1] && d.getUTCMonth() === +m[2] - 1 && d.getUTCDate() === +m[3]
}

export function validateResult(f: ResultForm): Problem | null {
  if (!f.result.trim()) return ['result', '请填写检查结果', 'The result is required']
  if (new TextEncoder().encode(f.result.trim()).length > 4000) {
    return ['result', '检查结果过长（不超过 4000 字节）', 'The result is too long (4000 bytes at most)']
  }
  if (!validDate(f.date)) return ['date', '检查日期格式应为 YYYY-MM-DD', 'The date must be YYYY-MM-DD']
  if (yuanToFen(f.penalty) === null) {
    return ['penalty', '罚没金额应为不小于 0 的金额，最多两位小数', 'The penalty is an amount ≥ 0 with at most two decimals']
  }
  return null
}

/** The request body for POST /api/draws/{id}/results. */
export function resultBody(creditCode: string, f: ResultForm): Record<string, unknown> {
  return { credit_code: creditCode, result: f.result.trim(), date: f.date, penalty_fen: yuanToFen(f.penalty) ?? 0 }
}

/** A target's stored result as the form shows it (fen → yuan without grouping). */
export function resultFormOf(t: DrawTarget, today: string): ResultForm {
  const fen = t.penalty_fen ?? 0
  return {
    result: t.result ?? '',
    date: t.result_date ?? today,
    penalty: fen ? `${Math.floor(fen / 100)}.${String(fen % 100).padStart(2, '0')}` : '',
  }
}

// ---------------------------------------------------------------------------
// The seed: a planner who holds it gives only SHA-256(seed) at planning.

/** SHA-256 of bytes, lower-case hex (plain code: crypto.subtle is missing on plain http). */
export function sha256Hex(data: Uint8Array): string {
  const K = new Uint32Array([
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5, 0xd807aa98,
    0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786,
    0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da, 0x983e5152, 0xa831c66d, 0xb00327c8,
    0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13,
    0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819,
    0xd6990624, 0xf40e3585, 0x106aa070, 0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a,
    0x5b9cca4f, 0x682e6ff3, 0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7,
    0xc67178f2,
  ])
  const h = new Uint32Array([0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19])
  const padded = new Uint8Array(Math.ceil((data.length + 9) / 64) * 64)
  padded.set(data)
  padded[data.length] = 0x80
  const view = new DataView(padded.buffer)
  const bits = data.length * 8
  view.setUint32(padded.length - 8, Math.floor(bits / 0x100000000))
  view.setUint32(padded.length - 4, bits >>> 0)
  const w = new Uint32Array(64)
  const rotr = (x: number, n: number) => (x >>> n) | (x << (32 - n))
  for (let off = 0; off < padded.length; off += 64) {
    for (let i = 0; i < 16; i++) w[i] = view.getUint32(off + i * 4)
    for (let i = 16; i < 64; i++) {
      const s0 = rotr(w[i - 15], 7) ^ rotr(w[i - 15], 18) ^ (w[i - 15] >>> 3)
      const s1 = rotr(w[i - 2], 17) ^ rotr(w[i - 2], 19) ^ (w[i - 2] >>> 10)
      w[i] = (w[i - 16] + s0 + w[i - 7] + s1) >>> 0
    }
    let [a, b, c, d, e, f, g, hh] = h
    for (let i = 0; i < 64; i++) {
      const S1 = rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25)
      const ch = (e & f) ^ (~e & g)
      const t1 = (hh + S1 + ch + K[i] + w[i]) >>> 0
      const S0 = rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22)
      const maj = (a & b) ^ (a & c) ^ (b & c)
      const t2 = (S0 + maj) >>> 0
      hh = g
      g = f
      f = e
      e = (d + t1) >>> 0
      d = c
      c = b
      b = a
      a = (t1 + t2) >>> 0
    }
    h[0] += a
    h[1] += b
    h[2] += c
    h[3] += d
    h[4] += e
    h[5] += f
    h[6] += g
    h[7] += hh
  }
  return [...h].map((x) => x.toString(16).padStart(8, '0')).join('')
}

export function hexToBytes(hex: string): Uint8Array {
  const t = hex.trim()
  if (t.length % 2 || /[^0-9a-fA-F]/.test(t)) throw new Error('not hex')
  const out = new Uint8Array(t.length / 2)
  for (let i = 0; i < out.length; i++) out[i] = parseInt(t.slice(i * 2, i * 2 + 2), 16)
  return out
}

export function bytesToHex(b: Uint8Array): string {
  return [...b].map((x) => x.toString(16).padStart(2, '0')).join('')
}

/** The commitment of a seed given as 64 hex digits: SHA-256 of its 32 bytes (as the server computes it). */
export function seedCommitment(seedHex: string): string {
  return sha256Hex(hexToBytes(seedHex))
}

/** Whether a seed (64 hex) matches a commitment: true / false, or null while the seed is incomplete. */
export function seedMatches(seedHex: string, commitment: string): boolean | null {
  if (!isHex64(seedHex)) return null
  return seedCommitment(seedHex) === commitment.trim().toLowerCase()
}

/** A fresh 32-byte seed as hex (crypto.getRandomValues works on plain http too). */
export function newSeed(random: (b: Uint8Array) => Uint8Array = (b) => crypto.getRandomValues(b)): string {
  return bytesToHex(random(new Uint8Array(32)))
}

// ---------------------------------------------------------------------------
// Verification: the server's English lines (src/leads/draws.cc VerifyDraw) as
// rows with a Chinese text and the hash they name, problems first.

export interface VerifyRow {
  ok: boolean
  zh: string
  en: string
  /** A SHA-256 the line names (register snapshot, result), for the copy button. */
  hash: string | null
}

const KNOWN: [RegExp, string][] = [
  [/^draw_plan action matches its ledger leaf$/, '抽查计划操作（draw_plan）与其账本叶子一致'],
  [/^entity register snapshot hashes to (\w+) as in the ledger$/, '检查对象名录库快照的 SHA-256 与账本记载一致'],
  [/^inspector register snapshot hashes to (\w+) as in the ledger$/, '执法检查人员名录库快照的 SHA-256 与账本记载一致'],
  [/^seed commitment as in the ledger$/, '种子承诺值与账本记载一致'],
  [/^plan parameters as in the ledger$/, '抽查计划参数与账本记载一致'],
  [/^draw_execute action matches its ledger leaf$/, '抽取操作（draw_execute）与其账本叶子一致'],
  [/^revealed seed as in the ledger$/, '公开的种子与账本记载一致'],
  [/^SHA-256\(seed\) equals the commitment made at planning$/, '种子的 SHA-256 等于制定计划时的承诺值'],
  [/^recorded recusals as in the ledger$/, '记录的回避名单与账本记载一致'],
  [/^recomputed targets and inspectors equal the stored ones$/, '重新抽取的检查对象和检查人员与保存的结果相同'],
  [/^result hash (\w+) as in the ledger$/, '抽取结果的 SHA-256 与账本记载一致'],
  [/^ledger has no draw_plan action for this draw$/, '账本中没有这次抽查的计划操作（draw_plan）'],
  [/^ledger has no draw_execute action for this draw$/, '账本中没有这次抽查的抽取操作（draw_execute）'],
  [/^revealed seed is not 32 bytes of hex$/, '公开的种子不是 32 字节的十六进制数'],
  [/^register snapshots or plan cannot be read$/, '名录库快照或抽查计划无法读取'],
  [/^recomputed draw fails: (.*)$/, '重新抽取失败'],
]

export function verifyLine(text: string, ok: boolean): VerifyRow {
  const hash = /\b[0-9a-f]{64}\b/.exec(text)?.[0] ?? null
  for (const [re, zh] of KNOWN) {
    const m = re.exec(text)
    if (m) {
      const detail = re.source.startsWith('^recomputed draw fails') ? `：${m[1]}` : ''
      return { ok, zh: zh + detail, en: text, hash }
    }
  }
  return { ok, zh: text, en: text, hash }
}

/** The report as rows: each problem (failed), then each check that held. */
export function verifyRows(v: Pick<DrawVerifyAnswer, 'checks' | 'problems'>): VerifyRow[] {
  return [...v.problems.map((p) => verifyLine(p, false)), ...v.checks.map((c) => verifyLine(c, true))]
}
