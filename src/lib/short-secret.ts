/**
 * The process warning for verify's `insecureShortSecret`: a secret shorter than RFC 7518 §3.2 asks can be
 * brute-forced offline from one token, so accepting it is a migration step, never a setting to forget. The
 * warning is emitted once per process (per copy of the library), through `process.emitWarning`, so that it
 * reaches the operator's logs and `--no-warnings` or a 'warning' listener can handle it like Node's own.
 * It names the option and never the secret.
 */

/** The `code` of the warning, for `process.on('warning')` listeners and `--disable-warning`. */
export const SHORT_SECRET_WARNING_CODE = 'JWT_CODEC_SHORT_SECRET'

/** Once set, the warning has been emitted. The only state here: a flag that moves from false to true once. */
let warned = false

/** Emits the warning the first time a verifier is made with `insecureShortSecret: true`. */
export function warnShortSecret(): void {
  if (warned) return
  warned = true
  process.emitWarning(
    'jwt-codec: a verifier accepts secrets shorter than RFC 7518 §3.2 requires (insecureShortSecret: true). ' +
      'Sign new tokens with a strong secret and a "kid", and remove this option once the old tokens have expired.',
    { type: 'SecurityWarning', code: SHORT_SECRET_WARNING_CODE },
  )
}
