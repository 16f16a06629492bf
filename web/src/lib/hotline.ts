// 12345 督查督办 (GET/POST /api/hotline/…): the board's query, the SLA clock
// label and colour, state tags, which actions a user may take, the register
// and action forms → request bodies with the clerk's errors, and the metrics
// as table rows and a ranking chart. No Vue here so Vitest can test it.

export const STATES = ['received', 'dispatched', 'returned', 'handling', 'extended', 'closed', 'visited', 'redo'] as const
export type OrderState = (typeof STATES)[number]
export const CATEGORIES = ['咨询', '求助', '投诉', '举报', '建议'] as const
export const CHANNELS = ['电话', '网站', '微信', '信件', '来访'] as const
export const SATISFACTION = ['满意', '基本满意', '不满意'] as const
export const ACTIONS = ['派单', '签收', '转派', '退单', '延期', '办结', '回访', '重办'] as const
export type OrderActionName = (typeof ACTIONS)[number]

export interface BoardItem {
  id: string
  received_at: string
  channel: string
  category: string
  region_code: string
  assigned_org: string
  org: string
  state: OrderState | string
  state_zh: string
  open: boolean
  limit_days: number
  extension_days: number
  deadline: string | null
  days_left: number | null
  overdue_days: number | null
  overdue: boolean
  due_soon: boolean
  closed_late: boolean
  closed_at: string | null
  satisfaction: string | null
  urged: boolean
  supervised: boolean
  transfers: number
  redos: number
  caller: string | null
}

export interface BoardAnswer {
  as_of: string
  total: number
  page: number
  page_size: number
  open: number
  overdue: number
  due_soon: number
  states: { state: string; zh: string; count: number }[]
  items: BoardItem[]
}

export interface HotlineEvent {
  at: string
  action: string
  from_org: string
  to_org: string
  note: string
}

export interface Notice {
  id: number
  complaint_id: string
  kind: 'urge' | 'supervise' | string
  kind_zh: string
  deadline: string
  as_of: string
  issued_at: string
  issued_by: string
  org: string
  region_code: string
  note: string
}

export interface OrderDetail extends BoardItem {
  content: string
  status: string
  base_deadline: string | null
  caller_orders: number
  events: HotlineEvent[]
  notices: Notice[]
  leads: { id: number; model: string; summary: string; status: string; score: number }[]
  actions: string[]
  as_of?: string
}

export interface DeptMetrics {
  org: string
  received: number
  closed: number
  on_time: number
  overdue_open: number
  rated: number
  satisfied: number
  repeats: number
  dispatched: number
  responded: number
  on_time_rate: number | null
  satisfaction_rate: number | null
  repeat_rate: number | null
  response_rate: number | null
  rank: number | null
}

export interface MetricsAnswer {
  from: string
  to: string
  as_of: string
  repeat_days: number
  min_orders: number
  ranked: number
  departments: DeptMetrics[]
  total: DeptMetrics
}

// ---------------------------------------------------------------------------
// The board

export interface BoardQuery {
  as_of: string
  state: string // '' = all, a state, 'open' or 'done'
  org: string
  region: string
  category: string
  clock: string // '' | 'overdue' | 'due_soon' | 'late'
  q: string
  urged: boolean
  supervised: boolean
  page: number
  page_size: number
}

export function emptyBoardQuery(): BoardQuery {
  return { as_of: '', state: '', org: '', region: '', category: '', clock: '', q: '', urged: false, supervised: false, page: 1, page_size: 20 }
}

/** Only the filters that are set, as GET /api/hotline/board wants them. */
export function boardParams(q: BoardQuery): Record<string, string | number> {
  const out: Record<string, string | number> = { page: q.page, page_size: q.page_size }
  for (const k of ['as_of', 'state', 'org', 'region', 'category', 'clock'] as const) {
    const v = q[k].trim()
    if (v) out[k] = v
  }
  if (q.q.trim()) out.q = q.q.trim()
  if (q.urged) out.urged = 1
  if (q.supervised) out.supervised = 1
  return out
}

export type Tone = 'success' | 'warning' | 'danger' | 'info' | 'primary'

