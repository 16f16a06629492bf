// Debian's Chromium driven by playwright-core (no browser download), and the
// demo accounts of a `qingfeng demo` database.
import { readFileSync } from 'node:fs'
import { chromium } from 'playwright-core'

export const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium'

export async function launch() {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  })
}

/** name → password from <db>.accounts.txt (tab-separated: name, password, description). */
export function accounts(file) {
  const out = {}
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    if (!line || line.startsWith('#')) continue
    const [name, password] = line.split('\t')
    if (name && password) out[name] = password
  }
  return out
}

/** A fresh browser context at 1366×768 in Chinese, Asia/Shanghai. */
export async function newPage(browser, base) {
  const context = await browser.newContext({
    baseURL: base,
    viewport: { width: 1366, height: 768 },
    locale: 'zh-CN',
    timezoneId: 'Asia/Shanghai',
    acceptDownloads: true,
  })
  const page = await context.newPage()
  return { context, page }
}

export async function login(page, name, password) {
  await page.goto('/login')
  await page.locator('input[data-test=login-name]').fill(name)
  await page.locator('input[data-test=login-password]').fill(password)
  await page.locator('[data-test=login-submit]').click()
  await page.waitForURL((u) => !u.pathname.startsWith('/login'))
}
