/**
 * Recognising key material of another kind offered as an HMAC secret: PEM, JWK and JWKS JSON (also behind Unicode
 * blanks or in UTF-16), DER-encoded SPKI/PKCS#8/PKCS#1/SEC1 keys and X.509 certificates (raw or as base64 text),
 * and OpenSSH public keys. An HMAC "secret" that is really a public key is the classic algorithm-confusion attack
 * (RFC 8725 §2.1, §3.1; CVE-2015-9235, CVE-2016-10555): whoever has the public key could forge tokens.
 *
 * The one-shot sign and verify run these checks on every call, so each costly step (decoding text, JSON, base64,
 * parsing a key) sits behind a cheap test on the first bytes that a random secret almost never passes.
 */
import { createPrivateKey, createPublicKey, X509Certificate } from 'node:crypto'

/**
 * Blanks that String.prototype.trim removes (ECMA-262 WhiteSpace and LineTerminator) and that fit in one UTF-16
 * unit: TAB to CR, SPACE, NBSP, OGHAM SPACE, U+2000 to U+200A, LS, PS, NNBSP, MMSP, IDEOGRAPHIC SPACE, BOM.
 */
function isBlankChar(c: number): boolean {
  if (c <= 0x20) return c === 0x20 || (c >= 0x09 && c <= 0x0d)
  if (c < 0xa0) return false
  return (
    c === 0xa0 ||
    c === 0x1680 ||
    (c >= 0x2000 && c <= 0x200a) ||
    c === 0x2028 ||
    c === 0x2029 ||
    c === 0x202f ||
    c === 0x205f ||
    c === 0x3000 ||
    c === 0xfeff
  )
}

/**
 * The first char of a text format that can carry a key, once leading blanks are skipped: '{' (JWK, JWKS), 'M'
 * (base64 of a DER SEQUENCE: 0x30 is 001100.. in base64), 's' and 'e' (OpenSSH: ssh-*, sk-*, ecdsa-sha2-*), '0'
 * (0x30, a raw DER SEQUENCE) and NUL (UTF-16 big-endian text read as UTF-8).
 */
function isTriggerChar(c: number): boolean {
  return c === 0x7b || c === 0x4d || c === 0x73 || c === 0x65 || c === 0x30 || c === 0x00
}

/**
 * A cheap pre-check on a string secret: true only when {@link looksLikeKeyMaterial} of its UTF-8 bytes is surely
 * false, so the common random secret costs one search and one char test. No "-----" anywhere (PEM markers, any
 * case), and a first non-blank char that starts none of the formats above. A UTF-16 byte-order mark cannot come
 * from a well-formed string's UTF-8 (0xFE and 0xFF never occur in UTF-8).
 */
export function surelyNotKeyMaterial(secret: string): boolean {
  if (secret.includes('-----')) return false
  let i = 0
  while (i < secret.length && isBlankChar(secret.charCodeAt(i))) i++
  return i < secret.length && !isTriggerChar(secret.charCodeAt(i))
}

/** Skips what {@link isBlankChar} calls blank, in UTF-8 (and a lone latin1 NBSP byte), from byte `i`. */
function skipBlankBytes(bytes: Uint8Array, start: number): number {
  let i = start
  for (;;) {
    const b = bytes[i]
    if (b === undefined) return i
    if (b === 0x20 || (b >= 0x09 && b <= 0x0d) || b === 0xa0) {
      i++
    } else if (b === 0xc2 && bytes[i + 1] === 0xa0) {
      i += 2
    } else if (b === 0xef && bytes[i + 1] === 0xbb && bytes[i + 2] === 0xbf) {
      i += 3
    } else if (b >= 0xe1 && b <= 0xe3 && i + 2 < bytes.length) {
      const c = ((b & 0x0f) << 12) | (((bytes[i + 1] as number) & 0x3f) << 6) | ((bytes[i + 2] as number) & 0x3f)
      if (!isBlankChar(c)) return i
      i += 3
    } else {
      return i
    }
  }
}

const PEM_BEGIN = '-----begin'

/** "-----BEGIN" in any letter case, anywhere (whatever precedes a PEM block, it is still a PEM block). */
function hasPemMarker(bytes: Buffer): boolean {
  let at = bytes.indexOf('-----')
  while (at !== -1) {
    if (bytes.toString('latin1', at, at + PEM_BEGIN.length).toLowerCase() === PEM_BEGIN) return true
    at = bytes.indexOf('-----', at + 1)
  }
  return false
}

/**
 * The total length an ASN.1 DER SEQUENCE announces in its first bytes (X.690 §8.1: tag 0x30, then a short length
 * below 0x80 or 0x81 to 0x83 and that many length bytes), or -1 when the bytes do not start one.
 */
function derSequenceLength(b0: number, b1: number, b2: number, b3: number, b4: number): number {
  if (b0 !== 0x30) return -1
  if (b1 < 0x80) return 2 + b1
  if (b1 === 0x81) return 3 + b2
  if (b1 === 0x82) return 4 + ((b2 << 8) | b3)
  if (b1 === 0x83) return 5 + ((b2 << 16) | (b3 << 8) | b4)
  return -1
}

/**
 * DER bytes that node:crypto parses as a key or certificate. Only a SEQUENCE whose announced length is exactly
 * the byte count is handed to OpenSSL, so a random secret starting with 0x30 pays one comparison.
 */
