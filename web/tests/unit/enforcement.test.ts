import { describe, expect, it } from 'vitest'
import * as lib from '../../src/lib/enforcement'
import type { CaseDetail, EnforcementBoard, EnforcementCase, Publication } from '../../src/lib/enforcement'
import zhEn from '../../src/locales/enforcement'

function kase(over: Partial<EnforcementCase> = {}): EnforcementCase {
  return {
    case_id: 'P1',
    org: '某区市场监督管理局',
    kind: '处罚',
    target_party: '91210900000000001X',
    target_is_person: false,
    target_name: '清河食品有限公司',
    inspectors: ['2109**********0013', '2109**********0021'],
    started_at: '2024-09-02 09:00:00',
    closed_at: '2024-09-27 16:00:00',
    result: '罚款五千元',
    penalty_fen: 500000,
    has_av_record: true,
    published_at: null,
    source: '双随机',
    state: 'due',
    state_zh: '待公示',
    deadline: '2024-10-12',
    days_left: 5,
    days_late: 0,
    media_count: 0,
    av_media: 0,
    missing_av: false,
    ...over,
  }
}

function pubOf(over: Partial<Publication> = {}): Publication {
  return {
    id: 1,
    decision_no: '清市监罚〔2024〕12号',
    result: '罚款五千元',
    penalty_fen: 500000,
    public_text: '处罚决定书文号：清市监罚〔2024〕12号；处理结果：罚款五千元',
    published_at: '2024-10-10 10:00:00',
    supersedes: null,
    superseded_by: null,
    reason: null,
    published_by: 'leader',
    ...over,
  }
}

function detail(c: Partial<EnforcementCase> = {}, pubs: Publication[] = []): CaseDetail {
  return { as_of: '2024-10-15', case: kase(c), media: [], publications: pubs }
}

describe('publication states', () => {
  it('colours each state, warning in the last two days', () => {
    expect(lib.stateTag(kase({ state: 'overdue' }))).toBe('danger')
    expect(lib.stateTag(kase({ state: 'late' }))).toBe('warning')
    expect(lib.stateTag(kase({ state: 'on_time' }))).toBe('success')
    expect(lib.stateTag(kase({ state: 'not_due' }))).toBe('info')
    expect(lib.stateTag(kase({ state: 'due', days_left: 5 }))).toBe('primary')
    expect(lib.stateTag(kase({ state: 'due', days_left: 2 }))).toBe('warning')
    expect(lib.stateTag(kase({ state: 'due', days_left: 0 }))).toBe('warning')
  })
  it('qualifies due, overdue and late with working days', () => {
    expect(lib.stateDetail(kase({ state: 'due', days_left: 3 }))).toEqual({ key: 'enforcement.daysLeft', n: 3 })
    expect(lib.stateDetail(kase({ state: 'due', days_left: 0 }))).toEqual({ key: 'enforcement.daysLeft', n: 0 })
    expect(lib.stateDetail(kase({ state: 'overdue', days_late: 2 }))).toEqual({ key: 'enforcement.daysLate', n: 2 })
    expect(lib.stateDetail(kase({ state: 'late', days_late: 1 }))).toEqual({ key: 'enforcement.daysLate', n: 1 })
    expect(lib.stateDetail(kase({ state: 'on_time' }))).toBeNull()
    expect(lib.stateDetail(kase({ state: 'not_due' }))).toBeNull()
  })
  it('lists the board figures in order with the missing records last', () => {
    const b: EnforcementBoard = {
      as_of: '2024-10-15',
      total: 5,
      by_state: { not_due: 1, due: 1, overdue: 1, on_time: 1, late: 1 },
      by_kind: {},
      missing_av: 2,
      overdue: [],
      due_soon: [],
      missing: [],
    }
    const f = lib.boardFigures(b)
    expect(f.map((x) => x.key)).toEqual(['due', 'overdue', 'on_time', 'late', 'not_due', 'missing_av'])
    expect(f.find((x) => x.key === 'overdue')).toEqual({ key: 'overdue', value: 1, tag: 'danger' })
    expect(f[f.length - 1]).toEqual({ key: 'missing_av', value: 2, tag: 'danger' })
    expect(lib.boardFigures(null)).toEqual([])
  })
  it('labels every state in both languages', () => {
    for (const s of ['not_due', 'due', 'overdue', 'on_time', 'late', 'missing_av']) {
      expect(zhEn.zh.enforcement.stateLabel).toHaveProperty(s)
      expect(zhEn.en.enforcement.stateLabel).toHaveProperty(s)
    }
  })
})

