/**
 * Before any timing: every contender's token must verify with every verifier, to the claims that were signed,
 * and tampered tokens (a changed payload, a changed signature) must be refused by all of them. A contender that
 * accepted a forgery, could not read another's tokens or read other claims would make its timing meaningless.
 */
import type { SignContender, VerifyContender } from './contenders.js'

async function accepts(v: VerifyContender, token: string): Promise<boolean> {
  return (await claimsOf(v, token)) !== undefined
}

/** The claims `v` reads from `token`, as JSON text, or undefined when it refuses the token. */
async function claimsOf(v: VerifyContender, token: string): Promise<string | undefined> {
  let result: unknown
  try {
    result = await v.verify(token)
  } catch {
    return undefined
  }
  return JSON.stringify(v.claims === undefined ? result : v.claims(result))
}

/** Flips one character inside segment `which` (1 = payload, 2 = signature) to another base64url digit. */
export function tamper(token: string, which: 1 | 2): string {
  const parts = token.split('.')
  const seg = parts[which] as string
  const i = Math.floor(seg.length / 2)
  const c = seg[i] === 'A' ? 'B' : 'A'
  parts[which] = seg.slice(0, i) + c + seg.slice(i + 1)
  return parts.join('.')
}

export async function crossCheck(
  signers: readonly SignContender[],
  verifiers: readonly VerifyContender[],
  payload: Record<string, unknown>,
): Promise<number> {
  let checks = 0
  const expected = JSON.stringify(payload)
  for (const s of signers) {
    const token = await s.sign(payload)
    for (const v of verifiers) {
      const claims = await claimsOf(v, token)
      if (claims === undefined) throw new Error(`cross-check: ${v.name} refused a token from ${s.name}`)
      if (claims !== expected) throw new Error(`cross-check: ${v.name} read other claims from ${s.name}'s token`)
      for (const which of [1, 2] as const) {
        const bad = tamper(token, which)
        if (await accepts(v, bad)) throw new Error(`cross-check: ${v.name} accepted a tampered token from ${s.name}`)
      }
      checks += 3
    }
  }
  return checks
}
