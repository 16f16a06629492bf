import { describe, expect, it } from 'vitest'
import messages from '../../src/locales/duties'
import * as lib from '../../src/lib/duties'

// An ID number with a correct GB 11643 check character.
const GOOD_ID = '11010519491231002X'

function keys(o: Record<string, unknown>, prefix = ''): string[] {
  return Object.entries(o).flatMap(([k, v]) =>
    v && typeof v === 'object' ? keys(v as Record<string, unknown>, `${prefix}${k}.`) : [`${prefix}${k}`],
  )
}

describe('duties messages', () => {
  it('have the same keys in Chinese and English', () => {
    expect(keys(messages.zh).sort()).toEqual(keys(messages.en).sort())
  })
})

describe('item state and labels', () => {
  it('tells done on time, late, cancelled, overdue and open apart', () => {
    expect(lib.itemState({ status: 'done', late: false, overdue: false })).toBe('done')
    expect(lib.itemState({ status: 'done', late: true, overdue: false })).toBe('late')
    expect(lib.itemState({ status: 'cancelled', late: false, overdue: false })).toBe('cancelled')
    expect(lib.itemState({ status: 'open', late: false, overdue: true })).toBe('overdue')
    expect(lib.itemState({ status: 'open', late: false, overdue: false })).toBe('open')
    expect(lib.stateTag('overdue')).toBe('danger')
    expect(lib.stateTag('late')).toBe('warning')
    expect(lib.stateTag('done')).toBe('success')
  })
  it('labels the deadline in working days', () => {
    const base = { status: 'open', overdue: false, working_days_overdue: 0, days_overdue: 0, working_days_left: 3 }
    expect(lib.deadlineLabel(base)).toEqual({ key: 'duties.dueIn', n: 3 })
    expect(lib.deadlineLabel({ ...base, working_days_left: 0 })).toEqual({ key: 'duties.dueToday', n: 0 })
    expect(lib.deadlineLabel({ ...base, overdue: true, working_days_overdue: 5, working_days_left: null })).toEqual({
      key: 'duties.overdueBy',
      n: 5,
    })
    expect(lib.deadlineLabel({ ...base, status: 'done' })).toBeNull()
  })
  it('colours grades, warnings and scores', () => {
    expect(lib.gradeTag('好')).toBe('success')
    expect(lib.gradeTag('较好')).toBe('primary')
    expect(lib.gradeTag('一般')).toBe('warning')
    expect(lib.gradeTag('差')).toBe('danger')
    expect(lib.gradeTag('')).toBe('info')
    expect(lib.warningTag('check_overdue')).toBe('danger')
    expect(lib.warningTag('due_soon')).toBe('warning')
    expect(lib.formatScore(53.8)).toBe('53.8')
    expect(lib.formatScore(100)).toBe('100.0')
    expect(lib.formatScore(null)).toBe('—')
    expect(lib.checkRatio({ checks_held: 4, checks_due: 7 })).toBe('4/7')
  })
})

describe('list query', () => {
  it('leaves empty filters out and pages by offset', () => {
    expect(lib.itemsQuery(lib.emptyFilters(), 1, 20)).toEqual({
      year: undefined,
      leader: undefined,
      org: undefined,
      kind: undefined,
      status: undefined,
      overdue: undefined,
      limit: 20,
      offset: 0,
    })
    const q = lib.itemsQuery({ year: 2024, leader: ' 王建国 ', org: '', kind: '党风廉政建设', status: 'open', overdue: true }, 3, 50)
    expect(q).toMatchObject({ year: 2024, leader: '王建国', kind: '党风廉政建设', status: 'open', overdue: 1, offset: 100 })
  })
})

describe('item form', () => {
  it('checks the ID number with its check character', () => {
    expect(lib.idCheckOk(GOOD_ID)).toBe(true)
    expect(lib.idCheckOk(GOOD_ID.toLowerCase())).toBe(true)
    expect(lib.idCheckOk('110105194912310021')).toBe(false)
    expect(lib.idCheckOk('1101051949123100')).toBe(false)
  })
  it('refuses a due date before the assignment and missing fields', () => {
    const f = lib.emptyItemForm('2024-03-01')
    expect(lib.validateItem(f)).toMatchObject({ leader_id: 'duties.errRequired', area: 'duties.errRequired', due_on: 'duties.errRequired' })
    Object.assign(f, { leader_id: GOOD_ID, area: '财务', task: '预算执行分析', due_on: '2024-02-01' })
    expect(lib.validateItem(f)).toEqual({ due_on: 'duties.errDueBeforeAssigned' })
    f.due_on = '2024-06-30'
    expect(lib.validateItem(f)).toEqual({})
    f.kind = '其他'
    expect(lib.validateItem(f)).toEqual({ kind: 'duties.errRequired' })
  })
  it('builds the POST body', () => {
    const f = lib.emptyItemForm('2024-03-01')
    Object.assign(f, { leader_id: ' 11010519491231002x ', area: ' 财务 ', task: '任务', due_on: '2024-06-30', kind: '党风廉政建设' })
    expect(lib.itemBody(f)).toEqual({
      leader_id: GOOD_ID,
      area: '财务',
      kind: '党风廉政建设',
      task: '任务',
      due_on: '2024-06-30',
      frequency: '季度',
      assigned_on: '2024-03-01',
    })
  })
})

describe('actions and checks', () => {
  it('sends only what each action uses', () => {
    const c = lib.emptyActionForm('complete', '2024-12-31')
    expect(lib.validateAction(c, '2024-01-10')).toEqual({ evidence: 'duties.errRequired' })
    c.evidence = ' 已完成 '
    expect(lib.actionBody(c)).toEqual({ action: 'complete', evidence: '已完成', completed_on: '2024-12-31' })
    c.completed_on = '2024-01-01'
    expect(lib.validateAction(c, '2024-01-10')).toEqual({ completed_on: 'duties.errBeforeAssigned' })
    const x = lib.emptyActionForm('cancel', '2024-12-31')
    expect(lib.validateAction(x, '2024-01-10')).toEqual({ reason: 'duties.errRequired' })
    x.reason = '机构调整'
    expect(lib.actionBody(x)).toEqual({ action: 'cancel', reason: '机构调整' })
    const r = lib.emptyActionForm('redate', '2024-12-31')
    r.reason = '延期'
    r.due_on = '2024-01-01'
    expect(lib.validateAction(r, '2024-01-10')).toEqual({ due_on: 'duties.errDueBeforeAssigned' })
    r.due_on = '2025-01-31'
    expect(lib.actionBody(r)).toEqual({ action: 'redate', due_on: '2025-01-31', reason: '延期' })
  })
  it('builds the check body', () => {
    const f = lib.emptyCheckForm('2024-12-31')
    expect(lib.checkBody(f)).toEqual({ result: '较好', checked_on: '2024-12-31' })
    Object.assign(f, { checker: ' 纪检组 ', note: '进展顺利', result: '好' })
    expect(lib.checkBody(f)).toEqual({ result: '好', checked_on: '2024-12-31', checker: '纪检组', note: '进展顺利' })
  })
})
