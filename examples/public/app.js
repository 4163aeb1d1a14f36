// The demo's browser side: no framework, no build step.
const KEY = 'jwt-codec-demo-token'
const $ = (id) => document.getElementById(id)
let timer

function decodePart(part) {
  // base64url -> UTF-8 text -> JSON. For display only: the browser never trusts these claims.
  const b64 = part.replace(/-/g, '+').replace(/_/g, '/')
  const bytes = Uint8Array.from(atob(b64 + '='.repeat((4 - (b64.length % 4)) % 4)), (c) => c.charCodeAt(0))
  return JSON.parse(new TextDecoder().decode(bytes))
}

function encodePart(value) {
  const bytes = new TextEncoder().encode(JSON.stringify(value))
  return btoa(String.fromCharCode(...bytes))
    .replace(/\+/g, '-')
    .replace(/\//g, '_')
    .replace(/=+$/, '')
}

function say(text, kind) {
  $('message').textContent = text
  $('message').className = kind
}

function showCountdown(exp) {
  clearInterval(timer)
  const tick = () => {
    const left = exp - Math.floor(Date.now() / 1000)
    if (left > 0) {
      $('countdown').textContent = `Expires in ${Math.floor(left / 60)}m ${String(left % 60).padStart(2, '0')}s`
      $('countdown').className = ''
    } else {
      $('countdown').textContent = 'Expired: the server will refuse this token.'
      $('countdown').className = 'expired'
      clearInterval(timer)
    }
  }
  tick()
  timer = setInterval(tick, 1000)
}

function render() {
  const token = localStorage.getItem(KEY)
  $('login-view').hidden = Boolean(token)
  $('session-view').hidden = !token
  if (!token) {
    clearInterval(timer)
    return
  }
  $('token').value = token
  try {
    const claims = decodePart(token.split('.')[1] ?? '')
    $('claims').textContent = JSON.stringify(claims, null, 2)
    if (typeof claims.exp === 'number') showCountdown(claims.exp)
  } catch {
    $('claims').textContent = '(this token cannot be decoded)'
    $('countdown').textContent = ''
  }
}

async function callMe() {
  const token = localStorage.getItem(KEY) ?? ''
  const res = await fetch('/api/me', { headers: { 'x-access-token': token } })
  const body = await res.json()
  $('profile').textContent = `${res.status} ${JSON.stringify(body, null, 2)}`
  if (res.ok) say(`Signed in as ${body.user.name}.`, 'ok')
  else say(`Refused (${res.status}): ${body.error_description ?? body.error}`, 'error')
}

$('login-form').addEventListener('submit', async (event) => {
  event.preventDefault()
  const res = await fetch('/api/login', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: $('username').value, password: $('password').value }),
  })
  const body = await res.json()
  if (!res.ok) {
    say(`Login failed (${res.status}): ${body.error_description ?? body.error}`, 'error')
    return
  }
  localStorage.setItem(KEY, body.token)
  render()
  await callMe()
})

$('save-token').addEventListener('click', async () => {
  localStorage.setItem(KEY, $('token').value.trim())
  render()
  await callMe()
})

$('tamper').addEventListener('click', async () => {
  // Re-encode the payload with a different name but keep the old signature: the MAC no longer matches.
  const [h, p, s] = (localStorage.getItem(KEY) ?? '').split('.')
  const claims = decodePart(p ?? '')
  claims.name = 'Mallory'
  claims.admin = true
  localStorage.setItem(KEY, `${h}.${encodePart(claims)}.${s}`)
  render()
  await callMe()
})

$('me-button').addEventListener('click', callMe)

$('logout').addEventListener('click', () => {
  localStorage.removeItem(KEY)
  $('profile').textContent = ''
  say('Logged out.', 'ok')
  render()
})

render()
if (localStorage.getItem(KEY)) callMe()
