/**
 * Drives the demo page in headless Chromium (Debian's chromium + playwright-core): log in, see the profile, edit the
 * stored token, see the refusal, log out. Skipped, saying so plainly, where Chromium is not installed; `.ci/run`
 * installs it.
 */
import assert from 'node:assert/strict'
import { existsSync } from 'node:fs'
import { after, before, test } from 'node:test'
import { type Browser, chromium, type Page } from 'playwright-core'
import { type Demo, startDemo } from '../../examples/server.js'
import { sign } from '../../src/index.js'

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'
const haveChromium = existsSync(CHROMIUM)
if (!haveChromium) console.log(`# browser test skipped: no Chromium at ${CHROMIUM} (apt-get install chromium)`)

let demo: Demo
let browser: Browser

before(async () => {
  if (!haveChromium) return
  demo = await startDemo({ port: 0 })
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  })
})

after(async () => {
  await browser?.close()
  await demo?.close()
})

async function message(page: Page): Promise<string> {
  return (await page.textContent('#message')) ?? ''
}

test('log in, see the profile, edit the token, see the refusal, log out', {
  skip: !haveChromium && 'no Chromium',
}, async () => {
  const page = await browser.newPage()
  await page.goto(demo.url)

  await page.fill('#username', 'ada')
  await page.fill('#password', 'wrong')
  await page.click('#login-button')
  await page.waitForFunction(() => document.querySelector('#message')?.textContent?.includes('Login failed'))
  assert.match(await message(page), /Login failed \(401\)/)

  await page.fill('#password', 'lovelace')
  await page.click('#login-button')
  await page.waitForFunction(() => document.querySelector('#message')?.textContent?.includes('Signed in'))
  assert.equal(await message(page), 'Signed in as Ada Lovelace.')
  assert.match((await page.textContent('#profile')) ?? '', /^200 /)
  assert.match((await page.textContent('#claims')) ?? '', /"name": "Ada Lovelace"/)
  assert.match((await page.textContent('#countdown')) ?? '', /Expires in 1[45]m/)
  const stored = await page.evaluate(() => localStorage.getItem('jwt-codec-demo-token'))
  assert.equal(typeof stored, 'string')
  assert.equal(stored?.split('.').length, 3)

  await page.click('#tamper')
  await page.waitForFunction(() => document.querySelector('#message')?.textContent?.startsWith('Refused'))
  assert.match(await message(page), /Refused \(401\)/)
  assert.match((await page.textContent('#claims')) ?? '', /Mallory/)

  const expired = sign({ sub: '1', name: 'Ada Lovelace' }, demo.secret, {
    issuer: 'jwt-codec-demo',
    now: 1_000_000,
    expiresIn: '15m',
  })
  await page.fill('#token', expired)
  await page.click('#save-token')
  await page.waitForFunction(() => document.querySelector('#countdown')?.textContent?.startsWith('Expired'))
  await page.waitForFunction(() => document.querySelector('#message')?.textContent?.startsWith('Refused'))
  assert.match(await message(page), /Refused \(401\).*expired/)

  await page.click('#logout')
  assert.equal(await message(page), 'Logged out.')
  assert.equal(await page.evaluate(() => localStorage.getItem('jwt-codec-demo-token')), null)
  assert.equal(await page.isVisible('#login-form'), true)
  await page.close()
})
