// Which workflow actions a user may take on a lead now: the state machine of
// src/leads/workflow.h and the rights of src/server/access.h, so the detail
// page offers only buttons that the server will accept.

export type Action =
  | 'propose'
  | 'approve'
  | 'reject'
  | 'outcome'
  | 'close'
  | 'reopen'
  | 'assign'
  | 'verdict'
  | 'comment'
  | 'merge'

export const RIGHT_FOR: Record<Action, string> = {
  propose: 'propose',
  approve: 'approve',
  reject: 'approve',
  reopen: 'approve',
  close: 'approve',
  outcome: 'process',
  assign: 'assign',
  verdict: 'verdict',
  merge: 'merge',
  comment: 'comment',
}

const BY_STATUS: Record<string, Action[]> = {
  pending: ['propose', 'assign', 'verdict', 'merge'],
  proposed: ['approve', 'reject', 'assign', 'verdict', 'merge'],
  in_progress: ['outcome', 'assign', 'verdict', 'merge'],
  held: ['reopen', 'assign', 'verdict', 'merge'],
  concluded: ['close', 'verdict', 'assign'],
  closed: ['reopen', 'verdict'],
  merged: [],
}

export interface Actor {
  name: string
  role: string
  rights: string[]
}

/** The actions (besides comments) the user may take on a lead in its present status. */
export function availableActions(lead: { status: string; assignee: string | null }, user: Actor | null): Action[] {
  if (!user) return []
  const out = (BY_STATUS[lead.status] ?? []).filter((a) => user.rights.includes(RIGHT_FOR[a]))
  // A handler records outcomes only on leads assigned to them.
  if (user.role === 'handler' && lead.assignee !== user.name) return out.filter((a) => a !== 'outcome')
  return out
}

/** Fields an action needs, for the form and for checking before sending. */
export function requiredFields(action: Action): string[] {
  switch (action) {
    case 'propose':
      return ['route']
    case 'outcome':
      return ['outcome']
    case 'verdict':
      return ['verdict']
    case 'assign':
      return ['assignee']
    case 'merge':
      return ['into']
    case 'reject':
    case 'reopen':
    case 'comment':
      return ['text']
    default:
      return []
  }
}

/** The request body for POST /api/leads/{id}/actions; null with the missing field. */
export function buildCommand(
  action: Action,
  form: { route?: string; outcome?: string; verdict?: string; assignee?: string; into?: string; text?: string },
): { body: Record<string, string> | null; missing?: string } {
  const body: Record<string, string> = { action }
  for (const f of requiredFields(action)) {
    const v = (form[f as keyof typeof form] ?? '').trim()
    if (!v && !(action === 'assign' && f === 'assignee')) return { body: null, missing: f }
    body[f] = v
  }
  const text = (form.text ?? '').trim()
  if (text) body.text = text
  return { body }
}

/** "user:analyst" → "analyst"; "os:root" stays. */
export function actorName(actor: string): string {
  return actor.startsWith('user:') ? actor.slice(5) : actor
}
