/**
 * Key confusion (RFC 8725 §3.1, §3.10): one key, one family. An HMAC algorithm with a public key in any form is a
 * misconfiguration refused when the verifier is made, so the classic forgery (CVE-2015-9235: an HS256 token MACed
 * with the server's public PEM as the secret) has nothing to land on; RS with an EC key, ES with an RSA key and
 * mixed families are refused the same way. The token never chooses the key: `jwk`, `jku`, `x5u` and `x5c`
 * header parameters are ignored, so an attacker embedding its own public key gains nothing, whatever the options.
 */
import assert from 'node:assert/strict'
import { createHmac, type KeyObject } from 'node:crypto'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { after, before, describe, test } from 'node:test'
import {
  type Algorithm,
  createSigner,
  createVerifier,
  decodeUnverified,
  isJwtError,
  type KeyInput,
  sign,
  verify,
} from '../../src/index.js'
import { b64, throwsCode } from '../helpers/forge.js'
import {
  certificate,
  forgeSigned,
  jwkOf,
  labelled,
  pair,
  pkcs8Pem,
  privateForms,
  publicForms,
  signingInput,
  spkiPem,
} from '../helpers/keypairs.js'

const BAD = 'ERR_JWT_INVALID_OPTION'
const P = { sub: 'u1' }
type Key = KeyInput
const k = (form: unknown): Key => form as Key
const algs = (names: string[]): Algorithm[] => names as Algorithm[]

/** An HS token MACed with this secret text or bytes: the forgery of CVE-2015-9235. */
function hmacForgery(secret: string | Uint8Array, alg = 'HS256', payload: object = { sub: 'admin' }): string {
  const input = signingInput({ alg, typ: 'JWT' }, payload)
  const hash = `sha${alg.slice(2)}`
  return `${input}.${createHmac(hash, secret).update(input).digest('base64url')}`
}

/** Every public (and private) form of the key pair, plus its certificate when openssl can make one. */
function allForms(privateKey: KeyObject, publicKey: KeyObject): Record<string, unknown> {
  const forms: Record<string, unknown> = { ...publicForms(publicKey), ...privateForms(privateKey) }
  const cert = certificate(privateKey)
  if (cert !== undefined) {
    forms['X.509 certificate PEM'] = cert
    forms['X.509 certificate PEM bytes'] = Buffer.from(cert)
  }
  return forms
}

describe('HS* with a public or private key, in every form, is refused when the verifier or signer is made', () => {
  for (const kind of ['rsa2048', 'p256', 'ed25519'] as const) {
    test(`${kind}: HS256/384/512 alone or beside the key's own algorithm`, () => {
      const { privateKey, publicKey } = pair(kind)
      const own = kind === 'rsa2048' ? 'RS256' : kind === 'p256' ? 'ES256' : 'EdDSA'
      const forged = hmacForgery(spkiPem(publicKey))
      for (const [form, key] of Object.entries(allForms(privateKey, publicKey))) {
        for (const list of [['HS256'], ['HS384'], ['HS512'], [own, 'HS256'], ['HS256', own]]) {
          labelled(`${form} ${list.join(',')}`, () => {
            throwsCode(() => createVerifier(k(key), { algorithms: algs(list) }), BAD)
            throwsCode(() => verify(forged, k(key), { algorithms: algs(list) }), BAD)
          })
        }
        for (const algorithm of ['HS256', 'HS384', 'HS512'] as const) {
          labelled(`${form} ${algorithm}`, () => {
            throwsCode(() => createSigner(k(key), { algorithm }), BAD)
            throwsCode(() => sign(P, k(key), { algorithm }), BAD)
          })
        }
      }
    })
  }
})