function isDerKey(der: Buffer): boolean {
  const total = derSequenceLength(der[0] ?? 0, der[1] ?? 0, der[2] ?? 0, der[3] ?? 0, der[4] ?? 0)
  if (total !== der.length) return false
  const attempts: Array<() => unknown> = [
    () => createPublicKey({ key: der, format: 'der', type: 'spki' }),
    () => createPublicKey({ key: der, format: 'der', type: 'pkcs1' }),
    () => createPrivateKey({ key: der, format: 'der', type: 'pkcs8' }),
    () => createPrivateKey({ key: der, format: 'der', type: 'pkcs1' }),
    () => createPrivateKey({ key: der, format: 'der', type: 'sec1' }),
    () => new X509Certificate(der),
  ]
  for (const attempt of attempts) {
    try {
      attempt()
      return true
    } catch {
      // not this kind of key; try the next
    }
  }
  return false
}

const BASE64_DIGIT = new Int8Array(128).fill(-1)
{
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/'
  for (let i = 0; i < 64; i++) BASE64_DIGIT[alphabet.charCodeAt(i)] = i
  BASE64_DIGIT[0x2d] = 62 // '-' of base64url
  BASE64_DIGIT[0x5f] = 63 // '_' of base64url
}

/**
 * Base64 or base64url text (whitespace, such as the line breaks of a PEM body, allowed; padding optional) that
 * decodes to a DER key. The first eight digits give the SEQUENCE header; only when the length it announces is the
 * length the text decodes to is the text decoded and the key parsed.
 */
function isBase64DerKey(text: string): boolean {
  const digits = text.replace(/\s+/g, '').replace(/={1,2}$/, '')
  if (digits.length < 8 || !/^[A-Za-z0-9+/_-]+$/.test(digits)) return false
  const head: number[] = []
  for (let i = 0; i < 8; i += 4) {
    let v = 0
    for (let j = 0; j < 4; j++) v = (v << 6) | (BASE64_DIGIT[digits.charCodeAt(i + j)] as number)
    head.push(v >>> 16, (v >>> 8) & 0xff, v & 0xff)
  }
  const total = derSequenceLength(head[0] ?? 0, head[1] ?? 0, head[2] ?? 0, head[3] ?? 0, head[4] ?? 0)
  if (total !== Math.floor((digits.length * 3) / 4)) return false
  return isDerKey(Buffer.from(digits, 'base64'))
}

/** OpenSSH public key lines (RFC 4253 §6.6 key types, RFC 5656 ECDSA, the FIDO `sk-` types). */
const OPENSSH = /^(?:ssh-(?:rsa|dss|ed25519|ed448)|ecdsa-sha2-[\w-]+|sk-[\w-]+@openssh\.com)[ \t]/

/** Text (already known to be free of PEM markers) in one of the key formats, once trimmed. */
function textLooksLikeKey(text: string): boolean {
  const t = text.trim()
  const c = t.charCodeAt(0)
  if (c === 0x7b /* { */) {
    try {
      const parsed: unknown = JSON.parse(t)
      if (typeof parsed !== 'object' || parsed === null) return false
      // A JWK (RFC 7517 §4.1 "kty") or a JWK Set (RFC 7517 §5 "keys").
      return Object.hasOwn(parsed, 'kty') || Array.isArray((parsed as { keys?: unknown }).keys)
    } catch {
      return false
    }
  }
  if (c === 0x4d /* M */) return isBase64DerKey(t)
  if (c === 0x73 /* s */ || c === 0x65 /* e */) return OPENSSH.test(t)
  return false
}

/**
 * UTF-16 text held as bytes: with a byte-order mark (FF FE little-endian, FE FF big-endian), or without one when
 * the first unit is ASCII (a zero high byte). Returns the decoded text, or undefined for anything else.
 */
function utf16Text(bytes: Buffer): string | undefined {
  if (bytes.length < 4) return undefined
  const b0 = bytes[0] as number
  const b1 = bytes[1] as number
  let littleEndian: boolean
  let start = 0
  if (b0 === 0xff && b1 === 0xfe) {
    littleEndian = true
    start = 2
  } else if (b0 === 0xfe && b1 === 0xff) {
    littleEndian = false
    start = 2
  } else if (b1 === 0 && b0 !== 0) {
    littleEndian = true
  } else if (b0 === 0 && b1 !== 0) {
    littleEndian = false
  } else {
    return undefined
  }
  const units = bytes.subarray(start, start + ((bytes.length - start) & ~1))
  if (littleEndian) return units.toString('utf16le')
  const swapped = Buffer.alloc(units.length)
  for (let i = 0; i < units.length; i += 2) {
    swapped[i] = units[i + 1] as number
    swapped[i + 1] = units[i] as number
  }
  return swapped.toString('utf16le')
}

/**
 * True when the secret's bytes hold key material of another kind: a PEM marker in any case, DER key bytes, or
 * (as UTF-8 or UTF-16 text, behind any leading blanks) a JWK, a JWK Set, base64 DER or an OpenSSH public key.
 */
export function looksLikeKeyMaterial(bytes: Buffer): boolean {
  if (hasPemMarker(bytes)) return true
  if (bytes[0] === 0x30 && isDerKey(bytes)) return true
  const first = bytes[skipBlankBytes(bytes, 0)]
  if (first !== undefined && isTriggerChar(first)) {
    // UTF-8 first; latin1 too, where a lone 0xA0 byte (NBSP) is a blank rather than an invalid sequence.
    if (textLooksLikeKey(bytes.toString('utf8')) || textLooksLikeKey(bytes.toString('latin1'))) return true
  }
  const utf16 = utf16Text(bytes)
  if (utf16 === undefined) return false
  if (/-----begin/i.test(utf16)) return true
  let i = 0
  while (i < utf16.length && isBlankChar(utf16.charCodeAt(i))) i++
  return isTriggerChar(utf16.charCodeAt(i)) && textLooksLikeKey(utf16)
}
