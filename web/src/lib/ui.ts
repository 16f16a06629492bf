// What the console's pages share around the API: the error in the user's
// language, a form's problem, a load with its spinner and error, a paged list
// that reloads on its filters, a form submit (validate → busy → post → the
// server's field), a confirm-then-act step and copying to the clipboard.
import { reactive, ref, toRef, watch, type Ref, type WatchSource } from 'vue'
import { useI18n } from 'vue-i18n'
import { useRoute, useRouter } from 'vue-router'
import { ElMessage, ElMessageBox } from 'element-plus'
import { ApiError } from './api'

/** A form problem from a lib's validate*: [field, Chinese, English]. */
export type FormProblem = [string, string, string]

/** An error as the user reads it: the server's message in their language. */
export function errorText(e: unknown, locale: string): string {
  return e instanceof ApiError ? e.text(locale) : String(e)
}
/** The form field the server named in its refusal, or ''. */
export function errorField(e: unknown): string {
  return e instanceof ApiError ? (e.field ?? '') : ''
}
export function problemText(p: FormProblem, locale: string): string {
  return locale === 'en' ? p[2] : p[1]
}

/** The state a form dialog keeps besides its fields. */
export interface FormState {
  error: string
  field: string
  busy: boolean
}

/** The state of a form whose lib checks it field by field (errors: field → message). */
export interface CheckedFormState {
  error: string
  busy: boolean
  errors?: Record<string, string>
}

/** One page of a list as the API answers it. */
export interface Paged<T> {
  items: T[]
  total: number
}

/** Today's date in Shanghai, YYYY-MM-DD. */
export function shanghaiToday(now = Date.now()): string {
  return new Date(now + 8 * 3600 * 1000).toISOString().slice(0, 10)
}

/** A plain-http fallback of the clipboard: a hidden selection copied. */
async function writeClipboard(text: string): Promise<void> {
  try {
    await navigator.clipboard.writeText(text)
  } catch {
    const ta = document.createElement('textarea')
    ta.value = text
    ta.setAttribute('readonly', '')
    ta.style.position = 'fixed'
    ta.style.opacity = '0'
    document.body.appendChild(ta)
    ta.select()
    document.execCommand('copy')
    document.body.removeChild(ta)
  }
}

/** The page helpers bound to the current locale and route; call in setup. */
export function usePage() {
  const { t, locale } = useI18n()
  const route = useRoute()
  const router = useRouter()
  const errText = (e: unknown) => errorText(e, locale.value)

  /**
   * Runs fn with loading on and error cleared; a failure fills error, unless
   * onError answers true (it dealt with the failure itself).
   */
  function useLoader() {
    const loading = ref(false)
    const error = ref('')
    async function run(fn: () => Promise<void>, onError?: (e: unknown) => unknown): Promise<boolean> {
      loading.value = true
      error.value = ''
      try {
        await fn()
        return true
      } catch (e) {
        if (onError?.(e) !== true) error.value = errText(e)
        return false
      } finally {
        loading.value = false
      }
    }
    return reactive({ loading, error, run })
  }

  /**
   * A server-paged list: fetch(page) answers one page; a change of the
   * filters goes back to page 1, a change of page loads it.
   */
  function usePagedList<T>(fetch: (page: number) => Promise<Paged<T>>, filters?: WatchSource | object) {
    const items = ref([]) as Ref<T[]>
    const total = ref(0)
    const page = ref(1)
    const loader = useLoader()
    const load = () =>
      loader.run(async () => {
        const a = await fetch(page.value)
        items.value = a.items
        total.value = a.total
      })
    if (filters)
      watch(filters as WatchSource, () => {
        if (page.value === 1) void load()
        else page.value = 1
      }, { deep: true })
    watch(page, () => void load())
    return reactive({ items, total, page, loading: toRef(loader, 'loading'), error: toRef(loader, 'error'), load })
  }

  /** A form submit: the lib's problem shown at its field, else busy around action; a refusal names its field. */
  async function submitForm(s: FormState, problem: FormProblem | null, action: () => Promise<void>): Promise<void> {
    if (problem) {
      s.field = problem[0]
      s.error = problemText(problem, locale.value)
      return
    }
    s.busy = true
    s.error = ''
    s.field = ''
    try {
      await action()
    } catch (e) {
      s.error = errText(e)
      s.field = errorField(e)
    } finally {
      s.busy = false
    }
  }

  /**
   * A submit for a form checked field by field: the lib's errors shown at
   * their fields, else busy around action; a refusal marks its field.
   */
  async function submitChecked(s: CheckedFormState, errors: Record<string, string>, action: () => Promise<void>): Promise<void> {
    if (s.errors !== undefined) s.errors = errors
    if (Object.keys(errors).length) return
    s.busy = true
    s.error = ''
    try {
      await action()
    } catch (e) {
      const field = errorField(e)
      if (field && s.errors !== undefined) s.errors = { [field]: '' }
      s.error = errText(e)
    } finally {
      s.busy = false
    }
  }

  /** Asks first; false when the user cancels. */
  async function confirmed(message: string, title: string): Promise<boolean> {
    try {
      await ElMessageBox.confirm(message, title, { type: 'warning', confirmButtonText: t('common.confirm'), cancelButtonText: t('common.cancel') })
      return true
    } catch {
      return false
    }
  }

  /** Confirm, then act; a failure of the act is shown as a message. */
  async function confirmThen(message: string, title: string, action: () => Promise<void>): Promise<void> {
    if (!(await confirmed(message, title))) return
    try {
      await action()
    } catch (e) {
      ElMessage.error(errText(e))
    }
  }

  async function copy(text: string): Promise<void> {
    await writeClipboard(text)
    ElMessage.success(t('common.copied'))
  }

  return { t, locale, route, router, errText, problemText: (p: FormProblem) => problemText(p, locale.value), useLoader, usePagedList, submitForm, submitChecked, confirmed, confirmThen, copy }
}
