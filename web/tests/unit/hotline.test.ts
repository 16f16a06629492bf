import { describe, expect, it } from 'vitest'
import * as lib from '../../src/lib/hotline'
import type { MetricsAnswer } from '../../src/lib/hotline'
import hotline from '../../src/locales/hotline'

const open = { open: true, deadline: '2024-03-11', days_left: 3, overdue: false, overdue_days: null, closed_late: false }

describe('SLA clock', () => {
  it('labels and colours open orders by working days left', () => {
    expect(lib.clockOf(open)).toEqual({ key: 'left', n: 3, tone: 'primary' })
    expect(lib.clockOf({ ...open, days_left: 6 }).tone).toBe('success')
    expect(lib.clockOf({ ...open, days_left: 1 })).toEqual({ key: 'left', n: 1, tone: 'warning' })
    expect(lib.clockOf({ ...open, days_left: 0 })).toEqual({ key: 'dueToday', n: 0, tone: 'danger' })
    expect(lib.clockOf({ ...open, days_left: null, overdue: true, overdue_days: 2 })).toEqual({ key: 'overdue', n: 2, tone: 'danger' })
  })
  it('labels closed orders by whether they were on time', () => {
    expect(lib.clockOf({ ...open, open: false, days_left: null }).key).toBe('closedOnTime')
    expect(lib.clockOf({ ...open, open: false, closed_late: true, overdue_days: 4 })).toEqual({ key: 'closedLate', n: 4, tone: 'warning' })
    expect(lib.clockOf({ ...open, deadline: null }).key).toBe('unknown')
  })
  it('has a message for every clock key and state', () => {
    for (const lang of [hotline.zh, hotline.en]) {
      for (const k of ['unknown', 'overdue', 'dueToday', 'left', 'closedLate', 'closedOnTime']) expect(lang.hotline.clock).toHaveProperty(k)
      expect(Object.keys(lang.hotline.state).sort()).toEqual(['closed', 'dispatched', 'extended', 'handling', 'received', 'redo', 'returned', 'visited'])
    }
    expect(lib.stateTag('redo')).toBe('danger')
    expect(lib.stateTag('visited')).toBe('success')
  })
})

describe('board query', () => {
  it('sends only the filters that are set', () => {
    const q = { ...lib.emptyBoardQuery(), as_of: '2024-03-11', clock: 'overdue', q: ' GD2024 ', supervised: true, page: 2 }
    expect(lib.boardParams(q)).toEqual({ page: 2, page_size: 20, as_of: '2024-03-11', clock: 'overdue', q: 'GD2024', supervised: 1 })
  })
})

describe('rights', () => {
  it('offers the server’s allowed actions to users who may process', () => {
    expect(lib.actionsFor(['签收', '转派', '退单'], ['read', 'process'])).toEqual(['签收', '转派', '退单'])
    expect(lib.actionsFor(['签收'], ['read', 'approve'])).toEqual([])
  })
  it('lets handlers remind and leaders escalate, on open orders only', () => {
    expect(lib.noticeKindsFor(true, ['read', 'process'])).toEqual(['urge'])
    expect(lib.noticeKindsFor(true, ['read', 'approve'])).toEqual(['urge', 'supervise'])
    expect(lib.noticeKindsFor(false, ['approve'])).toEqual([])
  })
})

describe('forms', () => {
  it('checks the register form and refuses a phone number as caller id', () => {
    const f = { ...lib.emptyRegisterForm(), category: '投诉', region_code: '210911', content: '噪音扰民' }
    expect(lib.validateRegister(f)).toBeNull()
    expect(lib.validateRegister({ ...f, caller_hash: '13900001111' })?.[0]).toBe('caller_hash')
    expect(lib.validateRegister({ ...f, caller_hash: 'a1b2c3d4e5' })).toBeNull()
    expect(lib.validateRegister({ ...f, region_code: '2109' })?.[0]).toBe('region_code')
    expect(lib.validateRegister({ ...f, received_at: '2024/03/01' })?.[0]).toBe('received_at')
    expect(lib.registerBody({ ...f, caller_hash: ' ' })).toEqual({ channel: '电话', category: '投诉', region_code: '210911', content: '噪音扰民' })
  })
  it('asks each action for what it needs', () => {
    expect(lib.actionFields('转派').toOrg).toBe(true)
    expect(lib.actionFields('办结').note).toBe('required')
    expect(lib.validateAction(lib.emptyActionForm('派单'))?.[0]).toBe('to_org')
    expect(lib.validateAction(lib.emptyActionForm('办结'))?.[0]).toBe('note')
    expect(lib.validateAction({ ...lib.emptyActionForm('回访') })?.[0]).toBe('satisfaction')
    const ext = { ...lib.emptyActionForm('延期'), days: 5, approved: true }
    expect(lib.validateAction(ext)?.[0]).toBe('approval')
    expect(lib.actionBody({ ...ext, approval: '张主任同意' })).toEqual({ action: '延期', days: 5, approved: true, approval: '张主任同意' })
    expect(lib.actionBody({ ...ext, approved: false, note: '材料待补' })).toEqual({ action: '延期', days: 5, approved: false, note: '材料待补' })
    expect(lib.actionBody({ ...lib.emptyActionForm('派单'), to_org: ' 住建局 ', at: '2024-03-01 10:00' })).toEqual({
      action: '派单',
      at: '2024-03-01 10:00',
      to_org: '住建局',
    })
  })
})

describe('metrics', () => {
  it('formats rates with their counts', () => {
    expect(lib.percent(5 / 6)).toBe('83.3%')
    expect(lib.percent(null)).toBe('—')
    expect(lib.rateWithCounts(1, 2, 2)).toBe('100.0% (2/2)')
    expect(lib.rateWithCounts(null, 0, 0)).toBe('—')
    expect(lib.monthOf('2024-03-31')).toBe('2024-03')
    expect(lib.shiftMonth('2024-01', -1)).toBe('2023-12')
    expect(lib.shiftMonth('2024-12', 1)).toBe('2025-01')
  })
  it('charts ranked departments only, best on top', () => {
    const dept = (org: string, rank: number | null, on: number) => ({
      org, received: 5, closed: 5, on_time: 5, overdue_open: 0, rated: 5, satisfied: 4, repeats: 0, dispatched: 5, responded: 5,
      on_time_rate: on, satisfaction_rate: 0.8, repeat_rate: 0, response_rate: 1, rank,
    })
    const m: MetricsAnswer = {
      from: '2024-03-01', to: '2024-03-31', as_of: '2024-03-31', repeat_days: 30, min_orders: 5, ranked: 2,
      departments: [dept('丁局', 1, 1), dept('甲局', 2, 0.8333), dept('丙局', null, 1)],
      total: dept('合计', null, 0.9),
    }
    const o = lib.rankingOption(m, { onTime: '按时办结率', satisfaction: '满意率' }) as {
      yAxis: { data: string[] }
      series: { data: (number | null)[] }[]
    }
    expect(o.yAxis.data).toEqual(['2. 甲局', '1. 丁局'])
    expect(o.series[0].data).toEqual([83.3, 100])
  })
})
