// 可信账本: signed checkpoints (C2SP signed notes), the integrity check's
// report, record and consistency proofs, and the action log's filters.
// No Vue here so Vitest can test it directly.

export interface LedgerInfo {
  size: number
  root: string
  checkpoint: string
}

export interface CheckpointRow {
  size: number
  root: string
  created_at: string
  note: string
}

export interface LedgerProblem {
  kind: string
  kind_zh: string
  dataset: string
  key: string
  version: number
  leaf_index: number
  detail: string
  detail_en: string
}

export interface LedgerVerifyResult {
  ok: boolean
  leaves: number
  root: string
  rows_checked: number
  checkpoints_checked: number
  latest_checkpoint_size: number
  problem_count: number
  problems: LedgerProblem[]
}

export interface ProofAnswer {
  proof: Record<string, unknown>
  verified: boolean
  checks: string[]
  checks_en: string[]
}

// ---------------------------------------------------------------------------
// Checkpoints

export interface ParsedNote {
  origin: string
  size: number
  rootHex: string
  /** Extension lines of the body after the root, if any. */
  extensions: string[]
  /** Each signature line "— name base64(keyhash ‖ sig)": the key name and its 4-byte key id in hex. */
  signatures: { name: string; keyId: string }[]
}

const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/'

/** Standard base64 → bytes; null when it is not base64. */
export function base64ToBytes(s: string): Uint8Array | null {
  const t = s.trim()
  if (!t || t.length % 4 || !/^[A-Za-z0-9+/]+={0,2}$/.test(t)) return null
  const pad = t.endsWith('==') ? 2 : t.endsWith('=') ? 1 : 0
  const out = new Uint8Array((t.length / 4) * 3 - pad)
  let o = 0
  for (let i = 0; i < t.length; i += 4) {
    const n = [0, 1, 2, 3].map((j) => (t[i + j] === '=' ? 0 : B64.indexOf(t[i + j])))
    const v = (n[0] << 18) | (n[1] << 12) | (n[2] << 6) | n[3]
    for (const b of [(v >> 16) & 255, (v >> 8) & 255, v & 255]) if (o < out.length) out[o++] = b
  }
  return out
}

export function toHex(b: Uint8Array): string {
  return [...b].map((x) => x.toString(16).padStart(2, '0')).join('')
}

/**
 * A signed checkpoint note: "<origin>\n<size>\n<base64 root>\n[ext…]\n\n— <name> <base64>\n…".
 * Null when it is not one (so the page shows the raw text instead).
 */
export function parseNote(note: string | null | undefined): ParsedNote | null {
  if (!note) return null
  const split = note.indexOf('\n\n')
  if (split < 0) return null
  const body = note.slice(0, split).split('\n')
  if (body.length < 3 || !/^\d+$/.test(body[1])) return null
  const root = base64ToBytes(body[2])
  if (!root || root.length !== 32) return null
  const signatures: ParsedNote['signatures'] = []
  for (const line of note.slice(split + 2).split('\n')) {
    if (!line) continue
    const m = /^\u2014 (\S+) (\S+)$/.exec(line)
    if (!m) return null
    const sig = base64ToBytes(m[2])
    signatures.push({ name: m[1], keyId: sig && sig.length >= 4 ? toHex(sig.slice(0, 4)) : '' })
  }
  return { origin: body[0], size: Number(body[1]), rootHex: toHex(root), extensions: body.slice(3), signatures }
}

/** How many leaves were appended after the latest checkpoint (0 when it covers the log). */
export function checkpointLag(info: LedgerInfo | null): number | null {
  const n = parseNote(info?.checkpoint)
  if (!info || !n) return null
  return Math.max(0, info.size - n.size)
}

// ---------------------------------------------------------------------------
// Integrity check

