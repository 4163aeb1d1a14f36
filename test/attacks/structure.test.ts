/**
 * Structure and base64url attacks (RFC 7515 §7.1 compact serialisation, §2 base64url without padding). Every
 * token is MACed with the right key over exactly the segments it carries, so the only thing wrong is its shape.
 * Canonical base64url matters: if two spellings of one token both verified, a denylist or cache keyed on the token
 * string could be bypassed.
 */
import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { base64url, decodeUnverified, JwtError, sign, verify } from '../../src/index.js'
import { b64, forgeSegments, NOW, SECRET, throwsCode } from '../helpers/forge.js'

const at = { now: NOW }
const H = b64('{"alg":"HS256","typ":"JWT"}')
const P = b64(JSON.stringify({ sub: '42', iat: NOW }))
const valid = forgeSegments(H, P)
const SIG = valid.slice(valid.lastIndexOf('.') + 1)
/** Headers of 16 and 17 bytes: their segments end in a partial quantum (2 and 3 characters). */
const H16 = '{"alg": "HS256"}'
const H17 = '{"alg":  "HS256"}'

test('control: the well-formed token verifies', () => {
  assert.deepEqual(verify(valid, SECRET, at), { sub: '42', iat: NOW })
})

describe('wrong number of segments', () => {
  const cases: Record<string, string> = {
    'empty string': '',
    'one segment': H,
    'two segments (signature left out)': `${H}.${P}`,
    'four segments': `${valid}.${SIG}`,
    'six segments': `${valid}.${SIG}.${SIG}.${SIG}`,
    'two dots only': '..',
    'four dots only': '....',
    'a trailing dot': `${valid}.`,
    'a leading dot': `.${valid}`,
  }
  for (const [name, token] of Object.entries(cases)) {
    test(name, () => {
      throwsCode(() => verify(token, SECRET, at), 'ERR_JWT_MALFORMED')
      throwsCode(() => decodeUnverified(token), 'ERR_JWT_MALFORMED')
    })
  }
})

describe('five-segment JWE-looking tokens are refused at the split, before any JSON or MAC work', () => {
  const jweHeader = b64('{"alg":"dir","enc":"A256GCM"}')
  const cases: Record<string, string> = {
    'a JWE with dir/A256GCM': `${jweHeader}..${b64('iv-iv-iv-iv')}.${b64('ciphertext')}.${b64('tag-tag-tag-tag')}`,
    'a valid HS256 token with two segments appended': `${valid}.${SIG}.${SIG}`,
    'five segments of garbage that would not even decode': '!!!.???.***.###.$$$',
  }
  for (const [name, token] of Object.entries(cases)) {
    test(name, () => {
      const err = throwsCode(() => verify(token, SECRET, at), 'ERR_JWT_MALFORMED')
      // The segment-count message (not a base64url or JSON one, and no parse error as cause) shows where it stopped.
      assert.match(err.message, /three dot-separated segments/)
      assert.equal(err.cause, undefined)
    })
  }
})

describe('empty segments', () => {
  test('empty header', () => {
    throwsCode(() => verify(forgeSegments('', P), SECRET, at), 'ERR_JWT_MALFORMED')
  })
  test('empty payload, MACed with the right key', () => {
    throwsCode(() => verify(forgeSegments(H, ''), SECRET, at), 'ERR_JWT_MALFORMED')
  })
  test('empty header and payload, MACed with the right key', () => {
    throwsCode(() => verify(forgeSegments('', ''), SECRET, at), 'ERR_JWT_MALFORMED')
  })
})

