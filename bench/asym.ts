/**
 * The contenders for RS256, ES256 and EdDSA sign and verify, each set up the way its documentation recommends,
 * with all key and option preparation done here, outside the timed code. Every verifier checks the same token.
 * jsonwebtoken has no EdDSA (its jws/jwa layer knows RS/PS/ES/HS only), so it is left out of the EdDSA rows;
 * jwt-simple signs RS256 only and is left out of all of them.
 */
import { createSigner as fastSigner, createVerifier as fastVerifier } from 'fast-jwt'
import { importPKCS8, importSPKI, jwtVerify, SignJWT } from 'jose'
import jsonwebtoken from 'jsonwebtoken'
import { createSigner, createVerifier, sign, verify } from '../src/index.js'
import type { SignContender, VerifyContender } from './contenders.js'
import { crossCheck } from './crosscheck.js'
import { ASYM_ALGS, ASYM_KEY_LABELS, type AsymAlg, type AsymKeys, asymKeys, payloadOfSize } from './fixtures.js'
import { createAsymSignFloor, createAsymVerifyFloor, createBareSign, createBareVerify } from './floors.js'
import { pairRatio, type Scenario, type ScenarioResult } from './timing.js'

export const ASYM_OURS_V = 'jwt-codec createVerifier (KeyObject)'
export const ASYM_OURS_V1 = 'jwt-codec verify (one-shot, PEM)'
export const ASYM_OURS_S = 'jwt-codec createSigner (KeyObject)'
export const ASYM_FAST_V = 'fast-jwt (cache off, PEM string)'
export const ASYM_FLOOR_V = 'floor: node:crypto verify'
export const ASYM_FLOOR_S = 'floor: node:crypto sign'

/** jsonwebtoken's algorithms (its `jwa` dependency has no EdDSA). */
function jsonwebtokenHas(alg: AsymAlg): alg is 'RS256' | 'ES256' {
  return alg !== 'EdDSA'
}

/** jose, with the CryptoKeys it recommends (importSPKI / importPKCS8, done here once). */
async function joseKeys(keys: AsymKeys): Promise<{ publicKey: CryptoKey; privateKey: CryptoKey }> {
  return {
    publicKey: await importSPKI(keys.publicPem, keys.alg),
    privateKey: await importPKCS8(keys.privatePem, keys.alg),
  }
}

export async function makeAsymVerifiers(keys: AsymKeys): Promise<VerifyContender[]> {
  const { alg } = keys
  const algorithms = [alg]
  const jose = await joseKeys(keys)
  const ours = createVerifier(keys.publicKey, { algorithms })
  const fast = fastVerifier({ key: keys.publicPem, algorithms, cache: false })
  const floor = createAsymVerifyFloor(keys)
  const list: VerifyContender[] = [
    { name: ASYM_OURS_V, verify: (t) => ours(t), async: false },
    { name: ASYM_OURS_V1, verify: (t) => verify(t, keys.publicPem, { algorithms }), async: false },
    { name: ASYM_FAST_V, verify: (t) => fast(t), async: false },
  ]
  if (jsonwebtokenHas(alg)) {
    list.push({
      name: 'jsonwebtoken (KeyObject)',
      verify: (t) => jsonwebtoken.verify(t, keys.publicKey, { algorithms: [alg] }),
      async: false,
    })
  }
  list.push(
    {
      name: 'jose (CryptoKey, async, awaited)',
      verify: (t) => jwtVerify(t, jose.publicKey, { algorithms }),
      claims: (r) => (r as { payload: unknown }).payload,
      async: true,
    },
    { name: ASYM_FLOOR_V, verify: (t) => floor(t), async: false },
  )
  return list
}

