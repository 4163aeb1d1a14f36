// The fast paths added for speed must give exactly what the slow, obvious code gives, and refuse exactly what it
// refuses. Each is compared here with a reference built from node's own primitives, on random inputs.
import assert from 'node:assert/strict'
import { createHmac } from 'node:crypto'
import { test } from 'node:test'
import fc from 'fast-check'
import { base64url, createSigner, createVerifier, sign, verify } from '../src/index.js'
import { hmacOf as mac } from '../src/lib/algorithms.js'

const SECRET = 'fast-path-test-secret-0123456789abcdef0123456789abcdef0123456789'
const RUNS = 300

/** The strict decoder written the slow way: alphabet, length and canonical spelling checked separately. */
function referenceDecode(s: string): Buffer | undefined {
  if (!/^[A-Za-z0-9_-]*$/.test(s) || s.length % 4 === 1) return undefined
  const bytes = Buffer.from(s, 'base64url')
  // Canonical: re-encoding gives the same text (this catches non-zero trailing bits).
  return bytes.toString('base64url') === s ? bytes : undefined
}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true })

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn()
    return undefined
  } catch (error) {
    return (error as { code?: string }).code ?? 'no code'
  }
}

/** Strings that are mostly base64url, with the characters the codec must refuse mixed in. */
const base64urlish = fc
  .array(
    fc.oneof(
      { weight: 20, arbitrary: fc.constantFrom(...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_') },
      {
        weight: 1,
        arbitrary: fc.constantFrom('=', '+', '/', ' ', '\n', '.', '\u0000', 'é', '\u0141', '\u{1F600}', '\uD800'),
      },
    ),
    { maxLength: 80 },
  )
  .map((chars) => chars.join(''))

/** Ours accepts exactly what the reference strict decoder accepts, with the same bytes, and refuses the rest. */
function agreesWithReference(s: string): void {
  const expected = referenceDecode(s)
  if (expected === undefined) {
    assert.equal(
      codeOf(() => base64url.decode(s)),
      'ERR_JWT_MALFORMED',
    )
    assert.equal(
      codeOf(() => base64url.decodeToString(s)),
      'ERR_JWT_MALFORMED',
    )
  } else {
    assert.deepEqual(Buffer.from(base64url.decode(s)), expected)
  }
}

test('decode agrees with the reference strict decoder on random near-base64url text', () => {
  fc.assert(
    fc.property(base64urlish, (s) => {
      agreesWithReference(s)
    }),
    { numRuns: RUNS * 3 },
  )
})

test('a char whose low 7 bits name an alphabet letter is still refused (U+0141, U+00C1, U+0100 + "A")', () => {
  for (const c of ['\u0141', '\u00c1', '\u0141', String.fromCharCode(0x100 + 0x41), String.fromCharCode(0x80 + 0x5f)]) {
    assert.equal(
      codeOf(() => base64url.decode(`AAA${c}`)),
      'ERR_JWT_MALFORMED',
    )
    assert.equal(
      codeOf(() => base64url.decode(`AA${c}`)),
      'ERR_JWT_MALFORMED',
    )
    assert.equal(
      codeOf(() => base64url.decode(`A${c}`)),
      'ERR_JWT_MALFORMED',
    )
  }
})

test('decode of every canonical encoding returns the bytes (Buffer as the reference)', () => {
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => {
      const text = Buffer.from(bytes).toString('base64url')
      assert.deepEqual(Buffer.from(base64url.decode(text)), Buffer.from(bytes))
      assert.equal(base64url.encode(bytes), text)
    }),
    { numRuns: RUNS },
  )
})

test('decodeToString matches a fatal TextDecoder on random bytes: ASCII, UTF-8 and invalid UTF-8', () => {
  fc.assert(
    fc.property(
      fc.oneof(
        fc.uint8Array({ maxLength: 200 }),
        fc.string({ unit: 'grapheme', maxLength: 60 }).map((s) => new Uint8Array(Buffer.from(s, 'utf8'))),
        fc.string({ maxLength: 200 }).map((s) => new Uint8Array(Buffer.from(s, 'latin1'))),
      ),
      (bytes) => {
        const text = Buffer.from(bytes).toString('base64url')
        let expected: string | undefined
        try {
          expected = strictUtf8.decode(bytes)
        } catch {
          expected = undefined
        }
        if (expected === undefined)
          assert.equal(
            codeOf(() => base64url.decodeToString(text)),
            'ERR_JWT_MALFORMED',
          )
        else assert.equal(base64url.decodeToString(text), expected)
      },
    ),
    { numRuns: RUNS * 2 },
  )
})

