import { describe, expect, it } from 'vitest'
import {
  axisYuan,
  deadlineTagType,
  formatBytes,
  formatRate,
  formatShanghai,
  formatYuan,
  formatYuanCompact,
  isMasked,
  parseYuan,
  regionName,
  shortTime,
} from '../../src/lib/format'

describe('formatYuan', () => {
  it('shows fen as yuan with thousands separators', () => {
    expect(formatYuan(0)).toBe('0.00')
    expect(formatYuan(5)).toBe('0.05')
    expect(formatYuan(120000)).toBe('1,200.00')
    expect(formatYuan(2880000)).toBe('28,800.00')
    expect(formatYuan(22010185109)).toBe('220,101,851.09')
    expect(formatYuan(-123456)).toBe('-1,234.56')
  })
  it('is exact beyond float precision of yuan', () => {
    // 2^53 - 1 fen: dividing by 100 as a float would round the cents.
    expect(formatYuan(9007199254740991)).toBe('90,071,992,547,409.91')
  })
  it('shows a dash for missing values', () => {
    expect(formatYuan(null)).toBe('—')
    expect(formatYuan(undefined)).toBe('—')
    expect(formatYuan(Number.NaN)).toBe('—')
  })
  it('agrees with the server formatting of amount_yuan', () => {
    expect(formatYuan(400620000)).toBe('4,006,200.00')
    expect(formatYuan(1328600)).toBe('13,286.00')
  })
})

describe('formatYuanCompact', () => {
  it('uses 万 and 亿 in Chinese', () => {
    expect(formatYuanCompact(22010185109, 'zh-CN')).toBe('2.20亿')
    expect(formatYuanCompact(3993365, 'zh-CN')).toBe('3.99万')
    expect(formatYuanCompact(999, 'zh-CN')).toBe('9.99')
    expect(formatYuanCompact(30000000000, 'zh-CN', 0)).toBe('3亿')
  })
  it('uses K, M and B in English', () => {
    expect(formatYuanCompact(22010185109, 'en')).toBe('220.10M')
    expect(formatYuanCompact(150000, 'en')).toBe('1.50K')
    expect(formatYuanCompact(300000000000, 'en')).toBe('3.00B')
  })
})

describe('axisYuan', () => {
  it('keeps one decimal only when it says something', () => {
    expect(axisYuan(3000000000, 'zh-CN')).toBe('3000万')
    expect(axisYuan(30000000000, 'zh-CN')).toBe('3亿')
    expect(axisYuan(12000000000, 'zh-CN')).toBe('1.2亿')
    expect(axisYuan(10000000000, 'zh-CN')).toBe('1亿')
    expect(axisYuan(0, 'zh-CN')).toBe('0')
    expect(axisYuan(150000000, 'en')).toBe('1.5M')
  })
})

describe('parseYuan', () => {
  it('reads typed amounts into fen', () => {
    expect(parseYuan('1,234.5')).toBe(123450)
    expect(parseYuan(' 200000 ')).toBe(20000000)
    expect(parseYuan('0.07')).toBe(7)
    expect(parseYuan('-3')).toBe(-300)
    expect(parseYuan('１2')).toBeNull()
    expect(parseYuan('1.234')).toBeNull()
    expect(parseYuan('abc')).toBeNull()
    expect(parseYuan('')).toBeNull()
  })
})

describe('dates', () => {
  it('formats a moment as Asia/Shanghai local time whatever the machine zone', () => {
    expect(formatShanghai(Date.UTC(2026, 10, 23, 17, 59, 36))).toBe('2026-11-24 01:59:36')
    expect(formatShanghai(new Date('2024-02-29T16:00:00Z'))).toBe('2024-03-01 00:00:00')
  })
  it('shortens API times to minutes', () => {
    expect(shortTime('2026-11-24 01:59:36')).toBe('2026-11-24 01:59')
    expect(shortTime(null)).toBe('—')
  })
})

describe('labels', () => {
  it('names regions by GB/T 2260 code, falling back to the code', () => {
    expect(regionName('210911')).toBe('细河区')
    expect(regionName('210911', 'en')).toBe('Xihe')
    expect(regionName('110101')).toBe('110101')
    expect(regionName(null)).toBe('未归属')
  })
  it('maps deadline states to tag colours', () => {
    expect(deadlineTagType('overdue')).toBe('danger')
    expect(deadlineTagType('warning')).toBe('warning')
    expect(deadlineTagType('ok')).toBe('success')
    expect(deadlineTagType(undefined)).toBe('info')
  })
  it('formats rates and sizes', () => {
    expect(formatRate(0.625)).toBe('62.5%')
    expect(formatRate(null)).toBe('—')
    expect(formatBytes(512)).toBe('512 B')
    expect(formatBytes(1536)).toBe('1.5 KB')
    expect(formatBytes(5 * 1024 * 1024)).toBe('5.0 MB')
  })
  it('recognises values the server masked', () => {
    expect(isMasked('2109**********0017')).toBe(true)
    expect(isMasked('139****1234')).toBe(true)
    expect(isMasked('***')).toBe(true)
    expect(isMasked('210911198001010017')).toBe(false)
    expect(isMasked('a*b')).toBe(false)
  })
})