/** The SLA clock of a row: its words and colour. */
export interface ClockLabel {
  key: string // message key under hotline.clock
  n: number | null
  tone: Tone
}

export function clockOf(it: Pick<BoardItem, 'open' | 'deadline' | 'days_left' | 'overdue' | 'overdue_days' | 'closed_late'>): ClockLabel {
  if (!it.deadline) return { key: 'unknown', n: null, tone: 'info' }
  if (it.open) {
    if (it.overdue) return { key: 'overdue', n: it.overdue_days ?? 0, tone: 'danger' }
    const left = it.days_left ?? 0
    if (left === 0) return { key: 'dueToday', n: 0, tone: 'danger' }
    if (left <= 1) return { key: 'left', n: left, tone: 'warning' }
    if (left <= 3) return { key: 'left', n: left, tone: 'primary' }
    return { key: 'left', n: left, tone: 'success' }
  }
  if (it.closed_late) return { key: 'closedLate', n: it.overdue_days ?? 0, tone: 'warning' }
  return { key: 'closedOnTime', n: null, tone: 'success' }
}

export function stateTag(state: string): Tone {
  switch (state) {
    case 'received':
    case 'returned':
      return 'warning'
    case 'dispatched':
    case 'handling':
      return 'primary'
    case 'extended':
    case 'redo':
      return 'danger'
    case 'closed':
    case 'visited':
      return 'success'
    default:
      return 'info'
  }
}

/** Actions the order allows (from the server) that this user may take. */
export function actionsFor(allowed: string[], rights: string[]): string[] {
  if (!rights.includes('process')) return []
  return ACTIONS.filter((a) => allowed.includes(a))
}

/** Which notices a user may issue by hand on an order. */
export function noticeKindsFor(open: boolean, rights: string[]): ('urge' | 'supervise')[] {
  if (!open) return []
  const out: ('urge' | 'supervise')[] = []
  if (rights.includes('process') || rights.includes('approve')) out.push('urge')
  if (rights.includes('approve')) out.push('supervise')
  return out
}

// ---------------------------------------------------------------------------
// Forms

/** A clerk's mistake: the field, the Chinese and the English message. */
export type FormProblem = [field: string, zh: string, en: string]

const DATETIME = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}(:\d{2})?$/

export interface RegisterForm {
  received_at: string
  channel: string
  category: string
  region_code: string
  content: string
  caller_hash: string
  assigned_org: string
}

export function emptyRegisterForm(): RegisterForm {
  return { received_at: '', channel: '电话', category: '', region_code: '', content: '', caller_hash: '', assigned_org: '' }
}

export function validateRegister(f: RegisterForm): FormProblem | null {
  if (f.received_at.trim() && !DATETIME.test(f.received_at.trim()))
    return ['received_at', '受理时间格式应为 YYYY-MM-DD HH:MM', 'received_at must be YYYY-MM-DD HH:MM']
  if (!(CATEGORIES as readonly string[]).includes(f.category)) return ['category', '请选择诉求类别', 'choose a category']
  if (!/^\d{6}$/.test(f.region_code.trim())) return ['region_code', '行政区划代码应为6位数字', 'region code must be 6 digits']
  if (!f.content.trim()) return ['content', '请填写诉求内容', 'content is required']
  const h = f.caller_hash.trim()
  if (h && (!/^[0-9a-fA-F]{8,64}$/.test(h) || /^\d+$/.test(h)))
    return ['caller_hash', '来电人标识应为热线系统给出的十六进制标识，不得填写电话号码', 'caller id must be the hotline system’s hex identifier, never a phone number']
  return null
}

export function registerBody(f: RegisterForm): Record<string, string> {
  const out: Record<string, string> = {}
  for (const [k, v] of Object.entries(f)) {
    const t = v.trim()
    if (t) out[k] = t
  }
  return out
}

export interface ActionForm {
  action: string
  at: string
  to_org: string
  note: string
  days: number
  approved: boolean
  approval: string
  satisfaction: string
}

export function emptyActionForm(action = ''): ActionForm {
  return { action, at: '', to_org: '', note: '', days: 5, approved: true, approval: '', satisfaction: '' }
}