test('a byte-order mark survives decodeToString (so the JSON check can refuse it)', () => {
  assert.equal(base64url.decodeToString(Buffer.from('\uFEFF{}', 'utf8').toString('base64url')), '\uFEFF{}')
})

test('encode(string) matches Buffer UTF-8 + base64url for any string, lone surrogates included', () => {
  fc.assert(
    fc.property(fc.string({ unit: 'binary', maxLength: 200 }), (s) => {
      assert.equal(base64url.encode(s), Buffer.from(s, 'utf8').toString('base64url'))
    }),
    { numRuns: RUNS * 2 },
  )
  for (const s of ['', 'a', 'ab', 'abc', '\u0080', 'a\u0100', 'ab\uffff', '\uD800', 'x'.repeat(70_000)]) {
    assert.equal(base64url.encode(s), Buffer.from(s, 'utf8').toString('base64url'))
  }
})

test('large inputs (beyond the kept scratch size) round-trip, twice in a row', () => {
  const text = 'é'.repeat(40_000) + 'a'.repeat(30_000)
  for (let i = 0; i < 2; i++) {
    const encoded = base64url.encode(text)
    assert.equal(encoded, Buffer.from(text).toString('base64url'))
    assert.equal(base64url.decodeToString(encoded), text)
  }
})

test('the hand-written HMAC matches createHmac for every algorithm, key length and latin1 message', () => {
  const algs = { HS256: 'sha256', HS384: 'sha384', HS512: 'sha512' } as const
  fc.assert(
    fc.property(
      fc.constantFrom('HS256', 'HS384', 'HS512' as const),
      fc.uint8Array({ maxLength: 200 }),
      fc.string({ unit: fc.integer({ min: 0, max: 255 }).map((c) => String.fromCharCode(c)), maxLength: 300 }),
      (alg, key, message) => {
        const expected = createHmac(algs[alg], key).update(message, 'latin1').digest('base64url')
        assert.equal(mac(alg, key, message), expected)
      },
    ),
    { numRuns: RUNS },
  )
  // Keys exactly at and around the block sizes, and a message longer than the kept scratch buffer.
  for (const alg of ['HS256', 'HS384', 'HS512'] as const) {
    for (const n of [63, 64, 65, 127, 128, 129]) {
      const key = Buffer.alloc(n, n)
      const message = 'm'.repeat(70_000)
      assert.equal(mac(alg, key, message), createHmac(algs[alg], key).update(message, 'latin1').digest('base64url'))
    }
  }
})

test('factory and one-shot forms give the same tokens and the same claims', () => {
  const signer = createSigner(SECRET, { now: 1000, expiresIn: 60 })
  const verifier = createVerifier(SECRET, { now: 1010 })
  fc.assert(
    fc.property(
      fc.dictionary(
        fc.string({ maxLength: 8 }).filter((k) => !['iat', 'exp', 'nbf', 'iss', 'sub', 'aud', 'jti'].includes(k)),
        fc.string({ unit: 'grapheme', maxLength: 20 }),
        { maxKeys: 5 },
      ),
      (claims) => {
        const token = signer(claims)
        assert.equal(sign(claims, SECRET, { now: 1000, expiresIn: 60 }), token)
        assert.deepEqual(verifier(token), verify(token, SECRET, { now: 1010 }))
      },
    ),
    { numRuns: RUNS },
  )
})

function b64json(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url')
}

function forge(header: unknown, payload: unknown, key = SECRET): string {
  const input = `${b64json(header)}.${b64json(payload)}`
  return `${input}.${createHmac('sha256', key).update(input).digest('base64url')}`
}

