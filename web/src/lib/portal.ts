// The public portal's own checks, mirroring the server's (src/leads/reports.cc)
// so a citizen learns what to fix before sending; the server checks again.

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