/** Which fields an action's form shows. */
export function actionFields(action: string): { toOrg: boolean; note: 'required' | 'optional'; extension: boolean; satisfaction: boolean } {
  return {
    toOrg: action === '派单' || action === '转派',
    note: action === '办结' || action === '退单' || action === '重办' ? 'required' : 'optional',
    extension: action === '延期',
    satisfaction: action === '回访',
  }
}

export function validateAction(f: ActionForm): FormProblem | null {
  if (!(ACTIONS as readonly string[]).includes(f.action)) return ['action', '请选择操作', 'choose an action']
  if (f.at.trim() && !DATETIME.test(f.at.trim())) return ['at', '操作时间格式应为 YYYY-MM-DD HH:MM', 'at must be YYYY-MM-DD HH:MM']
  const fields = actionFields(f.action)
  if (fields.toOrg && !f.to_org.trim()) return ['to_org', '请填写目标单位', 'the target organisation is required']
  if (fields.note === 'required' && !f.note.trim()) {
    return f.action === '办结'
      ? ['note', '请填写办理结果', 'the result is required']
      : ['note', '请说明理由', 'the reason is required']
  }
  if (fields.extension) {
    if (!Number.isInteger(f.days) || f.days < 1) return ['days', '延期天数应为正整数（工作日）', 'days must be a positive number of working days']
    if (f.approved && !f.approval.trim()) return ['approval', '批准延期须填写审批意见', 'an approved extension needs the approval']
  }
  if (fields.satisfaction && !(SATISFACTION as readonly string[]).includes(f.satisfaction))
    return ['satisfaction', '请选择满意度', 'choose the satisfaction']
  return null
}

export function actionBody(f: ActionForm): Record<string, string | number | boolean> {
  const fields = actionFields(f.action)
  const out: Record<string, string | number | boolean> = { action: f.action }
  if (f.at.trim()) out.at = f.at.trim()
  if (fields.toOrg) out.to_org = f.to_org.trim()
  if (f.note.trim()) out.note = f.note.trim()
  if (fields.extension) {
    out.days = f.days
    out.approved = f.approved
    if (f.approved) out.approval = f.approval.trim()
  }
  if (fields.satisfaction) out.satisfaction = f.satisfaction
  return out
}

// ---------------------------------------------------------------------------
// Metrics

/** 0.8333 → "83.3%"; null → "—". */
export function percent(r: number | null | undefined): string {
  if (r === null || r === undefined || !Number.isFinite(r)) return '—'
  return `${(r * 100).toFixed(1)}%`
}

/** "2024-03-31" → "2024-03". */
export function monthOf(day: string): string {
  return /^\d{4}-\d{2}/.test(day) ? day.slice(0, 7) : ''
}

/** The previous or next month of "YYYY-MM". */
export function shiftMonth(month: string, by: number): string {
  const [y, m] = month.split('-').map(Number)
  const idx = y * 12 + (m - 1) + by
  return `${Math.floor(idx / 12)}-${String((idx % 12) + 1).padStart(2, '0')}`
}

/** A rate with its counts, so 2/2 is never read as 200/200: "100.0% (2/2)". */
export function rateWithCounts(rate: number | null, num: number, den: number): string {
  return den > 0 ? `${percent(rate)} (${num}/${den})` : '—'
}

/** The ranking chart: ranked departments by on-time rate, best on top. */
export function rankingOption(m: MetricsAnswer, labels: { onTime: string; satisfaction: string }): Record<string, unknown> {
  const ranked = m.departments.filter((d) => d.rank !== null).slice(0, 20).reverse()
  const pct = (r: number | null) => (r === null ? null : Math.round(r * 1000) / 10)
  return {
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
    legend: { data: [labels.onTime, labels.satisfaction], top: 0 },
    grid: { left: 8, right: 24, top: 28, bottom: 8, containLabel: true },
    xAxis: { type: 'value', max: 100, axisLabel: { formatter: '{value}%' } },
    yAxis: { type: 'category', data: ranked.map((d) => `${d.rank}. ${d.org}`) },
    series: [
      { name: labels.onTime, type: 'bar', data: ranked.map((d) => pct(d.on_time_rate)) },
      { name: labels.satisfaction, type: 'bar', data: ranked.map((d) => pct(d.satisfaction_rate)) },
    ],
  }
}
