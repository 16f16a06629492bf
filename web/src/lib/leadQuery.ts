// The lead list's filters: one state object, kept in the page URL (so a
// filtered list can be bookmarked and Back works) and sent to GET /api/leads.

export interface LeadFilters {
  q: string
  family: string[]
  model: string[]
  status: string[]
  region: string[]
  verdict: string
  deadline: string
  detection: string
  min_score: number | null
  sort: string
  order: string
  page: number
  page_size: number
}

export const SORT_FIELDS = ['score', 'amount', 'created', 'updated', 'id'] as const
const PAGE_SIZES = [10, 20, 50, 100]

export function defaultFilters(): LeadFilters {
  return {
    q: '',
    family: [],
    model: [],
    status: [],
    region: [],
    verdict: '',
    deadline: '',
    detection: '',
    min_score: null,
    sort: 'score',
    order: 'desc',
    page: 1,
    page_size: 20,
  }
}

type Query = Record<string, string | null | (string | null)[] | undefined>

function one(v: Query[string]): string {
  if (Array.isArray(v)) return v[0] ?? ''
  return v ?? ''
}

function list(v: Query[string]): string[] {
  return one(v)
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '')
}

function int(v: Query[string], lo: number, hi: number): number | null {
  const s = one(v)
  if (!/^\d+$/.test(s)) return null
  const n = Number(s)
  return n >= lo && n <= hi ? n : null
}

/** The page URL's query → filters (unknown or malformed values fall back to defaults). */
export function filtersFromQuery(q: Query): LeadFilters {
  const f = defaultFilters()
  f.q = one(q.q).trim()
  f.family = list(q.family)
  f.model = list(q.model)
  f.status = list(q.status)
  f.region = list(q.region).filter((r) => /^\d{6}$/.test(r))
  const verdict = one(q.verdict)
  if (['confirmed', 'dismissed', 'none'].includes(verdict)) f.verdict = verdict
  const deadline = one(q.deadline)
  if (['overdue', 'warning', 'due'].includes(deadline)) f.deadline = deadline
  const detection = one(q.detection)
  if (['active', 'resolved', 'all'].includes(detection)) f.detection = detection
  f.min_score = int(q.min_score, 0, 100)
  const sort = one(q.sort)
  if ((SORT_FIELDS as readonly string[]).includes(sort)) f.sort = sort
  const order = one(q.order)
  if (order === 'asc' || order === 'desc') f.order = order
  f.page = int(q.page, 1, 1_000_000) ?? 1
  const size = int(q.page_size, 1, 500)
  f.page_size = size !== null && PAGE_SIZES.includes(size) ? size : 20
  return f
}

/**
 * Filters → query parameters, leaving out defaults and empty values. The same
 * shape serves the page URL and the API (GET /api/leads, /api/export/leads.xlsx).
 */
export function filtersToQuery(f: LeadFilters): Record<string, string> {
  const d = defaultFilters()
  const out: Record<string, string> = {}
  if (f.q.trim()) out.q = f.q.trim()
  if (f.family.length) out.family = f.family.join(',')
  if (f.model.length) out.model = f.model.join(',')
  if (f.status.length) out.status = f.status.join(',')
  if (f.region.length) out.region = f.region.join(',')
  if (f.verdict) out.verdict = f.verdict
  if (f.deadline) out.deadline = f.deadline
  if (f.detection) out.detection = f.detection
  if (f.min_score !== null && f.min_score > 0) out.min_score = String(f.min_score)
  if (f.sort !== d.sort) out.sort = f.sort
  if (f.order !== d.order) out.order = f.order
  if (f.page !== 1) out.page = String(f.page)
  if (f.page_size !== d.page_size) out.page_size = String(f.page_size)
  return out
}

/** Element Plus table sort event → (sort, order); column props map to API sort fields. */
export function sortFromTable(prop: string | null, order: string | null): { sort: string; order: string } {
  const map: Record<string, string> = {
    score: 'score',
    amount_fen: 'amount',
    created_at: 'created',
    updated_at: 'updated',
    id: 'id',
  }
  if (!prop || !order || !map[prop]) return { sort: 'score', order: 'desc' }
  return { sort: map[prop], order: order === 'ascending' ? 'asc' : 'desc' }
}

/** The table's default-sort for the current filters. */
export function tableSort(f: LeadFilters): { prop: string; order: 'ascending' | 'descending' } {
  const back: Record<string, string> = {
    score: 'score',
    amount: 'amount_fen',
    created: 'created_at',
    updated: 'updated_at',
    id: 'id',
  }
  return { prop: back[f.sort] ?? 'score', order: f.order === 'asc' ? 'ascending' : 'descending' }
}

/** "a=1&b=2" for a fetch URL. */
export function toSearch(params: Record<string, string | number | boolean | undefined | null>): string {
  const s = new URLSearchParams()
  for (const [k, v] of Object.entries(params)) {
    if (v === undefined || v === null || v === '') continue
    s.set(k, String(v))
  }
  const text = s.toString()
  return text ? `?${text}` : ''
}