describe('CVE-2015-9235: an HS256 token MACed with the public key text as the secret', () => {
  const { privateKey, publicKey } = pair('rsa2048')
  const pem = spkiPem(publicKey)
  const pkcs1 = publicKey.export({ type: 'pkcs1', format: 'pem' }).toString()
  const der = publicKey.export({ type: 'spki', format: 'der' })
  const secrets: Record<string, string | Uint8Array> = {
    'the SPKI PEM text': pem,
    'the SPKI PEM without its final newline': pem.trimEnd(),
    'the SPKI PEM with CRLF line ends': pem.replaceAll('\n', '\r\n'),
    'the PKCS#1 PEM text': pkcs1,
    'the SPKI DER bytes': der,
    'the JWK as JSON text': JSON.stringify(jwkOf(publicKey)),
    'the n member': String(jwkOf(publicKey).n),
  }
  const real = forgeSigned({ alg: 'RS256' }, P, privateKey)

  for (const [what, secret] of Object.entries(secrets)) {
    test(`MACed with ${what}: refused by verify and createVerifier with the public key in every form`, () => {
      const forged = [hmacForgery(secret), hmacForgery(secret, 'HS384'), hmacForgery(secret, 'HS512')]
      for (const [form, key] of Object.entries(allForms(privateKey, publicKey))) {
        const verifier = createVerifier(k(key))
        const rsOnly = createVerifier(k(key), { algorithms: ['RS256', 'RS384', 'RS512', 'PS256'] })
        for (const token of forged) {
          // The key's algorithms (RS256 by default) do not include the token's: refused before any MAC.
          labelled(form, () => {
            assert.equal(throwsCode(() => verify(token, k(key)), 'ERR_JWT_ALGORITHM').status, 401)
            throwsCode(() => verifier(token), 'ERR_JWT_ALGORITHM')
            throwsCode(() => rsOnly(token), 'ERR_JWT_ALGORITHM')
          })
        }
        // The same verifier still takes the real token.
        assert.deepEqual(verifier(real), P, form)
      }
    })
  }

  test('the forgery also fails with an alg the verifier allows: an HS token whose header says RS256', () => {
    // The MAC in the RS256 slot: the RSA check fails (wrong length, wrong value), and it is a signature failure.
    const input = signingInput({ alg: 'RS256' }, { sub: 'admin' })
    const mac = createHmac('sha256', pem).update(input).digest('base64url')
    throwsCode(() => verify(`${input}.${mac}`, pem), 'ERR_JWT_SIGNATURE')
    throwsCode(() => createVerifier(pem, { algorithms: ['RS256'] })(`${input}.${mac}`), 'ERR_JWT_SIGNATURE')
  })

  test('an HS256 verifier cannot be made from the PEM, even deliberately, as text, bytes or KeyObject', () => {
    for (const key of [pem, Buffer.from(pem), new TextEncoder().encode(pem), publicKey, pkcs1, der]) {
      throwsCode(() => createVerifier(k(key), { algorithms: ['HS256'] }), BAD)
      throwsCode(() => verify(hmacForgery(pem), k(key), { algorithms: ['HS256'] }), BAD)
    }
  })
})

describe('one key, one family', () => {
  const rsa = pair('rsa2048')
  const ec = pair('p256')
  const ed = pair('ed25519')
  // [what, keys, the algorithms listed, those of them that do not fit the key (refused for signing too)]
  const cases: Array<[string, { privateKey: KeyObject; publicKey: KeyObject }, string[], string[]]> = [
    ['RS256 with an EC key', ec, ['RS256'], ['RS256']],
    ['PS256 with an EC key', ec, ['PS256'], ['PS256']],
    ['RS256 with an Ed25519 key', ed, ['RS256'], ['RS256']],
    ['ES256 with an RSA key', rsa, ['ES256'], ['ES256']],
    ['ES256 with an Ed25519 key', ed, ['ES256'], ['ES256']],
    ['EdDSA with an RSA key', rsa, ['EdDSA'], ['EdDSA']],
    ['Ed25519 with an RSA key', rsa, ['Ed25519'], ['Ed25519']],
    ['EdDSA with an EC key', ec, ['EdDSA'], ['EdDSA']],
    ["['RS256', 'ES256'] with an RSA key", rsa, ['RS256', 'ES256'], ['ES256']],
    ["['RS256', 'ES256'] with an EC key", ec, ['RS256', 'ES256'], ['RS256']],
    ["['ES256', 'EdDSA'] with an Ed25519 key", ed, ['ES256', 'EdDSA'], ['ES256']],
    ["['PS256', 'EdDSA'] with an RSA key", rsa, ['PS256', 'EdDSA'], ['EdDSA']],
  ]
  for (const [what, keys, list, foreign] of cases) {
    test(`${what}: refused for verifying and signing, in every form`, () => {
      const token = forgeSigned({ alg: 'RS256' }, P, rsa.privateKey)
      for (const [form, key] of Object.entries(allForms(keys.privateKey, keys.publicKey))) {
        labelled(form, () => {
          throwsCode(() => createVerifier(k(key), { algorithms: algs(list) }), BAD)
          throwsCode(() => verify(token, k(key), { algorithms: algs(list) }), BAD)
        })
        if (!form.includes('private')) continue
        for (const algorithm of algs(foreign)) {
          labelled(`${form} ${algorithm}`, () => {
            assert.equal(throwsCode(() => createSigner(k(key), { algorithm }), BAD).status, 500)
            throwsCode(() => sign(P, k(key), { algorithm }), BAD)
          })
        }
      }
    })
  }

  test('RS and PS share one RSA key when both are listed; each token still needs its own alg allowed', () => {
    const verifier = createVerifier(rsa.publicKey, { algorithms: ['RS256', 'PS256', 'RS512', 'PS512'] })
    for (const alg of ['RS256', 'PS256', 'RS512', 'PS512']) {
      assert.deepEqual(verifier(forgeSigned({ alg }, P, rsa.privateKey)), P, alg)
      const own = createSigner(rsa.privateKey, { algorithm: alg as Algorithm, noTimestamp: true })(P)
      assert.deepEqual(verifier(own), P, alg)
    }
    throwsCode(() => verifier(forgeSigned({ alg: 'RS384' }, P, rsa.privateKey)), 'ERR_JWT_ALGORITHM')
    // RS256 only: a PS256 token on the same key is not allowed, and the other way round.
    throwsCode(() => verify(forgeSigned({ alg: 'PS256' }, P, rsa.privateKey), rsa.publicKey), 'ERR_JWT_ALGORITHM')
    throwsCode(
      () => verify(forgeSigned({ alg: 'RS256' }, P, rsa.privateKey), rsa.publicKey, { algorithms: ['PS256'] }),
      'ERR_JWT_ALGORITHM',
    )
  })

  test('a token signed with the right key but a header naming another allowed alg is a signature failure', () => {
    const verifier = createVerifier(rsa.publicKey, { algorithms: ['RS256', 'PS256'] })
    throwsCode(() => verifier(forgeSigned({ alg: 'PS256' }, P, rsa.privateKey, { as: 'RS256' })), 'ERR_JWT_SIGNATURE')
    throwsCode(() => verifier(forgeSigned({ alg: 'RS256' }, P, rsa.privateKey, { as: 'PS256' })), 'ERR_JWT_SIGNATURE')
  })

  test('a token of another family is an algorithm failure, not a signature check with the wrong key type', () => {
    const esToken = forgeSigned({ alg: 'ES256' }, P, ec.privateKey)
    const edToken = forgeSigned({ alg: 'EdDSA' }, P, ed.privateKey)
    const rsToken = forgeSigned({ alg: 'RS256' }, P, rsa.privateKey)
    throwsCode(() => verify(esToken, rsa.publicKey), 'ERR_JWT_ALGORITHM')
    throwsCode(() => verify(edToken, rsa.publicKey), 'ERR_JWT_ALGORITHM')
    throwsCode(() => verify(rsToken, ec.publicKey), 'ERR_JWT_ALGORITHM')
    throwsCode(() => verify(edToken, ec.publicKey), 'ERR_JWT_ALGORITHM')
    throwsCode(() => verify(rsToken, ed.publicKey), 'ERR_JWT_ALGORITHM')
    throwsCode(() => verify(esToken, ed.publicKey), 'ERR_JWT_ALGORITHM')
  })
})

