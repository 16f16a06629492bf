// The signed-in user, shared by every page; and which optional APIs this
// server has (pages whose API is missing stay out of the menu).
import { reactive } from 'vue'
import { ApiError, get, post, setCsrf } from './api'

export interface User {
  name: string
  display_name: string
  role: string
  role_zh: string
  regions: string[]
  orgs: string[]
  rights: string[]
}

export interface Label {
  id: string
  zh: string
}

export interface Meta {
  statuses: Label[]
  routes: Label[]
  outcomes: Label[]
  verdicts: Label[]
  roles: { id: string; zh: string; rights: string[] }[]
  workflow: { disposal_days: number; reply_working_days: number; warn_days: number }
}

export interface Features {
  datasets: boolean
  scans: boolean
  reports: boolean
  graph: boolean
}

export const session = reactive({
  user: null as User | null,
  meta: null as Meta | null,
  features: { datasets: false, scans: false, reports: false, graph: false } as Features,
  checked: false,
})

export function can(right: string): boolean {
  return !!session.user && session.user.rights.includes(right)
}

/** Whether the server has a route: an unknown route answers 404 "no such endpoint". */
async function hasRoute(path: string): Promise<boolean> {
  try {
    await get(path, undefined, { quiet401: true })
    return true
  } catch (e) {
    return !(e instanceof ApiError && e.noRoute)
  }
}

export async function detectFeatures(): Promise<void> {
  const [datasets, scans, reports, graph] = await Promise.all([
    hasRoute('/api/datasets'),
    hasRoute('/api/scans/jobs/0'),
    hasRoute('/api/reports'),
    hasRoute('/api/graph/ego'),
  ])
  Object.assign(session.features, { datasets, scans, reports, graph })
}

async function afterSignIn(user: User, csrf: string): Promise<void> {
  setCsrf(csrf)
  session.user = user
  const [meta] = await Promise.all([get<Meta>('/api/meta'), detectFeatures()])
  session.meta = meta
}

/** Restores a session from the cookie, if any. */
export async function restore(): Promise<boolean> {
  if (session.checked) return session.user !== null
  try {
    const me = await get<{ user: User; csrf: string }>('/api/me', undefined, { quiet401: true })
    await afterSignIn(me.user, me.csrf)
  } catch {
    session.user = null
  }
  session.checked = true
  return session.user !== null
}

export async function login(name: string, password: string): Promise<void> {
  const r = await post<{ user: User; csrf: string }>('/api/login', { name, password }, { quiet401: true })
  await afterSignIn(r.user, r.csrf)
  session.checked = true
}

export async function logout(): Promise<void> {
  try {
    await post('/api/logout')
  } finally {
    session.user = null
    setCsrf('')
  }
}

export function statusLabel(id: string | null | undefined): string {
  if (!id) return '—'
  return session.meta?.statuses.find((s) => s.id === id)?.zh ?? id
}

export function metaLabel(kind: 'routes' | 'outcomes' | 'verdicts', id: string | null | undefined): string {
  if (!id) return '—'
  return session.meta?.[kind].find((s) => s.id === id)?.zh ?? id
}