test('the header memo of a verifier never carries over to a different header', () => {
  const verifier = createVerifier(SECRET, { algorithms: ['HS256'] })
  const good = sign({ sub: 'a' }, SECRET)
  assert.deepEqual(Object.keys(verifier(good)), ['sub', 'iat'])
  // Same length as the default header segment, different text.
  const other = forge({ alg: 'HS256', typ: 'JWS' }, { sub: 'b' })
  assert.equal(other.indexOf('.'), good.indexOf('.'))
  assert.equal(verifier(other).sub, 'b')
  assert.equal(
    codeOf(() => verifier(forge({ alg: 'HS384', typ: 'JWT' }, { sub: 'c' }))),
    'ERR_JWT_ALGORITHM',
  )
  assert.equal(
    codeOf(() => verifier(forge({ alg: 'none', typ: 'JWT' }, { sub: 'c' }))),
    'ERR_JWT_ALGORITHM',
  )
  assert.equal(
    codeOf(() => verifier(`.${good.slice(good.indexOf('.') + 1)}`)),
    'ERR_JWT_MALFORMED',
  )
  assert.equal(
    codeOf(() => verifier(forge({ alg: 'HS256', crit: ['x'], x: 1 }, { sub: 'd' }))),
    'ERR_JWT_HEADER',
  )
  // and the first header still verifies after all those
  assert.equal(verifier(good).sub, 'a')
})

test('the known default header still goes through the verifier rules (typ, allowlist)', () => {
  const token = sign({ sub: 'a' }, SECRET)
  assert.equal(
    codeOf(() => verify(token, SECRET, { typ: 'at+jwt' })),
    'ERR_JWT_HEADER',
  )
  assert.equal(
    codeOf(() => createVerifier(SECRET, { typ: 'at+jwt' })(token)),
    'ERR_JWT_HEADER',
  )
  assert.equal(verify(token, SECRET, { typ: 'application/JWT' }).sub, 'a')
  const long = 'l'.repeat(64)
  const hs512 = sign({ sub: 'a' }, long, { algorithm: 'HS512' })
  assert.equal(
    codeOf(() => verify(hs512, long)),
    'ERR_JWT_ALGORITHM',
  )
  assert.equal(verify(hs512, long, { algorithms: ['HS512'] }).sub, 'a')
})

test('complete: true hands out a fresh, mutable header each time', () => {
  const token = sign({ sub: 'a' }, SECRET)
  const verifier = createVerifier(SECRET, { complete: true })
  const first = verifier(token)
  assert.equal(Object.isFrozen(first.header), false)
  ;(first.header as Record<string, unknown>).alg = 'changed'
  assert.deepEqual(verifier(token).header, { alg: 'HS256', typ: 'JWT' })
  assert.deepEqual(verify(token, SECRET, { complete: true }).header, { alg: 'HS256', typ: 'JWT' })
})

test('a non-ASCII char in a segment is MALFORMED: found by the header decoding, or once the MAC has failed', () => {
  const token = sign({ sub: 'a' }, SECRET)
  const d1 = token.indexOf('.')
  const inPayload = `${token.slice(0, d1 + 3)}é${token.slice(d1 + 4)}`
  assert.equal(
    codeOf(() => verify(inPayload, SECRET)),
    'ERR_JWT_MALFORMED',
  )
  const inHeader = `é${token.slice(1)}`
  assert.equal(
    codeOf(() => verify(inHeader, SECRET)),
    'ERR_JWT_MALFORMED',
  )
  const inSignature = `${token.slice(0, -1)}é`
  assert.equal(
    codeOf(() => verify(inSignature, SECRET)),
    'ERR_JWT_MALFORMED',
  )
})

test('a 70 KB payload verifies (scratch buffers grow and are not kept), twice in a row', () => {
  const big = { data: 'd'.repeat(70_000), name: 'Zoë' }
  const token = sign(big, SECRET, { noTimestamp: true })
  const verifier = createVerifier(SECRET, { maxTokenLength: 200_000 })
  for (let i = 0; i < 2; i++) assert.deepEqual(verifier(token), big)
})

test('a payload with a toJSON method is refused at sign time, whatever the method returns', () => {
  assert.equal(
    codeOf(() => sign({ toJSON: () => ({ sub: 'other' }) }, SECRET)),
    'ERR_JWT_INVALID_OPTION',
  )
  assert.equal(
    codeOf(() => sign({ toJSON: () => 'text' }, SECRET)),
    'ERR_JWT_INVALID_OPTION',
  )
  assert.equal(
    codeOf(() => sign({ toJSON: () => undefined }, SECRET)),
    'ERR_JWT_INVALID_OPTION',
  )
})

