// Pure formatting helpers: money in fen shown as yuan, Asia/Shanghai dates,
// region and family labels. No Vue here so Vitest can test them directly.

/** 123456789 fen → "1,234,567.89" (integer arithmetic; no float rounding). */
export function formatYuan(fen: number | null | undefined): string {
  if (fen === null || fen === undefined || !Number.isFinite(fen)) return '—'
  const negative = fen < 0
  const abs = Math.abs(Math.trunc(fen))
  const yuan = Math.floor(abs / 100)
  const cents = abs % 100
  const grouped = yuan.toString().replace(/\B(?=(\d{3})+(?!\d))/g, ',')
  return `${negative ? '-' : ''}${grouped}.${cents.toString().padStart(2, '0')}`
}

/** Compact amount for key figures: 万 / 亿 in Chinese, K / M / B in English. */
export function formatYuanCompact(fen: number | null | undefined, locale: string, digits = 2): string {
  if (fen === null || fen === undefined || !Number.isFinite(fen)) return '—'
  const yuan = fen / 100
  const abs = Math.abs(yuan)
  const f = (v: number) => v.toFixed(digits)
  if (locale.startsWith('zh')) {
    if (abs >= 1e8) return `${f(yuan / 1e8)}亿`
    if (abs >= 1e4) return `${f(yuan / 1e4)}万`
    return f(yuan)
  }
  if (abs >= 1e9) return `${f(yuan / 1e9)}B`
  if (abs >= 1e6) return `${f(yuan / 1e6)}M`
  if (abs >= 1e3) return `${f(yuan / 1e3)}K`
  return f(yuan)
}

/** An axis label: compact, one decimal at most, no trailing ".0" (3000万, 1.2亿). */
export function axisYuan(fen: number, locale: string): string {
  return formatYuanCompact(fen, locale, 1).replace(/\.0(?!\d)/, '')
}

/** Parses "1,234.5" / "1234" / "1234.56" yuan typed by a user into fen; null if invalid. */
export function parseYuan(text: string): number | null {
  const t = text.replace(/[,，\s]/g, '')
  if (!/^-?\d+(\.\d{1,2})?$/.test(t)) return null
  const negative = t.startsWith('-')
  const [whole, frac = ''] = t.replace('-', '').split('.')
  const fen = Number(whole) * 100 + Number(frac.padEnd(2, '0'))
  return negative ? -fen : fen
}

const shanghai = new Intl.DateTimeFormat('en-CA', {
  timeZone: 'Asia/Shanghai',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  hourCycle: 'h23',
})

/** A moment as Asia/Shanghai local time, "YYYY-MM-DD HH:MM:SS" (the API's own format). */
export function formatShanghai(d: Date | number): string {
  const parts = Object.fromEntries(
    shanghai.formatToParts(typeof d === 'number' ? new Date(d) : d).map((p) => [p.type, p.value]),
  )
  return `${parts.year}-${parts.month}-${parts.day} ${parts.hour}:${parts.minute}:${parts.second}`
}

/** The API's local times ("2026-11-24 01:59:36", already Asia/Shanghai) shortened to minutes. */
export function shortTime(s: string | null | undefined): string {
  if (!s) return '—'
  return s.length >= 16 ? s.slice(0, 16) : s
}

// GB/T 2260 codes of the demo city and its province; others show the code.
const REGIONS: Record<string, [string, string]> = {
  '210000': ['辽宁省', 'Liaoning'],
  '210900': ['阜新市', 'Fuxin'],
  '210902': ['海州区', 'Haizhou'],
  '210903': ['新邱区', 'Xinqiu'],
  '210904': ['太平区', 'Taiping'],
  '210905': ['清河门区', 'Qinghemen'],
  '210911': ['细河区', 'Xihe'],
  '210921': ['阜新蒙古族自治县', 'Fuxin Mongol County'],
  '210922': ['彰武县', 'Zhangwu'],
}

export function regionName(code: string | null | undefined, locale = 'zh-CN'): string {
  if (!code) return locale.startsWith('zh') ? '未归属' : 'unassigned'
  const r = REGIONS[code]
  if (!r) return code
  return locale.startsWith('zh') ? r[0] : r[1]
}

export function knownRegions(): string[] {
  return Object.keys(REGIONS).filter((c) => c !== '210000')
}

/** Confirmation rate 0..1 (or null when nothing was judged) → "62.5%". */
export function formatRate(rate: number | null | undefined): string {
  if (rate === null || rate === undefined || !Number.isFinite(rate)) return '—'
  return `${(rate * 100).toFixed(1)}%`
}

export function formatCount(n: number | null | undefined): string {
  if (n === null || n === undefined) return '—'
  return n.toLocaleString('en-US')
}

/** Bytes → "1.2 MB". */
export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KB`
  if (n < 1024 * 1024 * 1024) return `${(n / 1024 / 1024).toFixed(1)} MB`
  return `${(n / 1024 / 1024 / 1024).toFixed(2)} GB`
}

/** Element Plus tag type for a deadline state. */
export function deadlineTagType(state: string | undefined): 'success' | 'warning' | 'danger' | 'info' {
  if (state === 'overdue') return 'danger'
  if (state === 'warning') return 'warning'
  if (state === 'ok') return 'success'
  return 'info'
}

/** Element Plus tag types. */
export type TagType = 'primary' | 'success' | 'warning' | 'danger' | 'info'

/** The tag type a table gives a key; the fallback for keys it does not know. */
export function tagOf<T extends TagType, F extends TagType>(table: Record<string, T>, key: string, fallback: F): T | F {
  return Object.prototype.hasOwnProperty.call(table, key) ? table[key] : fallback
}

/** Element Plus tag type for a lead status. */
export function statusTagType(status: string): 'primary' | 'success' | 'warning' | 'danger' | 'info' {
  switch (status) {
    case 'pending':
      return 'danger'
    case 'proposed':
      return 'warning'
    case 'in_progress':
    case 'held':
      return 'primary'
    case 'concluded':
    case 'closed':
      return 'success'
    default:
      return 'info'
  }
}

/** Whether a shown value is masked by the server (2109**********123X, 139****1234, ***). */
export function isMasked(value: string | null | undefined): boolean {
  return !!value && /\*{3,}/.test(value)
}
