// 一岗双责 (views/Duties.vue): the API's shapes, the item and assessment forms
// → request bodies (checked before sending), status, deadline and grade labels
// and colours, and the list query. No Vue here so Vitest can test it directly.

export const KINDS = ['业务工作', '党风廉政建设'] as const
export const FREQUENCIES = ['月度', '季度', '半年', '年度'] as const
export const RESULTS = ['好', '较好', '一般', '差'] as const
export const GRADES = ['好', '较好', '一般', '差'] as const
export type Tag = 'primary' | 'success' | 'warning' | 'danger' | 'info'

export interface DutyItem {
  id: number
  year: number
  leader_id: string
  leader_name: string
  org: string
  region_code: string
  post: string
  area: string
  kind: string
  task: string
  assigned_on: string
  due_on: string
  frequency: string
  status: 'open' | 'done' | 'cancelled' | string
  status_reason: string
  evidence: string
  completed_on: string
  cancelled_on: string
  late: boolean
  checks: number
  last_check_on: string
  attachments: number
  created_by: string
  created_at: string
  updated_by: string
  updated_at: string
  overdue: boolean
  days_overdue: number
  working_days_overdue: number
  working_days_left: number | null
  check_status: '' | 'ok' | 'due' | 'overdue' | string
  check_period: string
  check_by: string
  missed_check_periods: number
}

export interface DutyCheck {
  id: number
  item_id: number
  checked_on: string
  checker: string
  result: string
  note: string
  created_by: string
  created_at: string
}

export interface DutyAttachment {
  seq: number
  sha256: string
  name: string
  mime: string
  size: number
  at: string
  author: string
}

export interface DutyDetail extends DutyItem {
  check_list: DutyCheck[]
  attachment_list: DutyAttachment[]
  history: { at: string; actor: string; action: string; details: Record<string, unknown> }[]
}

export interface DutyWarning {
  type: 'overdue' | 'due_soon' | 'check_due' | 'check_overdue' | string
  deadline: string
  period: string
  working_days: number
  days: number
  missed_periods: number
  item: DutyItem
}

export interface DutyTally {
  items: number
  done_on_time: number
  done_late: number
  open: number
  overdue: number
  cancelled: number
  checks_due: number
  checks_held: number
  checks: number
  avg_result: number | null
  score: number | null
  grade: string
}

export interface AssessmentRow {
  leader_id: string
  leader_name: string
  org: string
  region_code: string
  post: string
  business: DutyTally
  integrity: DutyTally
  total: DutyTally
  score: number | null
  grade: string
}

/** The list's filters → the query of GET /api/duties/items (empty ones left out). */
export interface ItemFilters {
  year: number | null
  leader: string
  org: string
  kind: string
  status: string
  overdue: boolean
}

export function emptyFilters(year: number | null = null): ItemFilters {
  return { year, leader: '', org: '', kind: '', status: '', overdue: false }
}

export function itemsQuery(f: ItemFilters, page: number, size: number): Record<string, string | number | undefined> {
  return {
    year: f.year ?? undefined,
    leader: f.leader.trim() || undefined,
    org: f.org.trim() || undefined,
    kind: f.kind || undefined,
    status: f.status || undefined,
    overdue: f.overdue ? 1 : undefined,
    limit: size,
    offset: Math.max(0, (page - 1) * size),
  }
}

/** The state an item shows: done on time / late, cancelled, overdue, open. */
export type ItemState = 'done' | 'late' | 'cancelled' | 'overdue' | 'open'
export function itemState(it: Pick<DutyItem, 'status' | 'late' | 'overdue'>): ItemState {
  if (it.status === 'done') return it.late ? 'late' : 'done'
  if (it.status === 'cancelled') return 'cancelled'
  return it.overdue ? 'overdue' : 'open'
}

export function stateTag(s: ItemState): Tag {
  return { done: 'success', late: 'warning', cancelled: 'info', overdue: 'danger', open: 'primary' }[s] as Tag
}

export function kindTag(kind: string): Tag {
  return kind === '党风廉政建设' ? 'danger' : 'primary'
}

export function gradeTag(grade: string): Tag {
  return ({ 好: 'success', 较好: 'primary', 一般: 'warning', 差: 'danger' } as Record<string, Tag>)[grade] ?? 'info'
}

export function resultTag(result: string): Tag {
  return gradeTag(result)
}

export function warningTag(type: string): Tag {
  return type === 'overdue' || type === 'check_overdue' ? 'danger' : 'warning'
}

export function checkTag(status: string): Tag {
  return status === 'overdue' ? 'danger' : status === 'due' ? 'warning' : 'success'
}

/**
 * The deadline as a message key and its numbers: overdue by N working days,
 * due today, due in N working days, or done / cancelled (no deadline).
 */
export function deadlineLabel(
  it: Pick<DutyItem, 'status' | 'overdue' | 'working_days_overdue' | 'days_overdue' | 'working_days_left'>,
): { key: string; n: number } | null {
  if (it.status !== 'open') return null
  if (it.overdue) return { key: 'duties.overdueBy', n: it.working_days_overdue }
  if (it.working_days_left === null) return null
  if (it.working_days_left === 0) return { key: 'duties.dueToday', n: 0 }
  return { key: 'duties.dueIn', n: it.working_days_left }
}

