/**
 * Small tools for the known-answer tests: flipping one bit of a base64url segment (re-encoded canonically with
 * Buffer's encoder, so the result is a well-formed segment that differs in exactly one bit), and splitting a
 * compact JWS into its signing input and signature.
 */

/** `segment` (base64url) with bit `bit` of byte `index` flipped; negative indexes count from the end. */
export function flipBit(segment: string, index: number, bit = 0): string {
  const bytes = Buffer.from(segment, 'base64url')
  const i = index < 0 ? bytes.length + index : index
  bytes[i] = (bytes[i] as number) ^ (1 << bit)
  return bytes.toString('base64url')
}

/** A compact JWS as its three segments and its JWS Signing Input (RFC 7515 §7.1). */
export function parts(token: string): { header: string; payload: string; signature: string; signingInput: string } {
  const [header, payload, signature] = token.split('.') as [string, string, string]
  return { header, payload, signature, signingInput: `${header}.${payload}` }
}

/** The token with its signature replaced. */
export function withSignature(token: string, signature: string): string {
  return `${token.slice(0, token.lastIndexOf('.'))}.${signature}`
}

/**
 * One-bit changes to a token that must each fail the signature: the first and the last byte of the signature, and
 * one payload bit (the header is left alone: it is parsed before the signature is checked).
 */
export function oneBitFlips(token: string): Array<[string, string]> {
  const { header, payload, signature } = parts(token)
  return [
    ['the first signature byte', `${header}.${payload}.${flipBit(signature, 0)}`],
    ['the last signature byte', `${header}.${payload}.${flipBit(signature, -1, 7)}`],
    ['a payload byte', `${header}.${flipBit(payload, 1, 2)}.${signature}`],
  ]
}