describe('list query', () => {
  it('leaves out empty filters', () => {
    expect(lib.listQuery(lib.emptyFilters(), 1, 20)).toEqual({ page: 1, page_size: 20 })
    const f = { ...lib.emptyFilters(), kind: '处罚', state: 'overdue', year: 2024, q: '  清河 ', as_of: '2024-10-15' }
    expect(lib.listQuery(f, 2, 50, true)).toEqual({ page: 2, page_size: 50, kind: '处罚', state: 'overdue', year: 2024, q: '清河', as_of: '2024-10-15', unmask: 1 })
  })
})

describe('register form', () => {
  const good = { ...lib.emptyRegisterForm(), case_id: 'N1', org: '某区市场监督管理局', target_party: '91210900000000001x', inspectors: '210902198001010013；210902198001010021\n', started_at: '2024-09-10T09:00' }
  it('splits ID numbers on any separator', () => {
    expect(lib.splitIds('a; b，c , d\ne')).toEqual(['A', 'B', 'C', 'D', 'E'])
    expect(lib.splitIds('')).toEqual([])
  })
  it('needs two inspectors except for a licence, and no repeats', () => {
    expect(lib.validateRegister(good)).toBeNull()
    expect(lib.validateRegister({ ...good, inspectors: '210902198001010013' })?.[0]).toBe('inspector_id_numbers')
    expect(lib.validateRegister({ ...good, kind: '许可', inspectors: '' })).toBeNull()
    expect(lib.validateRegister({ ...good, inspectors: 'A;a' })?.[0]).toBe('inspector_id_numbers')
  })
  it('names the field at fault', () => {
    expect(lib.validateRegister({ ...good, case_id: ' ' })?.[0]).toBe('case_id')
    expect(lib.validateRegister({ ...good, case_id: 'a/b' })?.[0]).toBe('case_id')
    expect(lib.validateRegister({ ...good, org: '' })?.[0]).toBe('org')
    expect(lib.validateRegister({ ...good, target_party: '' })?.[0]).toBe('target_party')
    expect(lib.validateRegister({ ...good, started_at: '2024/9/10' })?.[0]).toBe('started_at')
    expect(lib.validateRegister({ ...good, kind: '罚款' })?.[0]).toBe('kind')
  })
  it('builds the request body', () => {
    expect(lib.registerBody({ ...good, source: '双随机', has_av_record: 'yes' })).toEqual({
      case_id: 'N1',
      org: '某区市场监督管理局',
      target_party: '91210900000000001X',
      inspector_id_numbers: ['210902198001010013', '210902198001010021'],
      kind: '处罚',
      started_at: '2024-09-10 09:00',
      source: '双随机',
      has_av_record: true,
    })
    expect(lib.registerBody(good)).not.toHaveProperty('has_av_record')
  })
})

describe('close form', () => {
  const f = { closed_at: '2024-09-27 16:00', result: '罚款五千元', penalty: '5,000.50', has_av_record: '' as const }
  it('checks the time, the result and the penalty', () => {
    expect(lib.validateClose(f, '处罚')).toBeNull()
    expect(lib.validateClose({ ...f, closed_at: '' }, '处罚')?.[0]).toBe('closed_at')
    expect(lib.validateClose({ ...f, result: ' ' }, '处罚')?.[0]).toBe('result')
    expect(lib.validateClose({ ...f, penalty: '12.345' }, '处罚')?.[0]).toBe('penalty_fen')
    expect(lib.validateClose({ ...f, penalty: '-1' }, '处罚')?.[0]).toBe('penalty_fen')
    expect(lib.validateClose(f, '检查')?.[0]).toBe('penalty_fen')
    expect(lib.validateClose({ ...f, penalty: '' }, '检查')).toBeNull()
  })
  it('sends the penalty in fen', () => {
    expect(lib.closeBody(f)).toEqual({ closed_at: '2024-09-27 16:00', result: '罚款五千元', penalty_fen: 500050 })
    expect(lib.closeBody({ ...f, penalty: '', has_av_record: 'no' })).toEqual({ closed_at: '2024-09-27 16:00', result: '罚款五千元', has_av_record: false })
  })
})

