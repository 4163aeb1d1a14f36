// What the issuer and the APIs of examples/jwks/ share: the denylist's key names, reading settings from the
// environment, printing the address a server bound as one JSON line, and stopping on SIGINT/SIGTERM.
import type { Server } from 'node:http'
import type { AddressInfo } from 'node:net'

/** The shared denylist entry of a token id: the issuer writes it at logout, the APIs look it up. */
export const revokedKey = (jti: string): string => `revoked:${jti}`

const UNITS: Readonly<Record<string, number>> = { ms: 0.001, s: 1, m: 60, h: 3600, d: 86400 }

/**
 * A duration setting in seconds: `90`, `0.5`, or a number with a unit (`'500ms'`, `'30s'`, `'15m'`, `'1h'`, `'7d'`).
 * An empty or missing variable gives the fallback; 0 only where `zero` allows it; anything else stops the process
 * with a message naming the variable.
 */
export function seconds(name: string, fallback: number, { zero = false } = {}): number {
  const raw = process.env[name]
  if (raw === undefined || raw === '') return fallback
  const found = /^(\d+(?:\.\d+)?)(ms|s|m|h|d)?$/.exec(raw.trim())
  const value = found === null ? Number.NaN : Number(found[1]) * (UNITS[found[2] ?? 's'] ?? Number.NaN)
  if (!(value > 0 || (zero && value === 0))) {
    throw new Error(`${name} must be a positive number of seconds or a duration such as 30s, 15m, 1h`)
  }
  return value
}

/** A TCP port: `PORT`-style variables, 0 (any free port) when missing. */
export function port(name: string): number {
  const raw = process.env[name] ?? '0'
  const value = Number(raw)
  if (!Number.isInteger(value) || value < 0 || value > 65535) throw new Error(`${name} must be a port number`)
  return value
}

/** A setting that must be there (a URL, a name). */
export function required(name: string): string {
  const value = process.env[name]
  if (value === undefined || value === '') throw new Error(`${name} must be set`)
  return value
}

/** One line of JSON on stdout: what the launcher (examples/jwks/run.ts) and the test read. Never a token or key. */
export function log(event: string, fields: Record<string, unknown> = {}): void {
  process.stdout.write(`${JSON.stringify({ event, ...fields })}\n`)
}

/** Listens on 127.0.0.1 (or HOST) and resolves to the server's own URL once bound. */
export async function listen(server: Server, portNumber: number): Promise<{ url: string; port: number }> {
  const host = process.env.HOST ?? '127.0.0.1'
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(portNumber, host, () => {
      server.off('error', reject)
      resolve()
    })
  })
  const bound = (server.address() as AddressInfo).port
  const shown = host.includes(':') ? `[${host}]` : host
  return { url: `http://${shown}:${bound}`, port: bound }
}

/** On SIGINT or SIGTERM: run `close` (stop listening, open connections included), then exit 0. */
export function stopOnSignals(close: () => Promise<void>): void {
  let stopping = false
  const stop = (): void => {
    if (stopping) return
    stopping = true
    close().then(
      () => process.exit(0),
      () => process.exit(1),
    )
  }
  process.on('SIGINT', stop)
  process.on('SIGTERM', stop)
}

/** Closes a server and its keep-alive connections. */
export function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve())
    server.closeAllConnections()
  })
}
