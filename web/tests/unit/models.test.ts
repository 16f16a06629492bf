import { describe, expect, it } from 'vitest'
import { paramsToValues, sqlParameters } from '../../src/lib/models'
import { finished, jobPercent, type Job } from '../../src/lib/jobs'

describe('SQL model helpers', () => {
  it('finds :named parameters outside quoted text', () => {
    expect(sqlParameters("SELECT a FROM t WHERE x >= :min_yuan * 100 AND y = ':not' AND z < :max AND w = :min_yuan")).toEqual([
      'min_yuan',
      'max',
    ])
    expect(sqlParameters("SELECT '10:30' AS t, a::text FROM x")).toEqual([])
  })
  it('sends only declared, typed test values', () => {
    const params = [
      { name: 'min_yuan', default: '5000', zh: '', en: '' },
      { name: 'days', default: '3', zh: '', en: '' },
    ]
    expect(paramsToValues(params, { min_yuan: ' 8000 ', days: '', other: '1' })).toEqual({ min_yuan: '8000' })
  })
})

describe('jobs', () => {
  const job = (over: Partial<Job>): Job => ({
    job: 1,
    kind: 'import',
    state: 'running',
    user: 'analyst',
    created_at: '',
    started_at: null,
    finished_at: null,
    progress: {},
    ...over,
  })
  it('reports progress from percent, else from bytes', () => {
    expect(jobPercent(job({ progress: { percent: 42.25 } }))).toBe(42.3)
    expect(jobPercent(job({ progress: { bytes_read: 50, bytes_total: 200 } }))).toBe(25)
    expect(jobPercent(job({ progress: {} }))).toBe(0)
    expect(jobPercent(job({ state: 'done', progress: {} }))).toBe(100)
    expect(jobPercent(null)).toBe(0)
  })
  it('knows when a job has ended', () => {
    expect(finished(job({ state: 'running' }))).toBe(false)
    expect(finished(job({ state: 'failed' }))).toBe(true)
  })
})
