import { describe, expect, it } from 'vitest'
import * as lib from '../../src/lib/party'
import type { Branch, Calendar, CalendarCell } from '../../src/lib/party'
import zhEn from '../../src/locales/party'

function cell(first: number, last: number, over: Partial<CalendarCell> = {}): CalendarCell {
  return {
    index: 1,
    label: '',
    start: '',
    end: '',
    first_month: first,
    last_month: last,
    required: 1,
    held: 0,
    status: 'future',
    status_zh: '',
    working_days_left: null,
    meetings: [],
    ...over,
  }
}

const branch: Branch = {
  branch_id: 'DZB0001',
  name: '中共阜新市财政局支部委员会',
  org: '阜新市财政局',
  region_code: '210902',
  secretary: '张书记',
  members: 12,
  voting_members: 10,
  set_up_on: '2015-07-01',
  status: 'active',
  dissolved_on: '',
  registered: true,
  meetings: 30,
  first_meeting: '2024-01-10',
  last_meeting: '2024-08-10',
  updated_by: 'admin',
  updated_at: '2024-09-01 10:00:00',
}

function calendar(): Calendar {
  return {
    branch,
    year: 2024,
    as_of: '2024-09-16',
    warn_working_days: 10,
    due: 0,
    met: 0,
    missed: 0,
    at_risk: 0,
    no_quorum: 0,
    rows: [
      {
        kind: '支部党员大会',
        period: 'quarter',
        per_period: 1,
        per_year: 4,
        // Out of order on purpose: the grid sorts by month.
        cells: [cell(7, 9, { status: 'at_risk', index: 3 }), cell(1, 3, { status: 'met' }), cell(4, 6), cell(10, 12)],
      },
      { kind: '支部委员会', period: 'month', per_period: 1, per_year: 12, cells: Array.from({ length: 12 }, (_, i) => cell(i + 1, i + 1)) },
      { kind: '组织生活会', period: 'year', per_period: 1, per_year: 1, cells: [cell(1, 12, { status: 'open' })] },
    ],
  }
}

describe('compliance grid', () => {
  it('spans quarters over three months and the year over twelve', () => {
    const g = lib.buildGrid(calendar())
    expect(g.map((r) => r.kind)).toEqual(['支部党员大会', '支部委员会', '组织生活会'])
    expect(g[0].cells.map((c) => [c.col, c.span])).toEqual([
      [0, 3],
      [3, 3],
      [6, 3],
      [9, 3],
    ])
    expect(g[0].cells[2].cell.status).toBe('at_risk')
    expect(g[1].cells).toHaveLength(12)
    expect(g[1].cells.every((c) => c.span === 1)).toBe(true)
    expect(g[1].cells[11].col).toBe(11)
    expect(g[2].cells).toEqual([{ col: 0, span: 12, cell: expect.objectContaining({ status: 'open' }) }])
    // Every row covers exactly the twelve months.
    for (const r of g) expect(r.cells.reduce((n, c) => n + c.span, 0)).toBe(12)
    expect(lib.buildGrid(null)).toEqual([])
  })

  it('gives each status its own colour and tag', () => {
    const bgs = new Set(lib.CELL_STATUSES.map((s) => lib.statusColor(s).bg))
    expect(bgs.size).toBe(lib.CELL_STATUSES.length)
    expect(lib.statusTag('missed')).toBe('danger')
    expect(lib.statusTag('at_risk')).toBe('warning')
    expect(lib.statusTag('met')).toBe('success')
    expect(lib.statusTag('future')).toBe('info')
  })

  it('counts and flags cells', () => {
    expect(lib.cellCount(cell(1, 1, { status: 'missed', held: 0, required: 1 }))).toBe('0/1')
    expect(lib.cellCount(cell(1, 1, { status: 'future' }))).toBe('')
    const m = { meeting_id: 'A', held_on: '2024-06-01', topic: '', attendees: 5, expected: 10, counted: false, no_quorum: true }
    expect(lib.hasNoQuorum(cell(4, 6, { meetings: [m] }))).toBe(true)
    expect(lib.hasNoQuorum(cell(4, 6))).toBe(false)
    expect(lib.rateText(8, 10)).toBe('80.0%')
    expect(lib.rateText(2, 3)).toBe('66.7%')
    expect(lib.rateText(0, 0)).toBe('—')
    expect(lib.attendance({ attendees: 8, expected: 10 })).toBe('8/10')
    expect(lib.attendance({ attendees: null, expected: null })).toBe('—')
  })
})

