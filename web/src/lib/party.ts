// 三会一课 page (views/Party.vue): the shapes of /api/party/*, the compliance
// grid (requirement rows × 12 months, quarterly and yearly cells spanning
// their months), status colours, and the forms' request bodies with their
// checks. Pure functions, so Vitest can test them directly.

import { tagOf, type TagType } from './format'

export type CellStatus = 'met' | 'missed' | 'at_risk' | 'open' | 'future' | 'not_due'
export const CELL_STATUSES: CellStatus[] = ['met', 'missed', 'at_risk', 'open', 'future', 'not_due']
export const KINDS = ['支部党员大会', '支部委员会', '党小组会', '党课', '主题党日', '组织生活会'] as const
export type Period = 'month' | 'quarter' | 'year'

export interface Branch {
  branch_id: string
  name: string
  org: string
  region_code: string
  secretary: string
  members: number
  voting_members: number
  set_up_on: string
  status: 'active' | 'dissolved'
  dissolved_on: string
  registered: boolean
  meetings: number
  first_meeting: string
  last_meeting: string
  updated_by: string
  updated_at: string
}

export interface CalendarMeeting {
  meeting_id: string
  held_on: string
  topic: string
  attendees: number | null
  expected: number | null
  counted: boolean
  no_quorum: boolean
}

export interface CalendarCell {
  index: number
  label: string
  start: string
  end: string
  first_month: number
  last_month: number
  required: number
  held: number
  status: CellStatus
  status_zh: string
  working_days_left: number | null
  meetings: CalendarMeeting[]
}

export interface CalendarRow {
  kind: string
  period: Period
  per_period: number
  per_year: number
  cells: CalendarCell[]
}

export interface Calendar {
  branch: Branch
  year: number
  as_of: string
  warn_working_days: number
  due: number
  met: number
  missed: number
  at_risk: number
  no_quorum: number
  rows: CalendarRow[]
}

export interface Meeting {
  meeting_id: string
  branch_id: string
  branch_name: string
  kind: string
  held_on: string
  attendees: number | null
  expected: number | null
  topic: string
  minutes_text?: string
}

export interface PartyWarning {
  branch_id: string
  branch_name: string
  org: string
  region_code: string
  registered: boolean
  kind: string
  period: Period
  label: string
  start: string
  end: string
  status: 'missed' | 'at_risk'
  status_zh: string
  required: number
  held: number
  no_quorum: number
  working_days_left: number | null
}

export interface OrgSummary {
  org: string
  branches: number
  due: number
  met: number
  missed: number
  at_risk: number
  no_quorum: number
  rate: number
}

// ---------------------------------------------------------------------------
// The grid

/** One cell of the grid as drawn: `span` columns (1, 3 or 12) from `col` (0–11). */
export interface GridCell {
  col: number
  span: number
  cell: CalendarCell
}
export interface GridRow {
  kind: string
  period: Period
  perPeriod: number
  cells: GridCell[]
}

/** Rows × months: a monthly requirement gives 12 cells, quarterly 4 of span 3, yearly 1 of 12. */
export function buildGrid(cal: Calendar | null): GridRow[] {
  if (!cal) return []
  return cal.rows.map((r) => ({
    kind: r.kind,
    period: r.period,
    perPeriod: r.per_period,
    cells: [...r.cells]
      .sort((a, b) => a.first_month - b.first_month)
      .map((c) => ({ col: c.first_month - 1, span: c.last_month - c.first_month + 1, cell: c })),
  }))
}

/** Background and text colours of a status (the legend uses the same). */
export function statusColor(s: CellStatus): { bg: string; fg: string } {
  switch (s) {
    case 'met':
      return { bg: '#e1f3d8', fg: '#2f7d12' }
    case 'missed':
      return { bg: '#fde2e2', fg: '#c45656' }
    case 'at_risk':
      return { bg: '#faecd8', fg: '#b26a00' }
    case 'open':
      return { bg: '#d9ecff', fg: '#337ecc' }
    case 'future':
      return { bg: '#f4f4f5', fg: '#909399' }
    default:
      return { bg: '#ffffff', fg: '#c0c4cc' }
  }
}

const STATUS_TAGS: Record<string, TagType> = { met: 'success', missed: 'danger', at_risk: 'warning', open: 'primary' }
export function statusTag(s: string): TagType {
  return tagOf(STATUS_TAGS, s, 'info')
}

/** "2/1" style count shown in a cell: meetings counted over meetings required. */
export function cellCount(c: CalendarCell): string {
  return c.status === 'not_due' || c.status === 'future' ? '' : `${c.held}/${c.required}`
}

/** Whether a cell holds an assembly without a quorum (shown with a mark). */
export function hasNoQuorum(c: CalendarCell): boolean {
  return c.meetings.some((m) => m.no_quorum)
}

/** Met over due as a percentage with one decimal; "—" when nothing is due. */
export function rateText(met: number, due: number): string {
  if (!due) return '—'
  return `${(Math.round((met / due) * 1000) / 10).toFixed(1)}%`
}

// ---------------------------------------------------------------------------
// Forms