/** The segment in standard padded base64 (Buffer would accept it as base64url too). */
function padded(segment: string): string {
  return Buffer.from(segment, 'base64url').toString('base64').replace(/\+/g, '-').replace(/\//g, '_')
}

describe('padding', () => {
  const h = b64(H16)
  test('padded header', () => {
    assert.match(padded(h), /=$/)
    throwsCode(() => verify(forgeSegments(padded(h), P), SECRET, at), 'ERR_JWT_MALFORMED')
  })
  test('padded payload, MACed with the right key', () => {
    const p = b64('{"sub":"4"}') // 11 bytes: one "=" when padded
    assert.match(padded(p), /=$/)
    throwsCode(() => verify(forgeSegments(H, padded(p)), SECRET, at), 'ERR_JWT_MALFORMED')
  })
  test('a lone "=" appended to a segment of full quanta', () => {
    throwsCode(() => verify(forgeSegments(`${H}=`, P), SECRET, at), 'ERR_JWT_MALFORMED')
  })
  test('double padding', () => {
    const p = b64('{"sub":"420"}') // 13 bytes: "==" when padded
    assert.match(padded(p), /==$/)
    throwsCode(() => verify(forgeSegments(H, `${p}==`), SECRET, at), 'ERR_JWT_MALFORMED')
  })
})

describe('"+" and "/" (standard base64 instead of base64url)', () => {
  // JSON whose base64url encoding contains "-" and "_", so the standard-alphabet spelling has "+" and "/".
  const json = '{"alg":"HS256","x":"?>?>~~~"}'
  const url = b64(json)
  const std = Buffer.from(json).toString('base64').replace(/=+$/, '')
  test('self-check: the two spellings differ only in the alphabet', () => {
    assert.match(url, /[-_]/)
    assert.match(std, /[+/]/)
  })
  test('header in the standard alphabet', () => {
    throwsCode(() => verify(forgeSegments(std, P), SECRET, at), 'ERR_JWT_MALFORMED')
  })
  test('payload in the standard alphabet, MACed with the right key', () => {
    const pjson = '{"sub":"?>?>~~~"}'
    const pstd = Buffer.from(pjson).toString('base64').replace(/=+$/, '')
    assert.match(pstd, /[+/]/)
    throwsCode(() => verify(forgeSegments(H, pstd), SECRET, at), 'ERR_JWT_MALFORMED')
  })
  test('the url-safe header still verifies', () => {
    assert.equal(verify(forgeSegments(url, P), SECRET, at).sub, '42')
  })
})

describe('whitespace', () => {
  const spots: Record<string, (t: string) => string> = {
    'a leading space': (t) => ` ${t}`,
    'a trailing newline': (t) => `${t}\n`,
    'a trailing CRLF': (t) => `${t}\r\n`,
    'a tab before the signature': (t) => t.replace(/\.(?=[^.]*$)/, '.\t'),
    'a space after the first dot': (t) => t.replace('.', '. '),
    'a line break in the middle of the payload (PEM-style wrapping)': (t) =>
      t.replace(P, `${P.slice(0, 8)}\n${P.slice(8)}`),
    'a no-break space': (t) => `${t}\u00a0`,
    'a zero-width space': (t) => t.replace('.', '\u200b.'),
  }
  for (const [name, change] of Object.entries(spots)) {
    test(name, () => {
      throwsCode(() => verify(change(valid), SECRET, at), 'ERR_JWT_MALFORMED')
    })
  }
  test('whitespace inside the payload, MACed with the right key', () => {
    throwsCode(() => verify(forgeSegments(H, `${P.slice(0, 4)} ${P.slice(4)}`), SECRET, at), 'ERR_JWT_MALFORMED')
  })
})

describe('a segment length of 1 mod 4 (no byte string encodes to it)', () => {
  test('header + one character', () => {
    assert.equal((H.length + 1) % 4, 1)
    throwsCode(() => verify(forgeSegments(`${H}A`, P), SECRET, at), 'ERR_JWT_MALFORMED')
  })
  test('payload + one character, MACed with the right key', () => {
    const p = b64('{"sub":"42","x":1}') // 24 chars: full quanta
    assert.equal(p.length % 4, 0)
    throwsCode(() => verify(forgeSegments(H, `${p}A`), SECRET, at), 'ERR_JWT_MALFORMED')
  })
  test('a one-character header', () => {
    throwsCode(() => verify(forgeSegments('e', P), SECRET, at), 'ERR_JWT_MALFORMED')
  })
})

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'

/** Another spelling of the same bytes: sets the unused low bits of the last digit. */
function respell(segment: string): string {
  // The last digit of a partial quantum carries 2 or 4 unused low bits; canonical spelling has them zero.
  return segment.slice(0, -1) + (ALPHABET[ALPHABET.indexOf(segment.slice(-1)) | 1] as string)
}

describe('non-zero trailing bits: two spellings of the same bytes must not both verify', () => {
  // Payload JSON lengths chosen so the segment ends with a partial quantum (length 2 or 3 mod 4).
  for (const json of ['{"sub":"420"}', '{"sub":"4"}']) {
    const p = b64(json)
    const q = respell(p)
    test(`payload ${json}: ${p} and ${q} are one byte string to Buffer`, () => {
      assert.notEqual(p, q)
      assert.deepEqual(Buffer.from(q, 'base64url'), Buffer.from(p, 'base64url'))
      assert.equal(verify(forgeSegments(H, p), SECRET, at).sub, JSON.parse(json).sub)
      throwsCode(() => verify(forgeSegments(H, q), SECRET, at), 'ERR_JWT_MALFORMED')
    })
  }
  test('header respelled, MACed with the right key', () => {
    for (const h of [b64(H16), b64(H17)]) {
      assert.notEqual(h.length % 4, 0)
      assert.equal(verify(forgeSegments(h, P), SECRET, at).sub, '42')
      throwsCode(() => verify(forgeSegments(respell(h), P), SECRET, at), 'ERR_JWT_MALFORMED')
    }
  })
  test('our own codec refuses the second spelling directly', () => {
    throwsCode(() => base64url.decode('QR'), 'ERR_JWT_MALFORMED') // "QQ" is the canonical spelling of "A"
    assert.deepEqual([...base64url.decode('QQ')], [65])
  })
})

describe('characters outside the alphabet', () => {
  const foreign = ['!', '*', '~', '$', '%', '=', '\u0000', '\u007f', 'é', 'Ａ', '\u{1F600}', '\ud800']
  for (const c of foreign) {
    test(`${JSON.stringify(c)} in the header`, () => {
      throwsCode(() => verify(forgeSegments(`${H.slice(0, 4)}${c}${H.slice(5)}`, P), SECRET, at), 'ERR_JWT_MALFORMED')
    })
    test(`${JSON.stringify(c)} in the payload, MACed with the right key`, () => {
      throwsCode(() => verify(forgeSegments(H, `${P.slice(0, 4)}${c}${P.slice(5)}`), SECRET, at), 'ERR_JWT_MALFORMED')
    })
  }
  test('a payload character + 0x100 with the ORIGINAL signature (latin1 truncation would alias it)', () => {
    // "A" (0x41) and "\u0141" share their low byte: an encoder that truncates to bytes would MAC the same input.
    const alias = String.fromCharCode(P.charCodeAt(5) + 0x100)
    throwsCode(() => verify(`${H}.${P.slice(0, 5)}${alias}${P.slice(6)}.${SIG}`, SECRET, at), 'ERR_JWT_MALFORMED')
  })
})

describe('oversized tokens are refused by the length check', () => {
  test('a 10 MB token', () => {
    const big = `${H}.${'A'.repeat(10 * 1024 * 1024)}.${SIG}`
    const err = throwsCode(() => verify(big, SECRET, at), 'ERR_JWT_MALFORMED')
    assert.match(err.message, /maxTokenLength/)
    throwsCode(() => decodeUnverified(big), 'ERR_JWT_MALFORMED')
  })
  test('a token of a million dots', () => {
    const dots = '.'.repeat(1_000_000)
    throwsCode(() => verify(dots, SECRET, at), 'ERR_JWT_MALFORMED')
    throwsCode(() => decodeUnverified(dots), 'ERR_JWT_MALFORMED')
  })
  test('a million dots under a raised maxTokenLength: refused at the split', () => {
    const err = throwsCode(
      () => verify('.'.repeat(1_000_000), SECRET, { ...at, maxTokenLength: 2_000_000 }),
      'ERR_JWT_MALFORMED',
    )
    assert.match(err.message, /three dot-separated segments/)
  })
  test('a 10 MB run of "A" under a raised maxTokenLength: refused at the split', () => {
    throwsCode(
      () => verify('A'.repeat(10 * 1024 * 1024), SECRET, { ...at, maxTokenLength: 20_000_000 }),
      'ERR_JWT_MALFORMED',
    )
  })
  test('exactly maxTokenLength characters is accepted, one more is refused', () => {
    assert.equal(verify(valid, SECRET, { ...at, maxTokenLength: valid.length }).sub, '42')
    throwsCode(() => verify(valid, SECRET, { ...at, maxTokenLength: valid.length - 1 }), 'ERR_JWT_MALFORMED')
    throwsCode(() => decodeUnverified(valid, { maxTokenLength: valid.length - 1 }), 'ERR_JWT_MALFORMED')
  })
  test('the default limit is 8192 characters', () => {
    const p = b64(JSON.stringify({ sub: '42', pad: 'x'.repeat(8192) }))
    throwsCode(() => verify(forgeSegments(H, p), SECRET, at), 'ERR_JWT_MALFORMED')
  })
})

describe('the token is not a string', () => {
  const values: Record<string, unknown> = {
    undefined: undefined,
    null: null,
    number: 42,
    object: {},
    array: [valid],
    'String object': new String(valid),
    Buffer: Buffer.from(valid),
    'object with toString': { toString: () => valid },
  }
  for (const [name, value] of Object.entries(values)) {
    test(name, () => {
      throwsCode(() => verify(value as string, SECRET, at), 'ERR_JWT_MALFORMED')
      throwsCode(() => decodeUnverified(value as string), 'ERR_JWT_MALFORMED')
    })
  }
})

test('decodeUnverified applies the same strictness as verify', () => {
  for (const token of [
    forgeSegments(padded(b64(H16)), P),
    `${valid}=`,
    `${H}.${respell(b64('{"sub":"420"}'))}.${SIG}`,
  ]) {
    throwsCode(() => decodeUnverified(token), 'ERR_JWT_MALFORMED')
  }
  assert.ok(decodeUnverified(sign({ a: 1 }, SECRET)).payload.a === 1)
})

test('every error above is a JwtError with status 401', () => {
  const err = throwsCode(() => verify('x', SECRET, at), 'ERR_JWT_MALFORMED')
  assert.ok(err instanceof JwtError)
  assert.equal(err.status, 401)
})
