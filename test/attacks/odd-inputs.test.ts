/**
 * Odd values where the API takes data: detached buffers, Proxies (revoked or not), throwing getters. Each call
 * answers with a JwtError and its stable code, never a raw TypeError; the predicates documented never to throw
 * do not throw.
 */
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { describeError } from '../../src/http/index.js'
import { base64url, createSigner, createVerifier, isJwtError, JwtError, sign, verify } from '../../src/index.js'
import { forge, NOW, SECRET, throwsCode } from '../helpers/forge.js'

/** A Uint8Array whose ArrayBuffer has been transferred away: its length now reads 0. */
function detached(): Uint8Array {
  const bytes = new Uint8Array(Buffer.from(SECRET))
  structuredClone(bytes, { transfer: [bytes.buffer] })
  return bytes
}

function revoked(): object {
  const { proxy, revoke } = Proxy.revocable({}, {})
  revoke()
  return proxy
}

const token = forge({ alg: 'HS256', typ: 'JWT' }, { sub: '1' })

function invalidOption(fn: () => unknown): void {
  assert.equal(throwsCode(fn, 'ERR_JWT_INVALID_OPTION').status, 500)
}

describe('odd inputs give a JwtError, never a raw TypeError', () => {
  it('a Uint8Array over a detached buffer as the secret', () => {
    invalidOption(() => sign({ sub: '1' }, detached()))
    invalidOption(() => verify(token, detached(), { now: NOW }))
    invalidOption(() => createSigner(detached()))
    invalidOption(() => createVerifier(detached()))
  })

  it('a Uint8Array over a detached buffer given to base64url.encode', () => {
    invalidOption(() => base64url.encode(detached()))
    assert.equal(base64url.encode(new Uint8Array(0)), '')
  })

  it('revoked Proxies as secret, options, payload and token', () => {
    invalidOption(() => sign({ sub: '1' }, revoked() as Uint8Array))
    invalidOption(() => verify(token, revoked() as Uint8Array))
    invalidOption(() => createSigner(revoked() as Uint8Array))
    invalidOption(() => createVerifier(revoked() as Uint8Array))
    invalidOption(() => sign({ sub: '1' }, SECRET, revoked()))
    invalidOption(() => verify(token, SECRET, revoked()))
    invalidOption(() => createSigner(SECRET, revoked()))
    invalidOption(() => createVerifier(SECRET, revoked()))
    invalidOption(() => sign(revoked(), SECRET))
    invalidOption(() => createSigner(SECRET)(revoked()))
    assert.equal(throwsCode(() => verify(revoked() as unknown as string, SECRET), 'ERR_JWT_MALFORMED').status, 401)
    invalidOption(() => base64url.encode(revoked() as Uint8Array))
  })

  it('live Proxies that pose as a Uint8Array or whose traps throw', () => {
    invalidOption(() => sign({ sub: '1' }, new Proxy(new Uint8Array(Buffer.from(SECRET)), {})))
    invalidOption(() => base64url.encode(new Proxy(new Uint8Array(4), {})))
    const throwing = new Proxy(
      {},
      {
        ownKeys() {
          throw new Error('trap')
        },
      },
    )
    invalidOption(() => verify(token, SECRET, throwing))
    invalidOption(() => sign(throwing, SECRET))
  })

  it('a payload or an options object with a throwing getter', () => {
    const payload = {
      get sub(): string {
        throw new Error('getter')
      },
    }
    invalidOption(() => sign(payload, SECRET))
    invalidOption(() => createSigner(SECRET)(payload))
    const options = {
      get algorithms(): string[] {
        throw new Error('getter')
      },
    }
    invalidOption(() => verify(token, SECRET, options as object))
  })

  it('isJwtError never throws', () => {
    assert.equal(isJwtError(revoked()), false)
    const branded = Object.defineProperty({}, Symbol.for('jwt-codec.JwtError'), {
      get() {
        throw new Error('getter')
      },
    })
    assert.equal(isJwtError(branded), false)
    const trap = new Proxy(
      {},
      {
        getPrototypeOf() {
          throw new Error('trap')
        },
      },
    )
    assert.equal(isJwtError(trap), false)
  })

  it('describeError never throws, and answers 500 for what it cannot read', () => {
    const serverError = {
      status: 500,
      headers: { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' },
      body: { error: 'server_error', error_description: 'the server is not configured correctly' },
    }
    assert.deepStrictEqual(describeError(revoked()), serverError)
    const hostile = new Proxy(new JwtError('ERR_JWT_EXPIRED', 'the token has expired'), {
      get() {
        throw new Error('trap')
      },
    })
    assert.deepStrictEqual(describeError(hostile), serverError)
    const getter = Object.create(JwtError.prototype, {
      code: {
        get() {
          throw new Error('getter')
        },
      },
    })
    assert.deepStrictEqual(describeError(getter), serverError)
    const unknownCode = Object.create(JwtError.prototype, { code: { value: 'ERR_NOT_OURS' }, status: { value: 401 } })
    assert.deepStrictEqual(describeError(unknownCode), serverError)
    const realm = {
      get realm(): string {
        throw new Error('getter')
      },
    }
    assert.deepStrictEqual(describeError(new JwtError('ERR_JWT_EXPIRED', 'x'), realm), serverError)
    assert.deepStrictEqual(describeError(new JwtError('ERR_JWT_EXPIRED', 'x'), { realm: 'api' }), {
      status: 401,
      headers: {
        'content-type': 'application/json; charset=utf-8',
        'cache-control': 'no-store',
        'www-authenticate': 'Bearer realm="api", error="invalid_token", error_description="the token has expired"',
      },
      body: { error: 'invalid_token', error_description: 'the token has expired' },
    })
  })
})