export interface BranchForm {
  branch_id: string
  name: string
  org: string
  region_code: string
  secretary: string
  members: number | null
  voting_members: number | null
  set_up_on: string
  status: 'active' | 'dissolved'
  dissolved_on: string
}

export function emptyBranchForm(): BranchForm {
  return {
    branch_id: '',
    name: '',
    org: '',
    region_code: '',
    secretary: '',
    members: null,
    voting_members: null,
    set_up_on: '',
    status: 'active',
    dissolved_on: '',
  }
}

export function branchFormOf(b: Branch): BranchForm {
  return {
    branch_id: b.branch_id,
    name: b.name,
    org: b.org,
    region_code: b.region_code,
    secretary: b.secretary,
    members: b.members,
    voting_members: b.voting_members,
    set_up_on: b.set_up_on,
    status: b.status,
    dissolved_on: b.dissolved_on,
  }
}

/** [field, Chinese, English] of the first problem, or null. */
export type Problem = [string, string, string]

const BRANCH_ID = /^[A-Za-z0-9][A-Za-z0-9_-]{1,31}$/
const DATE = /^\d{4}-\d{2}-\d{2}$/

export function validateBranch(f: BranchForm): Problem | null {
  if (!BRANCH_ID.test(f.branch_id.trim()))
    return ['branch_id', '支部编号应为2至32位英文字母、数字、“-”或“_”（如 DZB0001）', 'branch id: 2–32 ASCII letters, digits, - or _ (e.g. DZB0001)']
  if (!f.name.trim()) return ['name', '支部名称必须填写', 'the name is required']
  if (f.region_code && !/^\d{6}$/.test(f.region_code)) return ['region_code', '行政区划代码应为6位数字', 'region code: 6 digits']
  if (f.members !== null && f.voting_members !== null && f.voting_members > f.members)
    return ['voting_members', '有表决权的党员人数不能多于党员人数', 'voting members cannot exceed members']
  if (f.set_up_on && !DATE.test(f.set_up_on)) return ['set_up_on', '成立日期应为 YYYY-MM-DD', 'set-up date: YYYY-MM-DD']
  if (f.status === 'dissolved' && !f.dissolved_on) return ['dissolved_on', '已撤销的支部须填写撤销日期', 'a dissolved branch needs its date']
  if (f.status === 'dissolved' && f.set_up_on && f.dissolved_on < f.set_up_on)
    return ['dissolved_on', '撤销日期早于成立日期', 'dissolved before it was set up']
  return null
}

/** POST body (all fields) or PATCH body (only what changed from `before`). */
export function branchBody(f: BranchForm, before?: Branch): Record<string, unknown> {
  const full: Record<string, unknown> = {
    branch_id: f.branch_id.trim(),
    name: f.name.trim(),
    org: f.org.trim(),
    region_code: f.region_code.trim(),
    secretary: f.secretary.trim(),
    members: f.members ?? 0,
    voting_members: f.voting_members ?? 0,
    set_up_on: f.set_up_on,
    status: f.status,
    dissolved_on: f.status === 'dissolved' ? f.dissolved_on : '',
  }
  if (!before) return full
  const out: Record<string, unknown> = {}
  for (const [k, v] of Object.entries(full)) {
    if (k === 'branch_id') continue
    if ((before as unknown as Record<string, unknown>)[k] !== v) out[k] = v
  }
  return out
}

export interface MeetingForm {
  branch_id: string
  kind: string
  held_on: string
  attendees: number | null
  expected: number | null
  topic: string
  minutes_text: string
  meeting_id: string
}

export function emptyMeetingForm(branch = ''): MeetingForm {
  return { branch_id: branch, kind: '', held_on: '', attendees: null, expected: null, topic: '', minutes_text: '', meeting_id: '' }
}

export function validateMeeting(f: MeetingForm, today: string): Problem | null {
  if (!f.branch_id) return ['branch_id', '请选择支部', 'choose a branch']
  if (!(KINDS as readonly string[]).includes(f.kind)) return ['kind', '请选择会议类型', 'choose a meeting kind']
  if (!DATE.test(f.held_on)) return ['held_on', '召开日期应为 YYYY-MM-DD', 'date: YYYY-MM-DD']
  if (today && f.held_on > today) return ['held_on', '召开日期晚于今天', 'the date is in the future']
  if (f.attendees !== null && f.expected !== null && f.attendees > f.expected)
    return ['attendees', '实到人数不能多于应到人数', 'attendees cannot exceed expected']
  return null
}

export function meetingBody(f: MeetingForm): Record<string, unknown> {
  const b: Record<string, unknown> = { branch_id: f.branch_id, kind: f.kind, held_on: f.held_on }
  if (f.attendees !== null) b.attendees = f.attendees
  if (f.expected !== null) b.expected = f.expected
  if (f.topic.trim()) b.topic = f.topic.trim()
  if (f.minutes_text.trim()) b.minutes_text = f.minutes_text.trim()
  if (f.meeting_id.trim()) b.meeting_id = f.meeting_id.trim()
  return b
}

/** Attendance as "8/10" (a missing count as "—"). */
export function attendance(m: { attendees: number | null; expected: number | null }): string {
  if (m.attendees === null && m.expected === null) return '—'
  return `${m.attendees ?? '—'}/${m.expected ?? '—'}`
}
