// The relationship graph as the API gives it (GET /api/leads/{id}/graph and
// GET /api/graph/ego), merged as the user expands nodes, and turned into an
// ECharts graph series.

export type NodeKind = 'person' | 'org' | 'address' | 'phone' | 'account' | 'device'

export interface GraphNode {
  id: string
  kind: NodeKind | string
  name: string
  key?: string
  post?: string
  depth?: number
}

export interface GraphEdge {
  source: string
  target: string
  kind: string
  label?: string
}

export interface GraphPath {
  text: string
  nodes?: (string | { id: string })[]
  edges?: (string | GraphEdge)[]
}

/** The node ids along a path (the server gives nodes as objects or as ids). */
export function pathNodeIds(p: GraphPath): string[] {
  return (p.nodes ?? []).map((n) => (typeof n === 'string' ? n : n.id))
}

export interface Graph {
  nodes: GraphNode[]
  edges: GraphEdge[]
}

export const NODE_KINDS: NodeKind[] = ['person', 'org', 'address', 'phone', 'account', 'device']

const KIND_COLORS: Record<string, string> = {
  person: '#c62828',
  org: '#1565c0',
  address: '#6a1b9a',
  phone: '#2e7d32',
  account: '#ef6c00',
  device: '#546e7a',
}

export function edgeKey(e: GraphEdge): string {
  return `${e.source}\u0000${e.target}\u0000${e.kind}`
}

/**
 * Adds `more` to `base` without duplicates (nodes by id, edges by source,
 * target and kind); the first version of a node wins so its place is kept.
 * Edges whose ends are missing are dropped: ECharts refuses them.
 */
export function mergeGraph(base: Graph, more: Graph): Graph {
  const nodes = [...base.nodes]
  const seen = new Set(nodes.map((n) => n.id))
  for (const n of more.nodes) {
    if (seen.has(n.id)) continue
    seen.add(n.id)
    nodes.push(n)
  }
  const edges: GraphEdge[] = []
  const seenEdges = new Set<string>()
  for (const e of [...base.edges, ...more.edges]) {
    const k = edgeKey(e)
    if (seenEdges.has(k) || !seen.has(e.source) || !seen.has(e.target)) continue
    seenEdges.add(k)
    edges.push(e)
  }
  return { nodes, edges }
}

/** Number of edges at each node. */
export function degrees(g: Graph): Map<string, number> {
  const d = new Map<string, number>()
  for (const e of g.edges) {
    d.set(e.source, (d.get(e.source) ?? 0) + 1)
    d.set(e.target, (d.get(e.target) ?? 0) + 1)
  }
  return d
}

/**
 * What to ask GET /api/graph/ego for when a node is expanded: its key (ID
 * number, credit code, phone, account) or its name; null when the key is
 * masked, since the server finds nodes only by what they really are.
 */
export function egoQuery(node: GraphNode): string | null {
  const k = node.key && node.key !== '' ? node.key : node.name
  return /\*{3,}/.test(k) ? null : k
}

export interface EchartsGraphOptions {
  kindLabel: (kind: string) => string
  highlight?: Set<string>
  expanded?: Set<string>
}

/** The ECharts option of a force-directed graph, one category per node kind. */
export function toEchartsOption(g: Graph, opt: EchartsGraphOptions): Record<string, unknown> {
  const deg = degrees(g)
  const kinds = NODE_KINDS.filter((k) => g.nodes.some((n) => n.kind === k))
  for (const n of g.nodes) if (!kinds.includes(n.kind as NodeKind)) kinds.push(n.kind as NodeKind)
  const categories = kinds.map((k) => ({
    name: opt.kindLabel(k),
    itemStyle: { color: KIND_COLORS[k] ?? '#757575' },
  }))
  return {
    tooltip: { confine: true },
    legend: [{ data: categories.map((c) => c.name), bottom: 0 }],
    animationDuration: 300,
    series: [
      {
        type: 'graph',
        layout: 'force',
        roam: true,
        draggable: true,
        categories,
        force: { repulsion: 380, edgeLength: [70, 170], gravity: 0.05 },
        label: { show: true, position: 'right', fontSize: 11 },
        // Labels on every edge only while few; otherwise on the hovered node's edges.
        edgeLabel: { show: g.edges.length <= 16, fontSize: 10, formatter: '{c}' },
        lineStyle: { color: 'source', opacity: 0.6, curveness: 0.1 },
        emphasis: { focus: 'adjacency', edgeLabel: { show: true } },
        edgeSymbol: ['none', 'arrow'],
        edgeSymbolSize: 6,
        data: g.nodes.map((n) => ({
          id: n.id,
          name: n.name,
          category: Math.max(0, kinds.indexOf(n.kind as NodeKind)),
          symbolSize: Math.min(44, 14 + 4 * (deg.get(n.id) ?? 0)),
          value: n.post ? `${opt.kindLabel(n.kind)} · ${n.post}` : opt.kindLabel(n.kind),
          itemStyle: opt.highlight?.has(n.id)
            ? { borderColor: '#ffd600', borderWidth: 3 }
            : opt.expanded?.has(n.id)
              ? { borderColor: '#333', borderWidth: 1 }
              : undefined,
        })),
        links: g.edges.map((e) => ({
          source: e.source,
          target: e.target,
          value: e.label ?? e.kind,
        })),
      },
    ],
  }
}
