// 执法公示 page (views/Enforcement.vue): the shapes of /api/enforcement, the
// colours and labels of publication states, the request bodies of the forms
// (register, close, publish) with their checks, and the media upload. Pure
// functions except uploadMedia, so Vitest can test them directly.
import { csrf, toApiError } from './api'
import { toSearch } from './leadQuery'
import { parseYuan } from './format'

export type PubState = 'not_due' | 'due' | 'overdue' | 'on_time' | 'late'
export const PUB_STATES: PubState[] = ['due', 'overdue', 'on_time', 'late', 'not_due']
export const KINDS = ['检查', '处罚', '许可', '强制'] as const
export const SOURCES = ['双随机', '投诉举报', '专项', '其他'] as const

export interface EnforcementCase {
  case_id: string
  org: string
  kind: string
  target_party: string
  target_is_person: boolean
  target_name: string | null
  inspectors: string[]
  started_at: string
  closed_at: string | null
  result: string | null
  penalty_fen: number | null
  has_av_record: boolean | null
  published_at: string | null
  source: string | null
  state: PubState
  state_zh: string
  deadline: string | null
  days_left: number
  days_late: number
  media_count: number
  av_media: number
  missing_av: boolean
}

export interface EnforcementBoard {
  as_of: string
  total: number
  by_state: Record<PubState, number>
  by_kind: Record<string, number>
  missing_av: number
  overdue: EnforcementCase[]
  due_soon: EnforcementCase[]
  missing: EnforcementCase[]
}

export interface BoardAnswer {
  as_of: string
  params: { decision_working_days: number; inspection_working_days: number }
  board: EnforcementBoard
  orgs: string[]
  items: EnforcementCase[]
  total: number
  page: number
  page_size: number
}

export interface MediaFile {
  id: number
  sha256: string
  size: number
  file_name: string
  mime: string
  klass: 'video' | 'audio' | 'photo' | 'document'
  recorded_at: string | null
  uploaded_by: string
  uploaded_at: string
  existed?: boolean
}

export interface Publication {
  id: number
  decision_no: string
  result: string
  penalty_fen: number
  public_text: string
  published_at: string
  supersedes: number | null
  superseded_by: number | null
  reason: string | null
  published_by: string
}

export interface CaseDetail {
  as_of: string
  case: EnforcementCase
  media: MediaFile[]
  publications: Publication[]
}

/** Element Plus tag type: overdue red, late orange, due blue (orange in its last 2 days), on time green. */
export function stateTag(c: Pick<EnforcementCase, 'state' | 'days_left'>): 'success' | 'warning' | 'danger' | 'info' | 'primary' {
  switch (c.state) {
    case 'overdue':
      return 'danger'
    case 'late':
      return 'warning'
    case 'due':
      return c.days_left <= 2 ? 'warning' : 'primary'
    case 'on_time':
      return 'success'
    default:
      return 'info'
  }
}

/** The message key and count that qualify a state ("剩 3 个工作日", "超 2 个工作日"); null when none. */
export function stateDetail(c: Pick<EnforcementCase, 'state' | 'days_left' | 'days_late'>): { key: string; n: number } | null {
  if (c.state === 'due') return { key: 'enforcement.daysLeft', n: c.days_left }
  if ((c.state === 'overdue' || c.state === 'late') && c.days_late > 0) return { key: 'enforcement.daysLate', n: c.days_late }
  return null
}

/** The board's figures in display order, with the missing-record count last. */
export function boardFigures(b: EnforcementBoard | null): { key: string; value: number; tag: string }[] {
  if (!b) return []
  const out = PUB_STATES.map((s) => ({
    key: s as string,
    value: b.by_state[s] ?? 0,
    tag: s === 'not_due' ? 'info' : stateTag({ state: s, days_left: 99 }),
  }))
  out.push({ key: 'missing_av', value: b.missing_av, tag: 'danger' })
  return out
}

export interface ListFilters {
  kind: string
  state: string
  org: string
  year: number | undefined
  q: string
  as_of: string
}

export function emptyFilters(): ListFilters {
  return { kind: '', state: '', org: '', year: undefined, q: '', as_of: '' }
}

/** The query of GET /api/enforcement: empty filters left out. */
export function listQuery(f: ListFilters, page: number, pageSize: number, unmask = false): Record<string, string | number> {
  const q: Record<string, string | number> = { page, page_size: pageSize }
  if (f.kind) q.kind = f.kind
  if (f.state) q.state = f.state
  if (f.org) q.org = f.org
  if (f.year) q.year = f.year
  if (f.q.trim()) q.q = f.q.trim()
  if (f.as_of) q.as_of = f.as_of
  if (unmask) q.unmask = 1
  return q
}

/** A problem with a form: [field, Chinese, English]. */
export type Problem = [string, string, string]

const DATETIME = /^\d{4}-\d{2}-\d{2}( \d{1,2}:\d{2}(:\d{2})?)?$/

