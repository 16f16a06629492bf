// Shapes of the API's answers (docs/api.yaml) the pages read.

export interface Deadline {
  kind: 'disposal' | 'reply'
  due: string
  state: 'ok' | 'warning' | 'overdue'
  days_left: number
}

export interface Lead {
  id: string
  model: string
  model_name: string
  family: string
  score: number
  amount_fen: number
  amount_yuan: string
  subject: { dataset: string; key: string; name: string }
  summary: string
  detection: 'active' | 'resolved'
  status: string
  status_zh: string
  route: string | null
  outcome: string | null
  verdict: string | null
  assignee: string | null
  org: string | null
  region_code: string | null
  merged_into: string | null
  created_at: string
  updated_at: string
  closed_at: string | null
  deadline: Deadline | null
}

export interface Evidence {
  dataset: string
  dataset_zh: string
  key: string
  fields: Record<string, string>
  first_scan: number
}

export interface HistoryEntry {
  action: string
  actor: string
  at: string
  details: Record<string, unknown>
  from: string
  to: string
}

export interface Comment {
  id: number
  author: string
  text: string
  at: string
}

export interface Attachment {
  id: number
  name: string
  mime: string
  sha256: string
  size: number
  author: string
  at: string
}

export interface LeadDetail extends Lead {
  model_info: { name_zh: string; name_en: string; detects: string; basis: string }
  evidence: Evidence[]
  history: HistoryEntry[]
  comments: Comment[]
  attachments: Attachment[]
  merged_from: string[]
}
