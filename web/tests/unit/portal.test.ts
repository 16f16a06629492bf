import { describe, expect, it } from 'vitest'
import * as lib from '../../src/lib/portal'
import type { PublicInspection, ReportForm } from '../../src/lib/portal'

const base: ReportForm = {
  kind: 'report',
  category: '',
  region_code: '',
  target: '',
  content: '某局长收受礼金',
  anonymous: true,
  contact_name: '',
  contact_phone: '',
}

describe('validateReport', () => {
  it('accepts an anonymous report with content', () => {
    expect(lib.validateReport(base)).toBeNull()
  })
  it('requires content', () => {
    expect(lib.validateReport({ ...base, content: '  ' })?.[0]).toBe('content')
  })
  it('counts characters as the server does (code points)', () => {
    expect(lib.charCount('𠮷野家')).toBe(3)
    expect(lib.validateReport({ ...base, content: '𠮷'.repeat(5000) })).toBeNull()
    expect(lib.validateReport({ ...base, content: '字'.repeat(5001) })?.[0]).toBe('content')
  })
  it('wants a contact when not anonymous, and a plausible phone', () => {
    expect(lib.validateReport({ ...base, anonymous: false })?.[0]).toBe('contact_phone')
    expect(lib.validateReport({ ...base, anonymous: false, contact_phone: '电话' })?.[0]).toBe('contact_phone')
    expect(lib.validateReport({ ...base, anonymous: false, contact_phone: '0418-1234567' })).toBeNull()
  })
  it('checks the region code', () => {
    expect(lib.validateReport({ ...base, region_code: '2109' })?.[0]).toBe('region_code')
  })
})

describe('reportBody', () => {
  it('never sends a contact with an anonymous report', () => {
    const b = lib.reportBody({ ...base, contact_name: '张三', contact_phone: '13900000000' })
    expect(b).toEqual({ kind: 'report', content: '某局长收受礼金', anonymous: true })
  })
  it('sends the filled fields of a named report', () => {
    const b = lib.reportBody({ ...base, anonymous: false, contact_phone: ' 13900000000 ', region_code: '210911', category: '民生资金' }, [
      { name: 'a.txt', mime: 'text/plain', data: 'aGk=' },
    ])
    expect(b).toEqual({
      kind: 'report',
      content: '某局长收受礼金',
      anonymous: false,
      region_code: '210911',
      category: '民生资金',
      contact_phone: '13900000000',
      attachments: [{ name: 'a.txt', mime: 'text/plain', data: 'aGk=' }],
    })
  })
})

describe('receipts and files', () => {
  it('normalises a typed receipt code', () => {
    expect(lib.normalizeReceipt(' jb7k2m-abcd efgh ')).toBe('JB7K2M-ABCDEFGH')
  })
  it('encodes bytes as base64, also past one chunk', () => {
    expect(lib.toBase64(new TextEncoder().encode('hi'))).toBe('aGk=')
    const big = new Uint8Array(70000).map((_, i) => i % 251)
    const back = Uint8Array.from(atob(lib.toBase64(big)), (c) => c.charCodeAt(0))
    expect(back).toEqual(big)
  })
})

describe('published information', () => {
  const insp = (name: string, code: string, item = '食品安全检查', org = '阜新市市场监督管理局'): PublicInspection => ({
    draw: 1,
    item,
    org,
    published_at: '2026-11-24 10:00:00',
    credit_code: code,
    name,
    result: '未发现问题',
    result_date: '2026-11-20',
    penalty_fen: 0,
    inspectors: ['王某', '李某'],
  })
  it('shows a penalty in yuan, none as a dash', () => {
    expect(lib.penaltyYuan(120050)).toBe('1,200.50')
    expect(lib.penaltyYuan(5)).toBe('0.05')
    expect(lib.penaltyYuan(0)).toBe('—')
    expect(lib.penaltyYuan(null)).toBe('—')
  })
  it('filters the shown inspections by company, code, item or organisation', () => {
    const list = [insp('阜新海博网络科技有限公司', '91210902M069YX8L80'), insp('阜新创荣商贸有限公司', '91210922M04JX4HP9N', '建筑工地检查', '住建局')]
    expect(lib.filterInspections(list, '海博').map((i) => i.name)).toEqual(['阜新海博网络科技有限公司'])
    expect(lib.filterInspections(list, 'm04jx').map((i) => i.name)).toEqual(['阜新创荣商贸有限公司'])
    expect(lib.filterInspections(list, '住建')).toHaveLength(1)
    expect(lib.filterInspections(list, ' ')).toHaveLength(2)
    expect(lib.filterInspections(list, '没有')).toEqual([])
  })
  it('guesses more pages from a full page', () => {
    expect(lib.hasMorePages(20, 20)).toBe(true)
    expect(lib.hasMorePages(7, 20)).toBe(false)
  })
  it('builds the enforcement query without empty filters', () => {
    expect(lib.enforcementQuery({ q: ' ', org: '', kind: '', year: '', page: 1, page_size: 20 })).toEqual({ page: 1, page_size: 20 })
    expect(lib.enforcementQuery({ q: ' 罚款 ', org: '市场监督管理局', kind: '处罚', year: '2025', page: 3, page_size: 20 })).toEqual({
      page: 3,
      page_size: 20,
      q: '罚款',
      org: '市场监督管理局',
      kind: '处罚',
      year: '2025',
    })
    expect(lib.enforcementQuery({ q: '', org: '', kind: '', year: '25', page: 0, page_size: 20 })).toEqual({ page: 1, page_size: 20 })
  })
  it('labels enforcement kinds, spelt short or long', () => {
    expect(lib.enforcementKindKey('处罚')).toBe('penalty')
    expect(lib.enforcementKindKey('行政强制')).toBe('coercion')
    expect(lib.enforcementKindKey('其他')).toBeNull()
    expect(lib.enforcementKindKey('')).toBeNull()
  })
  it('offers recent years and treats a missing list as empty', () => {
    expect(lib.recentYears(new Date(2026, 5, 1), 3)).toEqual(['2026', '2025', '2024'])
    expect(lib.emptyOnError(404)).toBe(true)
    expect(lib.emptyOnError(500)).toBe(false)
  })
})
