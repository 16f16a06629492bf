import { describe, expect, it } from 'vitest'
import { enMessages, zhMessages } from '../../src/i18n'

function keys(o: object, prefix = ''): string[] {
  return Object.entries(o).flatMap(([k, v]) => (v && typeof v === 'object' ? keys(v, `${prefix}${k}.`) : [`${prefix}${k}`]))
}

describe('messages', () => {
  it('has every Chinese message in English too, and no more', () => {
    expect(keys(enMessages).sort()).toEqual(keys(zhMessages).sort())
  })
  it('has no empty message', () => {
    for (const [name, m] of [['zh', zhMessages], ['en', enMessages]] as const) {
      for (const k of keys(m)) {
        const v = k.split('.').reduce<unknown>((o, p) => (o as Record<string, unknown>)[p], m)
        expect(v, `${name}:${k}`).not.toBe('')
      }
    }
  })
  it('labels every lead status, route, outcome and role the server knows', () => {
    expect(Object.keys(zhMessages.status).sort()).toEqual(['closed', 'concluded', 'held', 'in_progress', 'merged', 'pending', 'proposed'])
    expect(Object.keys(zhMessages.route).sort()).toEqual(['close_out', 'hold', 'preliminary_check', 'talk_inquiry'])
    expect(Object.keys(zhMessages.outcome).sort()).toEqual(['form1', 'form2', 'form3', 'form4', 'unfounded'])
    expect(Object.keys(zhMessages.role).sort()).toEqual(['admin', 'analyst', 'auditor', 'handler', 'leader'])
  })
})