describe('an oct JWK is an HMAC secret, of the HMAC family only, with the secret rules', () => {
  const bytes = Buffer.alloc(64, 9)
  const oct = { kty: 'oct', k: b64(bytes) }
  const rsaPem = spkiPem(pair('rsa2048').publicKey)

  test('it signs and verifies HS256 (and HS512 with 64 bytes); RS256, ES256, EdDSA beside it are refused', () => {
    const token = sign(P, oct, { noTimestamp: true })
    assert.equal(decodeUnverified(token).header.alg, 'HS256')
    assert.deepEqual(verify(token, bytes), P)
    assert.deepEqual(verify(token, oct), P)
    const hs512 = sign(P, bytes, { algorithm: 'HS512', noTimestamp: true })
    assert.deepEqual(verify(hs512, oct, { algorithms: ['HS512'] }), P)
    for (const list of [['RS256'], ['ES256'], ['EdDSA'], ['HS256', 'RS256']]) {
      labelled(list.join(','), () => {
        throwsCode(() => createVerifier(oct, { algorithms: algs(list) }), BAD)
        throwsCode(() => createSigner(oct, { algorithm: algs(list).at(-1) }), BAD)
      })
    }
    throwsCode(() => createVerifier({ ...oct, alg: 'RS256' }), BAD)
  })

  test('the secret rules hold: short, empty, missing, not base64url, or key material in k are refused', () => {
    const bad: Record<string, Record<string, unknown>> = {
      '31 bytes': { kty: 'oct', k: b64(Buffer.alloc(31, 9)) },
      '32 bytes for HS512 (its alg)': { kty: 'oct', k: b64(Buffer.alloc(32, 9)), alg: 'HS512' },
      empty: { kty: 'oct', k: '' },
      'no k': { kty: 'oct' },
      'k in standard base64': { kty: 'oct', k: `${b64(bytes).slice(0, -2)}+/` },
      'k holding the public PEM (CVE-2015-9235 through a JWK)': { kty: 'oct', k: b64(rsaPem) },
      "use 'enc'": { ...oct, use: 'enc' },
    }
    const forged = hmacForgery(rsaPem)
    for (const [what, jwk] of Object.entries(bad)) {
      labelled(what, () => {
        throwsCode(() => createVerifier(k(jwk)), BAD)
        throwsCode(() => verify(forged, k(jwk)), BAD)
        throwsCode(() => createSigner(k(jwk)), BAD)
      })
    }
  })
})

