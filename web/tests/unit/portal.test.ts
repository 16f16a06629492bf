import { describe, expect, it } from 'vitest'
import { charCount, normalizeReceipt, reportBody, toBase64, validateReport, type ReportForm } from '../../src/lib/portal'

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
    expect(validateReport(base)).toBeNull()
  })
  it('requires content', () => {
    expect(validateReport({ ...base, content: '  ' })?.[0]).toBe('content')
  })
  it('counts characters as the server does (code points)', () => {
    expect(charCount('𠮷野家')).toBe(3)
    expect(validateReport({ ...base, content: '𠮷'.repeat(5000) })).toBeNull()
    expect(validateReport({ ...base, content: '字'.repeat(5001) })?.[0]).toBe('content')
  })
  it('wants a contact when not anonymous, and a plausible phone', () => {
    expect(validateReport({ ...base, anonymous: false })?.[0]).toBe('contact_phone')
    expect(validateReport({ ...base, anonymous: false, contact_phone: '电话' })?.[0]).toBe('contact_phone')
    expect(validateReport({ ...base, anonymous: false, contact_phone: '0418-1234567' })).toBeNull()
  })
  it('checks the region code', () => {
    expect(validateReport({ ...base, region_code: '2109' })?.[0]).toBe('region_code')
  })
})

describe('reportBody', () => {
  it('never sends a contact with an anonymous report', () => {
    const b = reportBody({ ...base, contact_name: '张三', contact_phone: '13900000000' })
    expect(b).toEqual({ kind: 'report', content: '某局长收受礼金', anonymous: true })
  })
  it('sends the filled fields of a named report', () => {
    const b = reportBody({ ...base, anonymous: false, contact_phone: ' 13900000000 ', region_code: '210911', category: '民生资金' }, [
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
    expect(normalizeReceipt(' jb7k2m-abcd efgh ')).toBe('JB7K2M-ABCDEFGH')
  })
  it('encodes bytes as base64, also past one chunk', () => {
    expect(toBase64(new TextEncoder().encode('hi'))).toBe('aGk=')
    const big = new Uint8Array(70000).map((_, i) => i % 251)
    const back = Uint8Array.from(atob(toBase64(big)), (c) => c.charCodeAt(0))
    expect(back).toEqual(big)
  })
})