export async function makeAsymSigners(keys: AsymKeys): Promise<SignContender[]> {
  const { alg } = keys
  const jose = await joseKeys(keys)
  const ours = createSigner(keys.privateKey, { algorithm: alg })
  const fast = fastSigner({ key: keys.privatePem, algorithm: alg })
  const floor = createAsymSignFloor(keys)
  const list: SignContender[] = [
    { name: ASYM_OURS_S, sign: (p) => ours(p), async: false },
    {
      name: 'jwt-codec sign (one-shot, PEM)',
      sign: (p) => sign(p, keys.privatePem, { algorithm: alg }),
      async: false,
    },
    { name: 'fast-jwt (PEM string)', sign: (p) => fast(p), async: false },
  ]
  if (jsonwebtokenHas(alg)) {
    list.push({
      name: 'jsonwebtoken (KeyObject)',
      sign: (p) => jsonwebtoken.sign(p, keys.privateKey, { algorithm: alg }),
      async: false,
    })
  }
  list.push(
    {
      name: 'jose (CryptoKey, async, awaited)',
      sign: (p) => new SignJWT(p).setProtectedHeader({ alg, typ: 'JWT' }).sign(jose.privateKey),
      async: true,
    },
    { name: ASYM_FLOOR_S, sign: (p) => floor(p), async: false },
  )
  return list
}

/** Rows timed next to the floors but not cross-checked: the key operation alone, on inputs prepared once. */
export function bareRows(keys: AsymKeys, token: string): { verify: () => unknown; sign: () => unknown } {
  return { verify: createBareVerify(keys, token), sign: createBareSign(keys, token) }
}

/** The payload the asymmetric scenarios sign and verify (the key operation dominates; its size hardly matters). */
export const ASYM_PAYLOAD_BYTES = 100

export function asymScenarioName(alg: AsymAlg, op: 'verify' | 'sign'): string {
  return `${alg} ${op} (${ASYM_KEY_LABELS[alg]}), ${ASYM_PAYLOAD_BYTES} B payload`
}

/**
 * Builds the asymmetric scenarios: per algorithm one key pair, one token made by our signer (flat, as read from
 * a request), the cross-check of every signer against every verifier, then a verify and a sign scenario whose
 * reference row is the node:crypto floor.
 */
export async function asymScenarios(now: number): Promise<{ scenarios: Scenario[]; checks: number }> {
  const scenarios: Scenario[] = []
  let checks = 0
  const payload = payloadOfSize(ASYM_PAYLOAD_BYTES, now)
  for (const alg of ASYM_ALGS) {
    const keys = asymKeys(alg)
    const signers = await makeAsymSigners(keys)
    const verifiers = await makeAsymVerifiers(keys)
    checks += await crossCheck(signers, verifiers, payload)
    const ours = signers[0] as SignContender
    const token = Buffer.from((await ours.sign(payload)) as string, 'latin1').toString('latin1')
    const bare = bareRows(keys, token)
    scenarios.push({
      group: 'verify (asymmetric)',
      name: asymScenarioName(alg, 'verify'),
      ref: ASYM_FLOOR_V,
      contenders: [
        ...verifiers.map((v) => ({ name: v.name, fn: () => v.verify(token) })),
        { name: 'crypto.verify alone (prepared bytes)', fn: bare.verify },
      ],
    })
    scenarios.push({
      group: 'sign (asymmetric)',
      name: asymScenarioName(alg, 'sign'),
      ref: ASYM_FLOOR_S,
      contenders: [
        ...signers.map((s) => ({ name: s.name, fn: () => s.sign(payload) })),
        { name: 'crypto.sign alone (prepared bytes)', fn: bare.sign },
      ],
    })
  }
  return { scenarios, checks }
}

/** The asymmetric targets, given run.ts's `find` and `add`. */
export function asymTargets(
  find: (name: string) => ScenarioResult,
  add: (what: string, value: number, limit: number) => void,
): void {
  for (const alg of ASYM_ALGS) {
    const v = find(asymScenarioName(alg, 'verify'))
    const s = find(asymScenarioName(alg, 'sign'))
    add(`${alg} createVerifier / node:crypto floor`, pairRatio(v, ASYM_OURS_V, ASYM_FLOOR_V), 1.1)
    add(`${alg} createVerifier / fast-jwt (cache off)`, pairRatio(v, ASYM_OURS_V, ASYM_FAST_V), 1.0)
    add(`${alg} createSigner / node:crypto floor`, pairRatio(s, ASYM_OURS_S, ASYM_FLOOR_S), 1.1)
    add(`${alg} verify one-shot (PEM) / createVerifier`, pairRatio(v, ASYM_OURS_V1, ASYM_OURS_V), 1.5)
  }
}
