import { describe, expect, it } from 'vitest'
import { degrees, egoQuery, mergeGraph, pathNodeIds, toEchartsOption, type Graph } from '../../src/lib/graph'

const a: Graph = {
  nodes: [
    { id: 'p1', kind: 'person', name: '张某', key: '2109**********0017' },
    { id: 'o1', kind: 'org', name: '某建筑公司', key: '91210902MA0000001X' },
  ],
  edges: [{ source: 'p1', target: 'o1', kind: 'shareholder', label: '持股35%' }],
}

describe('mergeGraph', () => {
  it('adds new nodes and edges once', () => {
    const b: Graph = {
      nodes: [
        { id: 'o1', kind: 'org', name: '改名后', key: 'x' },
        { id: 'ph', kind: 'phone', name: '139****1234' },
      ],
      edges: [
        { source: 'p1', target: 'o1', kind: 'shareholder', label: '持股35%' },
        { source: 'o1', target: 'ph', kind: 'phone' },
      ],
    }
    const m = mergeGraph(a, b)
    expect(m.nodes.map((n) => n.id)).toEqual(['p1', 'o1', 'ph'])
    expect(m.nodes[1].name).toBe('某建筑公司') // the first version stays
    expect(m.edges).toHaveLength(2)
  })
  it('keeps parallel edges of different kinds and drops dangling ones', () => {
    const m = mergeGraph(a, {
      nodes: [],
      edges: [
        { source: 'p1', target: 'o1', kind: 'legal_rep' },
        { source: 'p1', target: 'ghost', kind: 'relative' },
      ],
    })
    expect(m.edges.map((e) => e.kind)).toEqual(['shareholder', 'legal_rep'])
  })
  it('does not change its inputs', () => {
    const before = JSON.stringify(a)
    mergeGraph(a, { nodes: [{ id: 'z', kind: 'device', name: 'IP' }], edges: [] })
    expect(JSON.stringify(a)).toBe(before)
  })
})

describe('graph helpers', () => {
  it('counts degrees', () => {
    const d = degrees(a)
    expect(d.get('p1')).toBe(1)
    expect(d.get('o1')).toBe(1)
  })
  it('expands a node by its key, or its name when it has none; not by a masked key', () => {
    expect(egoQuery(a.nodes[1])).toBe('91210902MA0000001X')
    expect(egoQuery({ id: 'x', kind: 'org', name: '阜新市民政局' })).toBe('阜新市民政局')
    expect(egoQuery(a.nodes[0])).toBeNull()
    expect(egoQuery({ id: 'p', kind: 'person', name: '张三', key: '210911198001010017' })).toBe('210911198001010017')
  })
  it('reads path nodes given as objects or ids', () => {
    expect(pathNodeIds({ text: '', nodes: [{ id: '3' }, '5'] })).toEqual(['3', '5'])
    expect(pathNodeIds({ text: '' })).toEqual([])
  })
  it('builds an ECharts graph series with one category per kind present', () => {
    const o = toEchartsOption(a, { kindLabel: (k) => `[${k}]`, highlight: new Set(['p1']) }) as {
      series: { categories: { name: string }[]; data: { id: string; category: number; itemStyle?: object }[]; links: { value: string }[] }[]
    }
    const s = o.series[0]
    expect(s.categories.map((c) => c.name)).toEqual(['[person]', '[org]'])
    expect(s.data.map((d) => d.category)).toEqual([0, 1])
    expect(s.data[0].itemStyle).toBeDefined()
    expect(s.data[1].itemStyle).toBeUndefined()
    expect(s.links[0].value).toBe('持股35%')
  })
})