describe('publish form', () => {
  it('starts from the case, or from the current publication', () => {
    expect(lib.publishFormOf(detail())).toEqual({ decision_no: '', result: '罚款五千元', penalty: '5000.00', published_at: '', reason: '' })
    const old = pubOf({ id: 1, superseded_by: 2, result: '旧' })
    const cur = pubOf({ id: 2, supersedes: 1, result: '罚款四千元', penalty_fen: 400000 })
    const d = detail({ published_at: '2024-10-10 10:00:00' }, [old, cur])
    expect(lib.publishFormOf(d).result).toBe('罚款四千元')
    expect(lib.publishFormOf(d).penalty).toBe('4000.00')
    expect(lib.currentPublication(d.publications)?.id).toBe(2)
  })
  it('requires a document number for decisions and a reason for a correction', () => {
    const form = lib.publishFormOf(detail())
    expect(lib.validatePublish(form, detail())?.[0]).toBe('decision_no')
    expect(lib.validatePublish({ ...form, decision_no: 'X' }, detail())).toBeNull()
    expect(lib.validatePublish(form, detail({ kind: '检查', penalty_fen: null }))).toBeNull()
    expect(lib.validatePublish({ ...form, decision_no: 'X' }, detail({ closed_at: null }))?.[1]).toContain('尚未结案')
    const published = detail({ published_at: '2024-10-10 10:00:00' }, [pubOf()])
    expect(lib.isCorrection(published)).toBe(true)
    expect(lib.isCorrection(detail())).toBe(false)
    expect(lib.isCorrection(detail({ published_at: '2024-10-10 10:00:00' }))).toBe(true) // imported as published
    expect(lib.validatePublish({ ...form, decision_no: 'X' }, published)?.[0]).toBe('reason')
    expect(lib.validatePublish({ ...form, decision_no: 'X', reason: '金额笔误' }, published)).toBeNull()
    expect(lib.validatePublish({ ...form, decision_no: 'X', published_at: 'soon' }, detail())?.[0]).toBe('published_at')
  })
  it('sends only what is given', () => {
    expect(lib.publishBody({ decision_no: ' X ', result: 'R', penalty: '', published_at: '', reason: '' })).toEqual({ decision_no: 'X', result: 'R' })
    expect(lib.publishBody({ decision_no: 'X', result: 'R', penalty: '40000', published_at: '2024-10-14T10:00', reason: '更正' })).toEqual({
      decision_no: 'X',
      result: 'R',
      penalty_fen: 4000000,
      published_at: '2024-10-14 10:00',
      reason: '更正',
    })
  })
})

describe('media', () => {
  it('accepts audio, video, photos and PDF by name, refuses the rest', () => {
    for (const n of ['a.mp4', 'A.MOV', 'b.avi', 'c.mkv', 'd.mp3', 'e.wav', 'f.m4a', 'g.jpg', 'h.jpeg', 'i.png', 'j.pdf']) {
      expect(lib.checkMediaFile(n, 10, 0), n).toBeNull()
    }
    for (const n of ['a.exe', 'b.zip', 'noext', 'c.mp4.txt']) expect(lib.checkMediaFile(n, 10, 0)?.[0], n).toBe('file')
    expect(lib.checkMediaFile('a.mp4', 0, 0)?.[1]).toContain('为空')
    expect(lib.checkMediaFile('a.mp4', 2048, 1024)?.[0]).toBe('file')
  })
  it('builds the URLs with the case id encoded', () => {
    const sha = 'a'.repeat(64)
    expect(lib.mediaUrl('罚/1', sha)).toBe(`/api/enforcement/${encodeURIComponent('罚/1')}/media/${sha}`)
    expect(lib.uploadUrl('P1', '现场.mp4', '2024-09-27T15:00')).toBe(
      '/api/enforcement/P1/media?name=%E7%8E%B0%E5%9C%BA.mp4&recorded_at=2024-09-27+15%3A00',
    )
    expect(lib.uploadUrl('P1', 'a.mp4', '')).toBe('/api/enforcement/P1/media?name=a.mp4')
    expect(lib.shortSha('0123456789abcdef')).toBe('012345…cdef')
  })
})