/** "2024-09-27T08:00" or "2024-09-27 8:00" → "2024-09-27 8:00"; the server checks the rest. */
export function normDateTime(s: string): string {
  return s.trim().replace('T', ' ')
}

/** ID numbers typed with ; ； , ， or spaces between them. */
export function splitIds(text: string): string[] {
  return text
    .split(/[;；,，\s]+/)
    .map((s) => s.trim().toUpperCase())
    .filter((s) => s.length > 0)
}

export interface RegisterForm {
  case_id: string
  org: string
  target_party: string
  inspectors: string
  kind: string
  started_at: string
  source: string
  has_av_record: '' | 'yes' | 'no'
}

export function emptyRegisterForm(): RegisterForm {
  return { case_id: '', org: '', target_party: '', inspectors: '', kind: '处罚', started_at: '', source: '', has_av_record: '' }
}

export function validateRegister(f: RegisterForm): Problem | null {
  if (!f.case_id.trim()) return ['case_id', '请填写执法案件编号', 'enter the case id']
  if (/[/\\;]/.test(f.case_id)) return ['case_id', '案件编号不能含 / \\ ;', 'the case id may not contain / \\ ;']
  if (!f.org.trim()) return ['org', '请填写执法单位', 'enter the organisation']
  if (!f.target_party.trim()) return ['target_party', '请填写检查对象的身份证号或统一社会信用代码', 'enter the target’s ID number or credit code']
  if (!KINDS.includes(f.kind as (typeof KINDS)[number])) return ['kind', '请选择执法类别', 'choose the kind']
  if (!DATETIME.test(normDateTime(f.started_at))) return ['started_at', '开始时间格式应为 YYYY-MM-DD HH:MM', 'start time must be YYYY-MM-DD HH:MM']
  const ids = splitIds(f.inspectors)
  if (f.kind !== '许可' && ids.length < 2) return ['inspector_id_numbers', '执法人员不得少于两人', 'at least two inspectors are required']
  if (new Set(ids).size !== ids.length) return ['inspector_id_numbers', '执法人员重复', 'an inspector is listed twice']
  return null
}

export function registerBody(f: RegisterForm): Record<string, unknown> {
  const body: Record<string, unknown> = {
    case_id: f.case_id.trim(),
    org: f.org.trim(),
    target_party: f.target_party.trim().toUpperCase(),
    inspector_id_numbers: splitIds(f.inspectors),
    kind: f.kind,
    started_at: normDateTime(f.started_at),
  }
  if (f.source) body.source = f.source
  if (f.has_av_record) body.has_av_record = f.has_av_record === 'yes'
  return body
}

export interface CloseForm {
  closed_at: string
  result: string
  penalty: string // yuan
  has_av_record: '' | 'yes' | 'no'
}

export function validateClose(f: CloseForm, kind: string): Problem | null {
  if (!DATETIME.test(normDateTime(f.closed_at))) return ['closed_at', '结束时间格式应为 YYYY-MM-DD HH:MM', 'closing time must be YYYY-MM-DD HH:MM']
  if (!f.result.trim()) return ['result', '请填写处理结果', 'enter the result']
  if (f.penalty.trim()) {
    const fen = parseYuan(f.penalty)
    if (fen === null || fen < 0) return ['penalty_fen', '罚没金额应为不小于 0 的金额（元，最多两位小数）', 'the penalty must be an amount in yuan ≥ 0']
    if (fen > 0 && kind !== '处罚') return ['penalty_fen', '只有行政处罚案件可填写罚没金额', 'only a 处罚 case has a penalty']
  }
  return null
}

export function closeBody(f: CloseForm): Record<string, unknown> {
  const body: Record<string, unknown> = { closed_at: normDateTime(f.closed_at), result: f.result.trim() }
  if (f.penalty.trim()) body.penalty_fen = parseYuan(f.penalty)
  if (f.has_av_record) body.has_av_record = f.has_av_record === 'yes'
  return body
}

export interface PublishForm {
  decision_no: string
  result: string
  penalty: string // yuan; '' keeps the case's
  published_at: string // '' = now
  reason: string
}

/** Decisions of these kinds carry a document number (决定书文号). */
export function needsDecisionNo(kind: string): boolean {
  return kind === '处罚' || kind === '许可'
}

/** Publishing a case that is published already is a correction (a reason is required). */
export function isCorrection(d: Pick<CaseDetail, 'case' | 'publications'>): boolean {
  return d.publications.length > 0 || !!d.case.published_at
}

export function publishFormOf(d: CaseDetail): PublishForm {
  const last = d.publications.find((p) => !p.superseded_by)
  const fen = last ? last.penalty_fen : d.case.penalty_fen
  return {
    decision_no: last?.decision_no ?? '',
    result: last?.result ?? d.case.result ?? '',
    penalty: fen ? (fen / 100).toFixed(2) : '',
    published_at: '',
    reason: '',
  }
}