/** Problems counted by kind (in the report's language), most frequent first. */
export function problemKinds(problems: readonly LedgerProblem[], zh: boolean): [string, number][] {
  const m = new Map<string, number>()
  for (const p of problems) {
    const k = zh ? p.kind_zh || p.kind : p.kind
    m.set(k, (m.get(k) ?? 0) + 1)
  }
  return [...m.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
}

/** Whether some problems were left out of the list (the server lists at most 200). */
export function problemsTruncated(r: Pick<LedgerVerifyResult, 'problem_count' | 'problems'>): boolean {
  return r.problem_count > r.problems.length
}

// ---------------------------------------------------------------------------
// Proofs

export interface CheckLine {
  text: string
  /** The indented lines under it (a record's column = value lines). */
  sub: string[]
}

/** The server's check lines, indented ones ("  column = value") under the line before. */
export function groupChecks(lines: readonly string[]): CheckLine[] {
  const out: CheckLine[] = []
  for (const l of lines) {
    if (/^\s/.test(l) && out.length) out[out.length - 1].sub.push(l.trim())
    else out.push({ text: l.trim(), sub: [] })
  }
  return out
}

export type ProofKind = 'inclusion' | 'consistency' | 'unknown'

export function proofKind(proof: Record<string, unknown> | null | undefined): ProofKind {
  const t = proof?.type
  if (t === 'qingfeng-inclusion-proof-v1') return 'inclusion'
  if (t === 'qingfeng-consistency-proof-v1') return 'consistency'
  return 'unknown'
}

export interface ProofFact {
  /** A key of the ledgerx.fact message group. */
  key: string
  value: string
  mono: boolean
}

function str(v: unknown): string {
  return v === null || v === undefined ? '' : String(v)
}

/** The facts a proof states, in reading order (the path and the notes are shown apart). */
export function proofFacts(proof: Record<string, unknown> | null | undefined): ProofFact[] {
  if (!proof) return []
  const kind = proofKind(proof)
  if (kind === 'inclusion') {
    const r = (proof.record ?? {}) as Record<string, unknown>
    return [
      { key: 'dataset', value: str(r.dataset), mono: false },
      { key: 'key', value: str(r.key), mono: true },
      { key: 'version', value: str(r.version), mono: false },
      { key: 'rowHash', value: str(r.row_sha256), mono: true },
      { key: 'leafIndex', value: str(proof.leaf_index), mono: false },
      { key: 'leafHash', value: str(proof.leaf_hash), mono: true },
      { key: 'treeSize', value: str(proof.tree_size), mono: false },
    ]
  }
  if (kind === 'consistency') {
    return [
      { key: 'oldSize', value: str(proof.old_size), mono: false },
      { key: 'oldRoot', value: str(proof.old_root), mono: true },
      { key: 'newSize', value: str(proof.new_size), mono: false },
      { key: 'newRoot', value: str(proof.new_root), mono: true },
    ]
  }
  return []
}

/** The hashes of the proof's path (audit path, or consistency proof). */
export function proofPath(proof: Record<string, unknown> | null | undefined): string[] {
  const p = proof?.audit_path ?? proof?.proof
  return Array.isArray(p) ? p.map(String) : []
}

/** The signed checkpoint notes a proof carries, labelled. */
export function proofNotes(proof: Record<string, unknown> | null | undefined): { key: string; note: string }[] {
  if (!proof) return []
  return (['checkpoint', 'old_checkpoint', 'new_checkpoint'] as const)
    .filter((k) => typeof proof[k] === 'string' && proof[k])
    .map((k) => ({ key: k, note: proof[k] as string }))
}

/** A safe file name for a downloaded proof. */
export function proofFileName(proof: Record<string, unknown> | null | undefined): string {
  const clean = (s: string) => s.replace(/[^0-9A-Za-z_-]+/g, '_').replace(/^_+|_+$/g, '').slice(0, 60) || 'x'
  if (proofKind(proof) === 'inclusion') {
    const r = (proof?.record ?? {}) as Record<string, unknown>
    return `proof-${clean(str(r.dataset))}-${clean(str(r.key))}.json`
  }
  if (proofKind(proof) === 'consistency') return `consistency-${str(proof?.old_size)}-${str(proof?.new_size)}.json`
  return 'proof.json'
}

/** The text of a downloaded proof: what `qingfeng ledger check-proof FILE` reads. */
export function proofText(proof: Record<string, unknown>): string {
  return JSON.stringify(proof, null, 2) + '\n'
}

/** The consistency form → query; or the first problem [field, zh, en]. */
export function consistencyQuery(
  oldText: string,
  newText: string,
  size: number | null,
): { old: number; new?: number } | [string, string, string] {
  const o = oldText.trim()
  const n = newText.trim()
  if (!/^\d+$/.test(o) || Number(o) < 1) return ['old', '旧规模应为正整数', 'The old size is a positive integer']
  if (n && !/^\d+$/.test(n)) return ['new', '新规模应为整数（留空为当前规模）', 'The new size is an integer (empty: the current size)']
  const ov = Number(o)
  const nv = n ? Number(n) : null
  const top = nv ?? size
  if (top !== null && ov > top) return ['old', '旧规模不能大于新规模', 'The old size cannot exceed the new size']
  if (size !== null && nv !== null && nv > size) {
    return ['new', `新规模不能超过当前规模 ${size}`, `The new size cannot exceed the current size ${size}`]
  }
  return nv === null ? { old: ov } : { old: ov, new: nv }
}

// ---------------------------------------------------------------------------
// The action log

/** The actor filter as the API wants it: a bare user name becomes "user:NAME". */
export function actorQuery(text: string): string | undefined {
  const t = text.trim()
  if (!t) return undefined
  return t.includes(':') ? t : `user:${t}`
}

// Actions outside the lead workflow (lead_* are labelled by the `action` group).
const ACTIONS: Record<string, [string, string]> = {
  login: ['登录', 'Signed in'],
  login_locked: ['登录被锁定', 'Sign-in locked'],
  view_unmasked: ['查看明文个人信息', 'Viewed personal data'],
  export: ['导出', 'Export'],
  export_unmasked: ['导出明文数据', 'Export in clear'],
  data_import: ['数据导入', 'Data import'],
  scan: ['模型扫描', 'Scan'],
  model_add: ['新建模型', 'Model added'],
  model_remove: ['删除模型', 'Model removed'],
  model_settings: ['模型设置', 'Model settings'],
  model_test: ['试运行模型', 'Model test'],
  er_confirm: ['实体匹配确认', 'Entity match decided'],
  report_submit: ['群众举报提交', 'Report submitted'],
  report_status: ['举报办理状态', 'Report status'],
  report_to_lead: ['举报转线索', 'Report to lead'],
  draw_plan: ['制定抽查计划', 'Draw planned'],
  draw_execute: ['执行随机抽取', 'Draw executed'],
  draw_result: ['录入抽查结果', 'Draw result'],
  draw_publish: ['公示抽查结果', 'Draw published'],
  ledger_verify: ['账本完整性校验', 'Ledger verified'],
  user_add: ['新建用户', 'User added'],
  user_update: ['修改用户', 'User changed'],
  user_passwd: ['重设密码', 'Password reset'],
}

/** Known action names for the filter's suggestions. */
export function knownActions(): string[] {
  return Object.keys(ACTIONS)
}

/** An action's label, or null when it is a lead action or unknown (the caller decides). */
export function actionName(action: string, locale: string): string | null {
  const a = ACTIONS[action]
  if (!a) return null
  return locale.startsWith('zh') ? a[0] : a[1]
}

/** An action's details as one line of JSON ('' when empty). */
export function detailsText(d: unknown): string {
  if (d === null || d === undefined) return ''
  const s = JSON.stringify(d)
  return s === '{}' ? '' : s
}
