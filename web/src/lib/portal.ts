// The public portal's own checks, mirroring the server's (src/leads/reports.cc)
// so a citizen learns what to fix before sending; the server checks again.
import { formatYuan } from './format'

export interface ReportForm {
  kind: 'complaint' | 'report'
  category: string
  region_code: string
  target: string
  content: string
  anonymous: boolean
  contact_name: string
  contact_phone: string
}

export const MAX_CONTENT_CHARS = 5000
export const MAX_ATTACHMENTS = 5
export const MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024

/** Characters as the server counts them (code points, not UTF-16 units). */
export function charCount(s: string): number {
  return [...s].length
}

/** The first problem with the form as [field, zh, en], or null. */
export function validateReport(f: ReportForm): [string, string, string] | null {
  if (!f.content.trim()) return ['content', '请填写具体内容', 'Please describe what happened']
  if (charCount(f.content) > MAX_CONTENT_CHARS) {
    return ['content', `内容超过 ${MAX_CONTENT_CHARS} 字`, `At most ${MAX_CONTENT_CHARS} characters`]
  }
  if (charCount(f.target) > 500) return ['target', '被反映对象超过 500 字', 'At most 500 characters']
  if (f.region_code && !/^\d{6}$/.test(f.region_code)) {
    return ['region_code', '行政区划代码应为 6 位数字', 'The region code has 6 digits']
  }
  if (!f.anonymous) {
    if (!f.contact_name.trim() && !f.contact_phone.trim()) {
      return ['contact_phone', '实名提交请留下姓名或联系电话', 'Leave a name or a phone number, or submit anonymously']
    }
    if (f.contact_phone && !/^[\d\s()+-]{5,30}$/.test(f.contact_phone.trim())) {
      return ['contact_phone', '联系电话格式不正确', 'The phone number does not look right']
    }
  }
  return null
}

/** The request body for POST /api/public/reports: an anonymous report carries no contact. */
export function reportBody(
  f: ReportForm,
  attachments: { name: string; mime: string; data: string }[] = [],
): Record<string, unknown> {
  const body: Record<string, unknown> = { kind: f.kind, content: f.content.trim(), anonymous: f.anonymous }
  if (f.category) body.category = f.category
  if (f.region_code) body.region_code = f.region_code
  if (f.target.trim()) body.target = f.target.trim()
  if (!f.anonymous) {
    if (f.contact_name.trim()) body.contact_name = f.contact_name.trim()
    if (f.contact_phone.trim()) body.contact_phone = f.contact_phone.trim()
  }
  if (attachments.length) body.attachments = attachments
  return body
}

/** A receipt code as typed: spaces dropped, letters upper-cased. */
export function normalizeReceipt(s: string): string {
  return s.replace(/\s+/g, '').toUpperCase()
}

/** Bytes → base64 without building a huge argument list (files up to 10 MB). */
export function toBase64(bytes: Uint8Array): string {
  let bin = ''
  const chunk = 0x8000
  for (let i = 0; i < bytes.length; i += chunk) {
    bin += String.fromCharCode(...bytes.subarray(i, i + chunk))
  }
  return btoa(bin)
}

// ---------------------------------------------------------------------------
// 公示信息: published inspection results (GET /api/public/inspections) and
// enforcement decisions (GET /api/public/enforcement).

export interface PublicInspection {
  draw: number
  item: string
  org: string
  published_at: string
  credit_code: string
  name: string
  result: string | null
  result_date: string | null
  penalty_fen: number
  /** Inspectors' names as surname + 某. */
  inspectors: string[]
}

export interface PublicEnforcement {
  case_id: string
  org: string
  kind: string
  target_name: string
  target_code: string
  result: string
  penalty_fen: number | null
  decided_on: string
  published_at: string
}

/** The enforcement case kinds as the data holds them, with their message keys (portalx.kinds.*). */
export const ENFORCEMENT_KINDS: readonly { value: string; key: string }[] = [
  { value: '处罚', key: 'penalty' },
  { value: '强制', key: 'coercion' },
  { value: '检查', key: 'inspection' },
  { value: '许可', key: 'licence' },
]

/** The message key of a kind, also when it comes spelt out ("行政处罚"); null for another kind. */
export function enforcementKindKey(kind: string | null | undefined): string | null {
  if (!kind) return null
  return ENFORCEMENT_KINDS.find((k) => kind === k.value || kind === `行政${k.value}`)?.key ?? null
}

/** A penalty in fen as yuan; none (null or 0) as a dash. */
export function penaltyYuan(fen: number | null | undefined): string {
  if (fen === null || fen === undefined || fen === 0 || !Number.isFinite(fen)) return '—'
  return formatYuan(fen)
}

/** Inspections with `q` in the company's name or code, the item or the organisation. */
export function filterInspections(items: readonly PublicInspection[], q: string): PublicInspection[] {
  const n = q.trim().toLowerCase()
  if (!n) return [...items]
  return items.filter((i) => [i.name, i.credit_code, i.item, i.org].some((s) => (s ?? '').toLowerCase().includes(n)))
}

/** The inspections API gives no total: a full page means there may be more. */
export function hasMorePages(received: number, pageSize: number): boolean {
  return received >= pageSize
}

export interface EnforcementFilter {
  q: string
  org: string
  kind: string
  year: string
  page: number
  page_size: number
}

/** The query of GET /api/public/enforcement: empty filters left out; a year only when it is one. */
export function enforcementQuery(f: EnforcementFilter): Record<string, string | number> {
  const out: Record<string, string | number> = { page: Math.max(1, Math.floor(f.page)), page_size: f.page_size }
  if (f.q.trim()) out.q = f.q.trim()
  if (f.org.trim()) out.org = f.org.trim()
  if (f.kind) out.kind = f.kind
  if (/^\d{4}$/.test(f.year.trim())) out.year = f.year.trim()
  return out
}

/** The last `n` years, newest first, for the year filter. */
export function recentYears(now: Date, n = 6): string[] {
  const y = now.getFullYear()
  return Array.from({ length: n }, (_, i) => String(y - i))
}

/**
 * Whether a failed public list should show as empty rather than as an error:
 * a 404 (the list is not there yet on this server) is no error to a citizen.
 */
export function emptyOnError(status: number): boolean {
  return status === 404
}