export function validatePublish(f: PublishForm, d: Pick<CaseDetail, 'case' | 'publications'>): Problem | null {
  if (!d.case.closed_at) return ['', '案件尚未结案，不能公示', 'the case is not closed']
  if (needsDecisionNo(d.case.kind) && !f.decision_no.trim()) return ['decision_no', '请填写决定书文号', 'enter the decision’s document number']
  if (!f.result.trim()) return ['result', '请填写公示的处理结果', 'enter the result to publish']
  if (f.penalty.trim() && (parseYuan(f.penalty) ?? -1) < 0) return ['penalty_fen', '罚没金额格式不正确', 'the penalty is not an amount']
  if (f.published_at.trim() && !DATETIME.test(normDateTime(f.published_at))) return ['published_at', '公示时间格式应为 YYYY-MM-DD HH:MM', 'publication time must be YYYY-MM-DD HH:MM']
  if (isCorrection(d) && !f.reason.trim()) return ['reason', '已公示的案件只能更正，请填写更正理由', 'the case is published; a correction needs a reason']
  return null
}

export function publishBody(f: PublishForm): Record<string, unknown> {
  const body: Record<string, unknown> = { result: f.result.trim() }
  if (f.decision_no.trim()) body.decision_no = f.decision_no.trim()
  if (f.penalty.trim()) body.penalty_fen = parseYuan(f.penalty)
  if (f.published_at.trim()) body.published_at = normDateTime(f.published_at)
  if (f.reason.trim()) body.reason = f.reason.trim()
  return body
}

// ---------------------------------------------------------------------------
// Media

export const MEDIA_EXTENSIONS = ['mp4', 'mov', 'avi', 'mkv', 'mp3', 'wav', 'm4a', 'jpg', 'jpeg', 'png', 'pdf']
export const MEDIA_ACCEPT = MEDIA_EXTENSIONS.map((e) => '.' + e).join(',')

/** A problem with a chosen file before it is sent (the server checks the bytes). */
export function checkMediaFile(name: string, size: number, limit: number): Problem | null {
  const ext = name.includes('.') ? name.slice(name.lastIndexOf('.') + 1).toLowerCase() : ''
  if (!MEDIA_EXTENSIONS.includes(ext)) {
    return ['file', '不支持的文件类型：全过程记录只接受音视频（mp4、mov、avi、mkv、mp3、wav、m4a）、照片（jpg、png）和 PDF', 'unsupported file type: audio/video (mp4, mov, avi, mkv, mp3, wav, m4a), photos (jpg, png) and PDF only']
  }
  if (size <= 0) return ['file', '文件内容为空', 'the file is empty']
  if (limit > 0 && size > limit) return ['file', '文件超过上传大小上限', 'the file is larger than the upload limit']
  return null
}

export function klassTag(k: string): 'primary' | 'success' | 'warning' | 'info' {
  if (k === 'video') return 'primary'
  if (k === 'audio') return 'success'
  if (k === 'photo') return 'warning'
  return 'info'
}

const enc = encodeURIComponent

export function caseUrl(caseId: string): string {
  return `/api/enforcement/${enc(caseId)}`
}

export function mediaUrl(caseId: string, sha: string): string {
  return `${caseUrl(caseId)}/media/${sha}`
}

export function uploadUrl(caseId: string, name: string, recordedAt: string): string {
  const q: Record<string, string> = { name }
  if (recordedAt.trim()) q.recorded_at = normDateTime(recordedAt)
  return `${caseUrl(caseId)}/media` + toSearch(q)
}

/** Sends the file as the raw body with progress (0..100); resolves with the kept file. */
export function uploadMedia(caseId: string, file: File, recordedAt: string, onProgress: (pct: number) => void): Promise<MediaFile> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest()
    xhr.open('POST', uploadUrl(caseId, file.name, recordedAt))
    xhr.setRequestHeader('Content-Type', file.type || 'application/octet-stream')
    xhr.setRequestHeader('Accept', 'application/json')
    if (csrf()) xhr.setRequestHeader('X-CSRF-Token', csrf())
    xhr.upload.onprogress = (e) => {
      if (e.lengthComputable) onProgress(Math.round((e.loaded / e.total) * 100))
    }
    xhr.onload = async () => {
      const res = new Response(xhr.responseText, {
        status: xhr.status,
        headers: { 'Content-Type': xhr.getResponseHeader('Content-Type') ?? 'application/json' },
      })
      if (xhr.status >= 200 && xhr.status < 300) resolve((await res.json()) as MediaFile)
      else reject(await toApiError(res))
    }
    xhr.onerror = () => reject(new Error('network error'))
    xhr.send(file)
  })
}

/** "3f9a…c21b": a SHA-256 shortened for a table cell. */
export function shortSha(sha: string): string {
  return sha.length > 12 ? `${sha.slice(0, 6)}…${sha.slice(-4)}` : sha
}

/** The current publication (not superseded), or null. */
export function currentPublication(pubs: Publication[]): Publication | null {
  return pubs.find((p) => !p.superseded_by) ?? null
}
