// Background jobs of the server (imports, fixes, scans): upload with progress,
// then follow GET …/jobs/{job} until it is done or failed.
import { ApiError, get, toApiError } from './api'

export interface Job<R = unknown> {
  job: number
  kind: string
  state: 'queued' | 'running' | 'done' | 'failed' | string
  user: string
  created_at: string
  started_at: string | null
  finished_at: string | null
  progress: { rows_read?: number; bytes_read?: number; bytes_total?: number; percent?: number; [k: string]: unknown }
  result?: R
  error?: { code: string; message: string; message_en: string }
  [k: string]: unknown
}

export function finished(j: Job): boolean {
  return j.state === 'done' || j.state === 'failed'
}

/** Percent 0..100 of a job, from its progress or its state. */
export function jobPercent(j: Job | null): number {
  if (!j) return 0
  if (j.state === 'done') return 100
  const p = j.progress?.percent
  if (typeof p === 'number' && Number.isFinite(p)) return Math.max(0, Math.min(100, Math.round(p * 10) / 10))
  const read = j.progress?.bytes_read
  const total = j.progress?.bytes_total
  if (typeof read === 'number' && typeof total === 'number' && total > 0) {
    return Math.max(0, Math.min(100, Math.round((read / total) * 1000) / 10))
  }
  return 0
}

/** Follows a job until it ends, calling `onUpdate` with each state seen. */
export async function followJob<R>(
  path: string,
  onUpdate: (j: Job<R>) => void,
  opt: { intervalMs?: number; signal?: AbortSignal } = {},
): Promise<Job<R>> {
  const interval = opt.intervalMs ?? 500
  for (;;) {
    const j = await get<Job<R>>(path, undefined, { signal: opt.signal })
    onUpdate(j)
    if (finished(j)) return j
    await new Promise((r) => setTimeout(r, interval))
    if (opt.signal?.aborted) throw new DOMException('aborted', 'AbortError')
  }
}

/**
 * Sends a file as the raw request body with upload progress (fetch has none),
 * CSRF token included; resolves with the JSON answer.
 */
export function uploadFile<T>(url: string, file: Blob, csrf: string, onProgress: (fraction: number) => void): Promise<T> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest()
    xhr.open('POST', url)
    xhr.setRequestHeader('Content-Type', file.type || 'application/octet-stream')
    xhr.setRequestHeader('X-CSRF-Token', csrf)
    xhr.setRequestHeader('Accept', 'application/json')
    xhr.upload.onprogress = (e) => {
      if (e.lengthComputable && e.total > 0) onProgress(e.loaded / e.total)
    }
    xhr.onerror = () => reject(new ApiError(0, 'network', '网络错误，上传失败', 'network error; the upload failed'))
    xhr.onload = async () => {
      const res = new Response(xhr.responseText, {
        status: xhr.status,
        headers: { 'Content-Type': xhr.getResponseHeader('Content-Type') ?? 'application/json' },
      })
      if (xhr.status >= 200 && xhr.status < 300) {
        try {
          resolve(JSON.parse(xhr.responseText) as T)
        } catch {
          reject(new ApiError(xhr.status, 'bad_json', '服务器返回无效数据', 'invalid answer'))
        }
      } else {
        reject(await toApiError(res))
      }
    }
    xhr.send(file)
  })
}
