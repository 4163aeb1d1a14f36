/**
 * Type-level test: every line after a `@ts-expect-error` must fail to compile. `npm run typecheck` checks this
 * file (tsconfig.json includes test/): a line that starts compiling is an "Unused '@ts-expect-error' directive"
 * error. Each statement is kept on one line so that the directive can only be met by the error it names.
 * Never run: it is not a *.test.ts file.
 */
import jwt, {
  type CompleteVerifyOptions,
  createSigner,
  createVerifier,
  decodeUnverified,
  type SignOptions,
  sign,
  type VerifyOptions,
  verify,
} from '../src/index.js'

declare const token: string
declare const secret: string
declare const flag: boolean
const plainOptions: VerifyOptions = { issuer: 'auth' }

// --- verify options (as typed variables, where the compiler names the exact property, then as call arguments)
// @ts-expect-error 'RS1' is not an Algorithm
export const v1: VerifyOptions = { algorithms: ['RS1'] }
// @ts-expect-error expiresIn is a sign option, not a verify option
export const v2: VerifyOptions = { expiresIn: '1h' }
// @ts-expect-error expiresIn is a number of seconds or a duration string
export const s1: SignOptions = { expiresIn: true }
// @ts-expect-error 'rs256' is not an Algorithm (names are case-sensitive)
verify(token, secret, { algorithms: ['rs256'] })
// @ts-expect-error 'none' is not an Algorithm
verify(token, secret, { algorithms: ['none'] })
// @ts-expect-error algorithms is an array, not one name
verify(token, secret, { algorithms: 'HS256' })
// @ts-expect-error a misspelt option name is an excess property
verify(token, secret, { audiance: 'api' })
// @ts-expect-error jsonwebtoken's clockTimestamp is called now here
verify(token, secret, { clockTimestamp: 1 })
// @ts-expect-error issuer is a string or an array of strings
verify(token, secret, { issuer: 1 })
// @ts-expect-error audience takes strings and RegExps only
verify(token, secret, { audience: [1] })
// @ts-expect-error clockTolerance is a number or a duration string
verify(token, secret, { clockTolerance: true })
// @ts-expect-error maxAge is a number or a duration string
verify(token, secret, { maxAge: null })
// @ts-expect-error complete is a boolean
verify(token, secret, { complete: 'yes' })
// @ts-expect-error now is seconds, not a Date
verify(token, secret, { now: new Date() })
// @ts-expect-error requiredClaims is an array of strings
verify(token, secret, { requiredClaims: 'exp' })
// @ts-expect-error maxTokenLength is a number
verify(token, secret, { maxTokenLength: '8192' })
// @ts-expect-error the token is a string
verify(42, secret)
// @ts-expect-error a secret is a string, a Uint8Array or a KeyObject
verify(token, 42)

// --- sign options and payloads
// @ts-expect-error expiresIn is a number of seconds or a duration string
sign({}, secret, { expiresIn: true })
// @ts-expect-error notBefore likewise
sign({}, secret, { notBefore: {} })
// @ts-expect-error 'ES256K' is not an Algorithm
sign({}, secret, { algorithm: 'ES256K' })
// @ts-expect-error sign takes algorithm, not algorithms
sign({}, secret, { algorithms: ['HS256'] })
// @ts-expect-error jsonwebtoken's lowercase keyid is keyId here
sign({}, secret, { keyid: 'k' })
// @ts-expect-error jsonwebtoken's lowercase jwtid is jwtId here
sign({}, secret, { jwtid: 'j' })
// @ts-expect-error audience in sign takes no RegExp
sign({}, secret, { audience: /api/ })
// @ts-expect-error noTimestamp is a boolean
sign({}, secret, { noTimestamp: 'yes' })
// @ts-expect-error the payload is an object, not a string
sign('payload', secret)
// @ts-expect-error a secret is a string, a Uint8Array or a KeyObject
sign({}, 42)
// @ts-expect-error createSigner's function takes an object payload
createSigner(secret)(42)

// --- results
// @ts-expect-error the typed claims: name is a string, not a number
export const n: number = verify<{ name: string }>(token, secret).name
// @ts-expect-error with complete: true the result is { header, payload, signature }, not the payload
export const s: string = verify<{ sub: string }>(token, secret, { complete: true }).sub
// @ts-expect-error without complete: true there is no header
export const h: string = verify<{ sub: string }>(token, secret).header
// @ts-expect-error T must be an object type
verify<string>(token, secret)
// @ts-expect-error a typed verifier returns its T
export const f: (t: string) => { sub: number } = createVerifier<{ sub: string }>(secret)
// @ts-expect-error decodeUnverified takes only maxTokenLength
decodeUnverified(token, { complete: true })

// --- the claims type joined with the registered claims
// @ts-expect-error exp is a NumericDate (number), also beside the caller's own claims
export const e: string = verify<{ role: string }>(token, secret).exp
// @ts-expect-error the caller's claims keep their types next to the registered ones
export const r: number = verify<{ role: string }>(token, secret).role
// @ts-expect-error the complete result's payload has the registered claims too
export const pe: string = verify<{ role: string }>(token, secret, { complete: true }).payload.exp
// @ts-expect-error a verifier's claims have the registered claims too
export const ve: string = createVerifier<{ role: string }>(secret)(token).exp

// --- VerifyOptions, CompleteVerifyOptions and a run-time `complete`
// @ts-expect-error a VerifyOptions variable never has complete: true (that is CompleteVerifyOptions)
export const vo: VerifyOptions = { complete: true }
// @ts-expect-error CompleteVerifyOptions needs complete: true
export const cvo: CompleteVerifyOptions = { issuer: 'auth' }
// @ts-expect-error a VerifyOptions variable gives the claims, which have no header
export const vh: { alg: string } = verify<{ sub: string }>(token, secret, plainOptions).header
// @ts-expect-error a boolean complete gives the union, not the claims
export const u: { sub: string } = verify<{ sub: string }>(token, secret, { complete: flag })
// @ts-expect-error a boolean complete gives the union, not the complete result
export const uc: { signature: string } = createVerifier(secret, { complete: flag })(token)

// --- typed payloads
// @ts-expect-error sign<T> checks the payload against T
sign<{ sub: string }>({ sub: 42 }, secret)
// @ts-expect-error sign<T> refuses members T does not have
sign<{ sub: string }>({ sub: '42', role: 'admin' }, secret)
// @ts-expect-error createSigner<T>'s function checks the payload against T
createSigner<{ sub: string }>(secret)({ sub: 42 })
// @ts-expect-error createSigner<T>'s function needs T's required members
createSigner<{ sub: string; role: string }>(secret)({ sub: '42' })

// --- the verify-only opt-in for short secrets
// @ts-expect-error insecureShortSecret is a verify option: sign refuses it
sign({}, secret, { insecureShortSecret: true })
// @ts-expect-error insecureShortSecret is a verify option: createSigner refuses it
createSigner(secret, { insecureShortSecret: true })
// @ts-expect-error insecureShortSecret is the boolean true, not a string
verify(token, secret, { insecureShortSecret: 'yes' })

// --- the default export
// @ts-expect-error the default export's sign is the named sign: the payload is an object
jwt.sign('payload', secret)
// @ts-expect-error the default export is frozen (read-only members)
jwt.sign = sign
// @ts-expect-error the default export has only the package's functions and classes
jwt.encode({}, secret)
