// Chinese titles of datasets and columns, from GET /api/datasets (the data
// contract), fetched once; column names stand in until it answers.
import { reactive } from 'vue'
import { get } from './api'
import { session } from './session'

export interface ColumnInfo {
  name: string
  type?: string
  required?: boolean
  aliases?: string[]
  zh?: string
  title_zh?: string
}

export interface DatasetInfo {
  name: string
  title_zh?: string
  title_en?: string
  zh?: string
  en?: string
  columns: ColumnInfo[]
  rows?: number
  quarantined?: number
  last_import?: Record<string, unknown> | null
}

const cache = reactive({ loaded: false, byName: {} as Record<string, DatasetInfo> })
let pending: Promise<void> | null = null

export function loadDatasets(force = false): Promise<void> {
  if (!session.features.datasets) return Promise.resolve()
  if (pending && !force) return pending
  pending = get<{ datasets: DatasetInfo[] }>('/api/datasets')
    .then((r) => {
      cache.byName = Object.fromEntries(r.datasets.map((d) => [d.name, d]))
      cache.loaded = true
    })
    .catch(() => {
      pending = null
    })
  return pending
}

/** A column's Chinese name: its declared title, else its first Chinese alias, else its name. */
export function columnTitle(c: ColumnInfo): string {
  return c.zh ?? c.title_zh ?? c.aliases?.[0] ?? c.name
}

export function columnLabel(dataset: string, column: string, locale: string): string {
  if (!locale.startsWith('zh')) return column
  const c = cache.byName[dataset]?.columns.find((x) => x.name === column)
  return c ? columnTitle(c) : column
}

export function datasetTitle(d: DatasetInfo, locale: string): string {
  return (locale.startsWith('zh') ? (d.title_zh ?? d.zh) : (d.title_en ?? d.en)) ?? d.name
}