/** "53.8" or "—". */
export function formatScore(v: number | null | undefined): string {
  return v === null || v === undefined || !Number.isFinite(v) ? '—' : v.toFixed(1)
}

/** "4/7" checks held of due. */
export function checkRatio(t: Pick<DutyTally, 'checks_held' | 'checks_due'>): string {
  return `${t.checks_held}/${t.checks_due}`
}

// ---------------------------------------------------------------------------
// Forms

/** The assignment form: the item's own fields, with the year left open. */
export interface ItemForm extends Pick<DutyItem, 'leader_id' | 'area' | 'kind' | 'task' | 'assigned_on' | 'due_on' | 'frequency'> {
  year: number | null
}

export function emptyItemForm(today: string): ItemForm {
  return { leader_id: '', area: '', kind: '业务工作', task: '', assigned_on: today, due_on: '', frequency: '季度', year: null }
}

const DATE = /^\d{4}-\d{2}-\d{2}$/
const ID18 = /^\d{17}[\dXx]$/

/** GB 11643 check character of an 18-character ID number. */
export function idCheckOk(id: string): boolean {
  if (!ID18.test(id)) return false
  const w = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
  let sum = 0
  for (let i = 0; i < 17; i++) sum += Number(id[i]) * w[i]
  return '10X98765432'[sum % 11] === id[17].toUpperCase()
}

/** Field → message key of the first problems found; empty when the form can be sent. */
export function validateItem(f: ItemForm): Record<string, string> {
  const e: Record<string, string> = {}
  const id = f.leader_id.trim()
  if (!id) e.leader_id = 'duties.errRequired'
  else if (!idCheckOk(id)) e.leader_id = 'duties.errIdNumber'
  if (!f.area.trim()) e.area = 'duties.errRequired'
  if (!f.task.trim()) e.task = 'duties.errRequired'
  if (!(KINDS as readonly string[]).includes(f.kind)) e.kind = 'duties.errRequired'
  if (!(FREQUENCIES as readonly string[]).includes(f.frequency)) e.frequency = 'duties.errRequired'
  if (f.assigned_on && !DATE.test(f.assigned_on)) e.assigned_on = 'duties.errDate'
  if (!f.due_on) e.due_on = 'duties.errRequired'
  else if (!DATE.test(f.due_on)) e.due_on = 'duties.errDate'
  else if (f.assigned_on && f.due_on < f.assigned_on) e.due_on = 'duties.errDueBeforeAssigned'
  return e
}

/** The body of POST /api/duties/items. */
export function itemBody(f: ItemForm): Record<string, string | number> {
  const b: Record<string, string | number> = {
    leader_id: f.leader_id.trim().toUpperCase(),
    area: f.area.trim(),
    kind: f.kind,
    task: f.task.trim(),
    due_on: f.due_on,
    frequency: f.frequency,
  }
  if (f.assigned_on) b.assigned_on = f.assigned_on
  if (f.year) b.year = f.year
  return b
}

export type ActionKind = 'complete' | 'cancel' | 'redate'
export interface ActionForm {
  action: ActionKind
  evidence: string
  completed_on: string
  reason: string
  due_on: string
}

export function emptyActionForm(action: ActionKind, today: string): ActionForm {
  return { action, evidence: '', completed_on: action === 'complete' ? today : '', reason: '', due_on: '' }
}

export function validateAction(f: ActionForm, assignedOn: string): Record<string, string> {
  const e: Record<string, string> = {}
  if (f.action === 'complete') {
    if (!f.evidence.trim()) e.evidence = 'duties.errRequired'
    if (f.completed_on && f.completed_on < assignedOn) e.completed_on = 'duties.errBeforeAssigned'
  } else if (f.action === 'cancel') {
    if (!f.reason.trim()) e.reason = 'duties.errRequired'
  } else {
    if (!f.reason.trim()) e.reason = 'duties.errRequired'
    if (!f.due_on) e.due_on = 'duties.errRequired'
    else if (f.due_on < assignedOn) e.due_on = 'duties.errDueBeforeAssigned'
  }
  return e
}

/** The body of PATCH /api/duties/items/{id}: only what the action uses. */
export function actionBody(f: ActionForm): Record<string, string> {
  if (f.action === 'complete') {
    const b: Record<string, string> = { action: 'complete', evidence: f.evidence.trim() }
    if (f.completed_on) b.completed_on = f.completed_on
    return b
  }
  if (f.action === 'cancel') return { action: 'cancel', reason: f.reason.trim() }
  return { action: 'redate', due_on: f.due_on, reason: f.reason.trim() }
}

export interface CheckForm {
  checked_on: string
  checker: string
  result: string
  note: string
}

export function emptyCheckForm(today: string): CheckForm {
  return { checked_on: today, checker: '', result: '较好', note: '' }
}

export function checkBody(f: CheckForm): Record<string, string> {
  const b: Record<string, string> = { result: f.result }
  if (f.checked_on) b.checked_on = f.checked_on
  if (f.checker.trim()) b.checker = f.checker.trim()
  if (f.note.trim()) b.note = f.note.trim()
  return b
}

/** Warning counts as tab badges, in the order the tab shows them. */
export const WARNING_TYPES = ['overdue', 'check_overdue', 'due_soon', 'check_due'] as const
