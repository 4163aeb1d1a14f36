import { invalidOption, keySetUnavailable } from './errors.js'
import { asJwtError } from './lib/contain.js'
import { type KeySetData, readKeySet, registerLocalSet } from './lib/keyset.js'
import { checkUrl, fetchJson, type Locate, RemoteCache, readRemoteOptions, registerRemoteSet } from './lib/remote.js'
import type { JsonWebKey, KeySet, RemoteKeySet, RemoteKeySetOptions } from './types.js'

/**
 * A local JWK Set: `verify(token, set)` and `createVerifier(set)` choose the key for each token, synchronously.
 * With a `kid`, the key with that `kid` (it must fit the token's `alg`); without, the one key that fits the
 * `alg`, and several are `ERR_JWKS_MULTIPLE_MATCHES`. Keys jwt-codec cannot use (unknown `kty`, `use: "enc"`,
 * `key_ops` without `verify`, short RSA, bad members) are skipped. The set is read once: changing `jwks` later
 * changes nothing.
 *
 * @param jwks - `{ keys: [...] }`, as an issuer publishes it
 * @returns the set
 * @throws {JwtError} `ERR_JWT_INVALID_OPTION` when `jwks` is not an object with a `keys` array
 * @example
 * ```ts
 * import { createKeySet, createVerifier, generateKeyPair, jwkThumbprint, toPublicJwk } from 'jwt-codec'
 * const { publicKey } = generateKeyPair('ES256')
 * const keys = createKeySet({ keys: [{ ...toPublicJwk(publicKey), kid: jwkThumbprint(publicKey), alg: 'ES256' }] })
 * const verifyToken = createVerifier(keys, { issuer: 'https://login.example.com/' })
 * ```
 */
export function createKeySet(jwks: { keys: JsonWebKey[] }): KeySet {
  let data: KeySetData
  try {
    data = readKeySet(jwks, true)
  } catch (err) {
    throw asJwtError(err, 'the JWK Set cannot be read')
  }
  const set = Object.freeze({ size: data.entries.length }) as unknown as KeySet
  registerLocalSet(set, data)
  return set
}

function remoteSet(cache: RemoteCache, url: () => string): RemoteKeySet {
  const set = Object.freeze({
    get url(): string {
      return url()
    },
    refresh: (): Promise<void> => cache.refresh(),
  }) as unknown as RemoteKeySet
  registerRemoteSet(set, cache)
  return set
}

/**
 * A JWK Set fetched from `url` with the global `fetch` (or the `fetch` option) and cached. Within `cacheMaxAge`
 * a verify never waits on the network; after it the set is refetched in the background while cached keys serve.
 * An unknown `kid` refetches at most once per `cooldown`, and every caller shares the one fetch in flight. While
 * the endpoint fails, cached keys serve for `staleIfError` past `cacheMaxAge`; after that, and when the set was
 * never had, verification fails with `ERR_JWKS_UNAVAILABLE` (503). Each fetch has `timeout`, reads at most
 * `maxBytes`, follows no redirect, and needs status 200 and an object with a `keys` array. The URL is yours alone:
 * never taken from a token (`jku`, `x5u`, `iss`).
 *
 * @param url - `https:` (plain `http:` only on localhost, 127.0.0.0/8 or [::1])
 * @param options - {@link RemoteKeySetOptions}
 * @returns the set, fetched when a verify first needs it (or on `refresh()`)
 * @throws {JwtError} `ERR_JWT_INVALID_OPTION` for a bad URL or options
 * @example
 * ```ts
 * import { createRemoteKeySet, createVerifier } from 'jwt-codec'
 * const keys = createRemoteKeySet('https://login.example.com/.well-known/jwks.json', { cacheMaxAge: '10m' })
 * const verifyToken = createVerifier(keys, { issuer: 'https://login.example.com/', audience: 'api' })
 * const claims = await verifyToken(token)
 * ```
 */
export function createRemoteKeySet(url: string | URL, options?: RemoteKeySetOptions): RemoteKeySet {
  const href = checkUrl(url, 'the key set URL').href
  const o = readRemoteOptions(options)
  const cache = new RemoteCache(() => Promise.resolve(href), o)
  return remoteSet(cache, () => href)
}

const DISCOVERY_PATH = '/.well-known/openid-configuration'

/**
 * The key set of an OpenID Connect issuer (OpenID Connect Discovery 1.0): reads
 * `<issuer>/.well-known/openid-configuration`, requires its `issuer` to equal `issuer` exactly (§4.3), and uses
 * its `jwks_uri` (under the same URL rules) as {@link createRemoteKeySet} would. The discovery document is read
 * when the keys are first needed and kept once read.
 *
 * @param issuer - the issuer identifier, exactly as its tokens' `iss` says it
 * @param options - {@link RemoteKeySetOptions}, for both fetches
 * @returns the set
 * @throws {JwtError} `ERR_JWT_INVALID_OPTION` for a bad issuer URL or options; verification fails with
 *   `ERR_JWKS_UNAVAILABLE` when the document cannot be had, names another issuer, or gives no usable `jwks_uri`
 * @example
 * ```ts
 * import { createVerifier, discoverKeySet } from 'jwt-codec'
 * const issuer = 'https://login.example.com/'
 * const verifyToken = createVerifier(discoverKeySet(issuer), { issuer, audience: 'api' })
 * const claims = await verifyToken(token)
 * ```
 */
export function discoverKeySet(issuer: string, options?: RemoteKeySetOptions): RemoteKeySet {
  if (typeof issuer !== 'string') throw invalidOption('the issuer must be a string')
  const issuerUrl = checkUrl(issuer, 'the issuer')
  if (issuerUrl.search !== '' || issuerUrl.hash !== '') {
    throw invalidOption('the issuer must not have a query or a fragment (OpenID Connect Discovery §2)')
  }
  const o = readRemoteOptions(options)
  // §4: the issuer with any trailing "/" removed, then the well-known path.
  const configUrl = `${issuer.replace(/\/+$/, '')}${DISCOVERY_PATH}`
  let jwksUri: string | undefined
  let finding: Promise<string> | undefined
  const locate: Locate = () => {
    if (jwksUri !== undefined) return Promise.resolve(jwksUri)
    finding ??= (async () => {
      try {
        const doc = await fetchJson(configUrl, o, 'discovery document')
        const d = typeof doc === 'object' && doc !== null ? (doc as Record<string, unknown>) : undefined
        const said = d !== undefined && Object.hasOwn(d, 'issuer') ? d.issuer : undefined
        // §4.3: the issuer in the document must be identical to the one the document was fetched for.
        if (said !== issuer) throw keySetUnavailable('the discovery document names another issuer')
        const uri = Object.hasOwn(d as object, 'jwks_uri') ? (d as Record<string, unknown>).jwks_uri : undefined
        let href: string
        try {
          href = checkUrl(uri, 'jwks_uri').href
        } catch {
          throw keySetUnavailable('the discovery document has no usable "jwks_uri"')
        }
        jwksUri = href
        return href
      } finally {
        finding = undefined
      }
    })()
    return finding
  }
  const cache = new RemoteCache(locate, o)
  return remoteSet(cache, () => jwksUri ?? configUrl)
}