describe('branch form', () => {
  it('checks the id, region, counts and dates', () => {
    const f = { ...lib.emptyBranchForm(), branch_id: 'DZB0001', name: '某支部' }
    expect(lib.validateBranch(f)).toBeNull()
    expect(lib.validateBranch({ ...f, branch_id: 'DZB 1' })?.[0]).toBe('branch_id')
    expect(lib.validateBranch({ ...f, branch_id: '支部1' })?.[0]).toBe('branch_id')
    expect(lib.validateBranch({ ...f, name: ' ' })?.[0]).toBe('name')
    expect(lib.validateBranch({ ...f, region_code: '2109' })?.[0]).toBe('region_code')
    expect(lib.validateBranch({ ...f, members: 5, voting_members: 6 })?.[0]).toBe('voting_members')
    expect(lib.validateBranch({ ...f, status: 'dissolved' })?.[0]).toBe('dissolved_on')
    expect(lib.validateBranch({ ...f, status: 'dissolved', set_up_on: '2020-01-01', dissolved_on: '2019-01-01' })?.[0]).toBe('dissolved_on')
  })

  it('sends everything on create and only the changes on edit', () => {
    const f = lib.branchFormOf(branch)
    expect(lib.branchBody(f, branch)).toEqual({})
    f.secretary = '李书记'
    f.status = 'dissolved'
    f.dissolved_on = '2024-08-31'
    expect(lib.branchBody(f, branch)).toEqual({ secretary: '李书记', status: 'dissolved', dissolved_on: '2024-08-31' })
    const created = lib.branchBody({ ...lib.emptyBranchForm(), branch_id: ' DZB0002 ', name: '支部', dissolved_on: '2024-01-01' })
    expect(created.branch_id).toBe('DZB0002')
    expect(created.members).toBe(0)
    expect(created.dissolved_on).toBe('') // active: no date
  })
})

describe('meeting form', () => {
  it('refuses bad kinds, dates and attendance', () => {
    const f = { ...lib.emptyMeetingForm('DZB0001'), kind: '党课', held_on: '2024-09-02', attendees: 8, expected: 10 }
    expect(lib.validateMeeting(f, '2024-09-16')).toBeNull()
    expect(lib.validateMeeting({ ...f, kind: '支部大会' }, '2024-09-16')?.[0]).toBe('kind')
    expect(lib.validateMeeting({ ...f, held_on: '2024/9/2' }, '2024-09-16')?.[0]).toBe('held_on')
    expect(lib.validateMeeting({ ...f, held_on: '2024-09-17' }, '2024-09-16')?.[0]).toBe('held_on')
    expect(lib.validateMeeting({ ...f, attendees: 11 }, '2024-09-16')?.[0]).toBe('attendees')
    expect(lib.validateMeeting({ ...f, branch_id: '' }, '2024-09-16')?.[0]).toBe('branch_id')
  })

  it('leaves out what was not given', () => {
    const f = { ...lib.emptyMeetingForm('DZB0001'), kind: '党课', held_on: '2024-09-02', topic: ' 学习 ' }
    expect(lib.meetingBody(f)).toEqual({ branch_id: 'DZB0001', kind: '党课', held_on: '2024-09-02', topic: '学习' })
    expect(lib.meetingBody({ ...f, attendees: 0, expected: 9, meeting_id: 'M1' })).toMatchObject({ attendees: 0, expected: 9, meeting_id: 'M1' })
  })
})

describe('messages', () => {
  it('label every cell status in both languages', () => {
    for (const s of lib.CELL_STATUSES) {
      expect(zhEn.zh.party.cellStatus[s]).toBeTruthy()
      expect(zhEn.en.party.cellStatus[s]).toBeTruthy()
    }
  })
})
