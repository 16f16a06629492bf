// One way to call the JSON API: the session cookie travels by itself, the CSRF
// token from the login answer goes in X-CSRF-Token on every other method, and
// errors become ApiError with the server's Chinese and English messages.
import { toSearch } from './leadQuery'

export class ApiError extends Error {
  constructor(
    public status: number,
    public code: string,
    public messageZh: string,
    public messageEn: string,
    public field?: string,
  ) {
    super(messageEn || messageZh || `HTTP ${status}`)
  }
  /** The message in the user's language. */
  text(locale: string): string {
    return (locale.startsWith('zh') ? this.messageZh : this.messageEn) || this.messageZh || this.message
  }
  /** The server has no such route (an API that this build does not have). */
  get noRoute(): boolean {
    return this.status === 404 && this.messageEn.startsWith('no such endpoint')
  }
}

let csrfToken = ''
let onUnauthenticated: (() => void) | null = null

export function setCsrf(token: string): void {
  csrfToken = token
}

export function setUnauthenticatedHandler(fn: () => void): void {
  onUnauthenticated = fn
}

export interface CallOptions {
  query?: Record<string, string | number | boolean | undefined | null>
  body?: unknown
  /** Raw request body (uploads), sent with the file's own type. */
  raw?: Blob | ArrayBuffer
  /** Do not run the sign-in redirect on 401 (the login page itself, the portal). */
  quiet401?: boolean
  signal?: AbortSignal
}

export async function toApiError(res: Response): Promise<ApiError> {
  let j: { error?: string; message?: string; message_en?: string; field?: string } = {}
  try {
    j = await res.json()
  } catch {
    // not JSON (a proxy's page): keep the status only
  }
  return new ApiError(
    res.status,
    j.error ?? 'http_error',
    j.message ?? `请求失败（HTTP ${res.status}）`,
    j.message_en ?? `request failed (HTTP ${res.status})`,
    j.field,
  )
}

export async function call<T = unknown>(method: string, path: string, opt: CallOptions = {}): Promise<T> {
  const headers: Record<string, string> = { Accept: 'application/json' }
  let body: BodyInit | undefined
  if (opt.raw !== undefined) {
    body = opt.raw
    headers['Content-Type'] = (opt.raw instanceof Blob && opt.raw.type) || 'application/octet-stream'
  } else if (opt.body !== undefined) {
    body = JSON.stringify(opt.body)
    headers['Content-Type'] = 'application/json'
  }
  if (method !== 'GET' && method !== 'HEAD' && csrfToken) headers['X-CSRF-Token'] = csrfToken
  const res = await fetch(path + toSearch(opt.query ?? {}), {
    method,
    headers,
    body,
    credentials: 'same-origin',
    signal: opt.signal,
  })
  if (!res.ok) {
    const err = await toApiError(res)
    if (res.status === 401 && !opt.quiet401 && onUnauthenticated) onUnauthenticated()
    throw err
  }
  if (res.status === 204) return undefined as T
  const type = res.headers.get('Content-Type') ?? ''
  if (type.includes('application/json')) return (await res.json()) as T
  return (await res.text()) as unknown as T
}

export const get = <T = unknown>(path: string, query?: CallOptions['query'], opt: CallOptions = {}) =>
  call<T>('GET', path, { ...opt, query })
export const post = <T = unknown>(path: string, body?: unknown, opt: CallOptions = {}) =>
  call<T>('POST', path, { ...opt, body })
export const patch = <T = unknown>(path: string, body?: unknown) => call<T>('PATCH', path, { body })
export const del = <T = unknown>(path: string) => call<T>('DELETE', path)

/** A URL for a file the browser downloads itself (XLSX exports, attachments). */
export function href(path: string, query: CallOptions['query'] = {}): string {
  return path + toSearch(query)
}

/** The CSRF token, for requests made without `call` (uploads with progress). */
export function csrf(): string {
  return csrfToken
}
