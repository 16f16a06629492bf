import { describe, expect, it } from 'vitest'
import { defaultFilters, filtersFromQuery, filtersToQuery, sortFromTable, tableSort, toSearch } from '../../src/lib/leadQuery'

describe('lead filters', () => {
  it('leaves defaults out of the query', () => {
    expect(filtersToQuery(defaultFilters())).toEqual({})
  })
  it('round-trips through the page URL', () => {
    const f = defaultFilters()
    f.q = ' 低保 '
    f.family = ['welfare', 'funds']
    f.status = ['pending']
    f.region = ['210911']
    f.verdict = 'none'
    f.deadline = 'overdue'
    f.min_score = 80
    f.sort = 'amount'
    f.order = 'asc'
    f.page = 3
    f.page_size = 50
    const q = filtersToQuery(f)
    expect(q).toEqual({
      q: '低保',
      family: 'welfare,funds',
      status: 'pending',
      region: '210911',
      verdict: 'none',
      deadline: 'overdue',
      min_score: '80',
      sort: 'amount',
      order: 'asc',
      page: '3',
      page_size: '50',
    })
    expect(filtersFromQuery(q)).toEqual({ ...f, q: '低保' })
  })
  it('ignores malformed or unknown values from a hand-edited URL', () => {
    const f = filtersFromQuery({
      region: '2109,210911,abc',
      verdict: 'maybe',
      sort: 'name',
      order: 'sideways',
      page: '-2',
      page_size: '33',
      min_score: '101',
      family: ['procurement', 'x'],
    })
    expect(f.region).toEqual(['210911'])
    expect(f.verdict).toBe('')
    expect(f.sort).toBe('score')
    expect(f.order).toBe('desc')
    expect(f.page).toBe(1)
    expect(f.page_size).toBe(20)
    expect(f.min_score).toBeNull()
    expect(f.family).toEqual(['procurement'])
  })
  it('maps table sorting to the API and back', () => {
    expect(sortFromTable('amount_fen', 'ascending')).toEqual({ sort: 'amount', order: 'asc' })
    expect(sortFromTable('created_at', 'descending')).toEqual({ sort: 'created', order: 'desc' })
    expect(sortFromTable('summary', 'ascending')).toEqual({ sort: 'score', order: 'desc' })
    expect(sortFromTable(null, null)).toEqual({ sort: 'score', order: 'desc' })
    expect(tableSort({ ...defaultFilters(), sort: 'amount', order: 'asc' })).toEqual({ prop: 'amount_fen', order: 'ascending' })
  })
  it('builds search strings without empty values', () => {
    expect(toSearch({})).toBe('')
    expect(toSearch({ a: 1, b: '', c: undefined, d: null, e: 'x y' })).toBe('?a=1&e=x+y')
    expect(toSearch({ unmask: 1, key: '2109|a' })).toBe('?unmask=1&key=2109%7Ca')
  })
})