describe('jwk, jku, x5u, x5c in the header are never used to find or trust a key', () => {
  // A server that would hand out the attacker's key set, to prove nothing ever asks for it.
  const hits: string[] = []
  let server: Server
  let base = ''
  before(async () => {
    server = createServer((req, res) => {
      hits.push(req.url ?? '')
      res.setHeader('content-type', 'application/json')
      res.end(JSON.stringify({ keys: [jwkOf(pair('rsa2048b').publicKey)] }))
    })
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  })
  after(() => new Promise<void>((resolve) => server.close(() => resolve())))

  const families = [
    ['RS256', 'rsa2048', 'rsa2048b'],
    ['PS256', 'rsa2048', 'rsa2048b'],
    ['ES256', 'p256', 'p256b'],
    ['EdDSA', 'ed25519', 'ed25519b'],
  ] as const

  for (const [alg, realKind, attackerKind] of families) {
    test(`${alg}: a token signed with the attacker's key and carrying it fails against the real key`, async () => {
      const real = pair(realKind)
      const attacker = pair(attackerKind)
      const embedded = jwkOf(attacker.publicKey)
      const cert = certificate(attacker.privateKey)
      const x5c =
        cert === undefined
          ? []
          : [
              cert
                .split('\n')
                .filter((l) => !l.startsWith('-----'))
                .join(''),
            ]
      const headers: Array<Record<string, unknown>> = [
        { jwk: embedded },
        { jwk: { ...embedded, kid: 'k1' }, kid: 'k1' },
        { jku: `${base}/jwks.json` },
        { x5u: `${base}/cert.pem` },
        { jwk: embedded, jku: `${base}/jwks.json`, x5u: `${base}/cert.pem`, kid: 'k1' },
      ]
      if (x5c.length > 0) headers.push({ x5c }, { x5c, jwk: embedded })
      const realForms = { ...publicForms(real.publicKey), ...privateForms(real.privateKey) }
      for (const extra of headers) {
        const token = forgeSigned({ alg, ...extra }, { sub: 'admin' }, attacker.privateKey)
        // The embedded key does verify the token: the attack is real, only the library ignores it.
        assert.deepEqual(verify(token, k(attacker.publicKey), { algorithms: [alg] }), { sub: 'admin' })
        for (const [form, key] of Object.entries(realForms)) {
          labelled(`${form} ${Object.keys(extra).join('+')}`, () => {
            throwsCode(() => verify(token, k(key), { algorithms: [alg] }), 'ERR_JWT_SIGNATURE')
            throwsCode(() => createVerifier(k(key), { algorithms: [alg] })(token), 'ERR_JWT_SIGNATURE')
          })
          // No option makes it pass: every combination either refuses the options or the token.
          const attempts: Array<Record<string, unknown>> = [
            { algorithms: [alg] },
            { complete: true },
            { crit: ['jwk'] },
            { crit: ['x5c', 'jku'] },
            { typ: 'JWT' },
            { algorithms: [alg], complete: true, clockTolerance: 1e6 },
          ]
          for (const options of attempts) {
            let outcome: unknown
            try {
              outcome = verify(token, k(key), options as never)
            } catch (error) {
              outcome = error
            }
            assert.ok(isJwtError(outcome), `${form} ${JSON.stringify(options)}: the token was accepted`)
          }
        }
      }
      // Let any stray request arrive before looking.
      await new Promise((resolve) => setTimeout(resolve, 50))
      assert.deepEqual(hits, [])
    })
  }

  test('the real key still verifies a real token that carries a jwk header (it is only data)', () => {
    const real = pair('p256')
    const token = forgeSigned({ alg: 'ES256', jwk: jwkOf(pair('p256b').publicKey) }, P, real.privateKey)
    assert.deepEqual(verify(token, real.publicKey), P)
    const complete = verify(token, real.publicKey, { complete: true })
    assert.deepEqual(complete.header.jwk, jwkOf(pair('p256b').publicKey))
    assert.equal(decodeUnverified(token).header.alg, 'ES256')
  })

  test('no header can switch a verifier to HMAC: an attacker’s oct jwk with alg HS256 is refused by algorithm', () => {
    const real = pair('rsa2048')
    const octKey = Buffer.alloc(32, 7)
    const input = signingInput({ alg: 'HS256', jwk: { kty: 'oct', k: b64(octKey) } }, { sub: 'admin' })
    const token = `${input}.${createHmac('sha256', octKey).update(input).digest('base64url')}`
    throwsCode(() => verify(token, real.publicKey), 'ERR_JWT_ALGORITHM')
    throwsCode(() => verify(token, pkcs8Pem(real.privateKey)), 'ERR_JWT_ALGORITHM')
  })
})
