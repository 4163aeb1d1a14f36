/**
 * Keeping caller-supplied objects from throwing through a documented call. Options, payloads and secrets are
 * data the caller hands us, yet reading them can run code: a Proxy trap (a revoked Proxy throws on every
 * operation), a getter, a `toJSON`. Whatever that code throws must reach the caller as a JwtError with a stable
 * code, not as a raw TypeError from deep inside the library.
 */
import { invalidOption, JwtError } from '../errors.js'

/**
 * A JwtError passes through unchanged; anything else becomes ERR_JWT_INVALID_OPTION (the input is the caller's,
 * not the token's). The original is not kept as a `cause`: it came from caller code and may quote their data.
 */
export function asJwtError(err: unknown, message: string): JwtError {
  try {
    if (err instanceof JwtError) return err
  } catch {
    // a revoked Proxy thrown as the error: not ours
  }
  return invalidOption(message)
}