test('the quick secret pre-check sends every JWK- or PEM-looking secret to the full check', () => {
  const jwk = JSON.stringify({ kty: 'oct', k: 'x'.repeat(40) })
  for (const s of [jwk, ` \t\n${jwk}`, `\u00a0${jwk}`, `junk -----BEGIN PUBLIC KEY----- ${'x'.repeat(40)}`]) {
    // A JWK behind U+00A0 (two UTF-8 bytes) is key material too: the blank is skipped as String.prototype.trim would.
    assert.equal(
      codeOf(() => sign({}, s)),
      'ERR_JWT_INVALID_OPTION',
      JSON.stringify(s.slice(0, 5)),
    )
    assert.equal(
      codeOf(() => sign({}, Buffer.from(s))),
      'ERR_JWT_INVALID_OPTION',
    )
  }
})

test('sign writes the signing input in place: its MAC equals createHmac over header.payload', () => {
  fc.assert(
    fc.property(
      fc.string({ unit: 'grapheme', maxLength: 40 }),
      fc.constantFrom('HS256', 'HS384', 'HS512' as const),
      (name, alg) => {
        const secret = 's'.repeat(64)
        const token = sign({ name }, secret, { algorithm: alg, now: 5 })
        const d2 = token.lastIndexOf('.')
        const hashName = { HS256: 'sha256', HS384: 'sha384', HS512: 'sha512' }[alg]
        assert.equal(token.slice(d2 + 1), createHmac(hashName, secret).update(token.slice(0, d2)).digest('base64url'))
        assert.equal(token, createSigner(secret, { algorithm: alg, now: 5 })({ name }))
      },
    ),
    { numRuns: RUNS },
  )
})

test('long text (the byte-copy decoder, 256 chars and more) agrees with the reference strict decoder', () => {
  const junk = [
    '=',
    '+',
    '/',
    ' ',
    '.',
    '\u0000',
    '\u007f',
    'é',
    '\u00ff',
    '\u0141',
    '€',
    '\u{1F600}',
    '\uD800',
    '\uDFFF',
  ]
  fc.assert(
    fc.property(
      fc.uint8Array({ minLength: 190, maxLength: 600 }),
      fc.array(fc.tuple(fc.nat(), fc.constantFrom(...junk)), { maxLength: 3 }),
      fc.nat(3),
      (bytes, insertions, cut) => {
        let s = Buffer.from(bytes).toString('base64url')
        s = s.slice(0, s.length - cut)
        for (const [at, c] of insertions) {
          const i = at % (s.length + 1)
          s = s.slice(0, i) + c + s.slice(i)
        }
        agreesWithReference(s)
      },
    ),
    { numRuns: RUNS * 3 },
  )
  // Non-ASCII chars where a byte-count check alone could be fooled (a multi-byte char the copy might cut off).
  const base = 'A'.repeat(300)
  for (const tail of ['é', 'éA€', 'A€', '€€', '\u{1F600}', 'é\uD800', 'AAé€']) {
    for (const s of [base + tail, base.slice(tail.length) + tail, tail + base]) {
      assert.equal(
        codeOf(() => base64url.decode(s)),
        'ERR_JWT_MALFORMED',
        JSON.stringify(tail),
      )
    }
  }
  // and a token range in the middle of a longer string
  const payload = { data: 'x'.repeat(400), who: 'Zoë' }
  const token = sign(payload, SECRET, { noTimestamp: true })
  assert.deepEqual(verify(token, SECRET), payload)
})

test('encode of long strings (the byte-copy encoder) matches Buffer, lone surrogates included', () => {
  fc.assert(
    fc.property(fc.string({ unit: 'binary', minLength: 250, maxLength: 700 }), (s) => {
      assert.equal(base64url.encode(s), Buffer.from(s, 'utf8').toString('base64url'))
    }),
    { numRuns: RUNS },
  )
  for (const s of ['\uD800'.repeat(300), '€'.repeat(256), `${'a'.repeat(255)}\u{1F600}`, 'é'.repeat(100_000)]) {
    assert.equal(base64url.encode(s), Buffer.from(s, 'utf8').toString('base64url'))
  }
})
