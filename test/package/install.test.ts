/**
 * The package as a user gets it: built, packed with `npm pack`, installed offline into a fresh project, then
 * loaded with `import` and `require` (root and `jwt-codec/http`), and type-checked by consumer files under every
 * TypeScript module mode a user may pick. One pack for the whole file; the temporary directory goes at the end.
 */
import assert from 'node:assert/strict'
import { existsSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { after, before, describe, test } from 'node:test'
import { AMBIENT, asModule, type CodeBlock, importedPackages, markdownBlocks, tsdocExamples } from '../helpers/docs.js'
import { type PackedInstall, packAndInstall, ROOT, removePacked, sh } from '../helpers/pack.js'

const TSC = join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc')
const SECRET = 'a-secret-of-at-least-thirty-two-bytes!'

let packed: PackedInstall

async function node(file: string, source: string): Promise<string> {
  writeFileSync(join(packed.project, file), source)
  const out = await sh(process.execPath, [file], packed.project, packed.env)
  assert.equal(out.code, 0, out.stderr)
  return out.stdout
}

describe('the packed package', { timeout: 600_000 }, () => {
  before(async () => {
    packed = await packAndInstall('jwt-codec-package-')
  })
  after(() => removePacked(packed))

  test('ships the build, the licence and the notes, and nothing else', () => {
    const files = [...packed.files].sort()
    for (const path of [
      'CHANGELOG.md',
      'LICENSE',
      'README.md',
      'package.json',
      'dist/index.js',
      'dist/index.d.ts',
      'dist/http/index.js',
      'dist/http/index.d.ts',
      'dist/bin.js',
      'dist/cjs/package.json',
      'dist/cjs/index.js',
      'dist/cjs/index.d.ts',
      'dist/cjs/http/index.js',
      'dist/cjs/http/index.d.ts',
    ]) {
      assert.ok(files.includes(path), path)
    }
    const stray = files.filter(
      (f) =>
        !/^dist\/.+\.(js|d\.ts)$/.test(f) &&
        !['CHANGELOG.md', 'LICENSE', 'README.md', 'package.json', 'dist/cjs/package.json'].includes(f),
    )
    assert.deepEqual(stray, [], 'no sources, tests, benches, maps or build info')
    // the CLI is an ES module program; the CommonJS copy is the library only
    assert.ok(!files.some((f) => f.startsWith('dist/cjs/cli') || f === 'dist/cjs/bin.js'))
  })

  test('import works for the root and jwt-codec/http', async () => {
    const out = await node(
      'esm.mjs',
      `import { sign, verify, isJwtError, JwtError } from 'jwt-codec'
import { withJwt, extractToken } from 'jwt-codec/http'
import * as root from 'jwt-codec'
const token = sign({ sub: '42' }, ${JSON.stringify(SECRET)}, { now: 1700000000, expiresIn: 60 })
const claims = verify(token, ${JSON.stringify(SECRET)}, { now: 1700000001 })
let code
try { verify(token.slice(0, -1) + (token.endsWith('A') ? 'E' : 'A'), ${JSON.stringify(SECRET)}) } catch (e) { code = isJwtError(e) && e instanceof JwtError && e.code }
console.log(JSON.stringify({ sub: claims.sub, code, http: typeof withJwt + typeof extractToken, same: root.withJwt === withJwt }))
`,
    )
    assert.deepEqual(JSON.parse(out), { sub: '42', code: 'ERR_JWT_SIGNATURE', http: 'functionfunction', same: true })
  })

  test('require works for the root and jwt-codec/http', async () => {
    const out = await node(
      'cjs.cjs',
      `const { sign, verify, isJwtError, JwtError } = require('jwt-codec')
const { withJwt, extractToken } = require('jwt-codec/http')
const token = sign({ sub: '42' }, ${JSON.stringify(SECRET)}, { now: 1700000000, expiresIn: 60 })
const claims = verify(token, ${JSON.stringify(SECRET)}, { now: 1700000001 })
let code
try { verify(token, ${JSON.stringify(SECRET)}, { now: 1700000060 }) } catch (e) { code = isJwtError(e) && e instanceof JwtError && e.code }
console.log(JSON.stringify({ sub: claims.sub, code, http: typeof withJwt + typeof extractToken, same: require('jwt-codec').withJwt === withJwt }))
`,
    )
    assert.deepEqual(JSON.parse(out), { sub: '42', code: 'ERR_JWT_EXPIRED', http: 'functionfunction', same: true })
  })

  test('the default export: import jwt from, require().default, and require() itself', async () => {
    const esm = await node(
      'default.mjs',
      `import jwt, { sign } from 'jwt-codec'
const token = jwt.sign({ sub: '42' }, ${JSON.stringify(SECRET)}, { now: 1700000000 })
console.log(JSON.stringify({ sub: jwt.verify(token, ${JSON.stringify(SECRET)}, { now: 1700000001 }).sub, same: jwt.sign === sign, frozen: Object.isFrozen(jwt), error: typeof jwt.JwtError }))
`,
    )
    assert.deepEqual(JSON.parse(esm), { sub: '42', same: true, frozen: true, error: 'function' })
    const cjs = await node(
      'default.cjs',
      `const jwt = require('jwt-codec')
const token = jwt.sign({ sub: '42' }, ${JSON.stringify(SECRET)}, { now: 1700000000 })
console.log(JSON.stringify({ sub: jwt.default.verify(token, ${JSON.stringify(SECRET)}, { now: 1700000001 }).sub, same: jwt.default.sign === jwt.sign, decode: typeof jwt.decodeUnverified + typeof jwt.default.decodeUnverified }))
`,
    )
    assert.deepEqual(JSON.parse(cjs), { sub: '42', same: true, decode: 'functionfunction' })
  })

  test('isJwtError recognises errors across the two module formats; instanceof does not', async () => {
    const out = await node(
      'dual.mjs',
      `import { createRequire } from 'node:module'
import * as esm from 'jwt-codec'
import * as esmHttp from 'jwt-codec/http'
const cjs = createRequire(import.meta.url)('jwt-codec')
const caught = (f) => { try { f() } catch (e) { return e } }
const fromCjs = caught(() => cjs.verify('a.b', ${JSON.stringify(SECRET)}))
const fromEsm = caught(() => esm.verify('a.b', ${JSON.stringify(SECRET)}))
const wrapped = new cjs.UnauthorizedError(fromCjs)
console.log(JSON.stringify({
  twoCopies: cjs.JwtError !== esm.JwtError,
  esmSeesCjs: esm.isJwtError(fromCjs),
  cjsSeesEsm: cjs.isJwtError(fromEsm),
  esmSeesCjsWrapped: esm.isJwtError(wrapped),
  instanceofAcross: fromCjs instanceof esm.JwtError,
  plainError: esm.isJwtError(new Error('x')) || cjs.isJwtError({ code: 'ERR_JWT_MALFORMED' }),
  status: esmHttp.describeError(fromCjs).status,
  ownSymbols: Object.getOwnPropertySymbols(fromCjs).length + Object.keys(fromCjs).filter((k) => k.includes('jwt-codec')).length,
}))
`,
    )
    assert.deepEqual(JSON.parse(out), {
      twoCopies: true,
      esmSeesCjs: true,
      cjsSeesEsm: true,
      esmSeesCjsWrapped: true,
      instanceofAcross: false,
      plainError: false,
      status: 401,
      ownSymbols: 0,
    })
  })

  describe('types resolve and check in every module mode', () => {
    // Uses the values and the types, and proves they are not `any` (the @ts-expect-error lines must be errors).
    const body = `const secret: Secret = 'a-secret-of-at-least-thirty-two-bytes!'
const token: string = sign({ sub: '42' }, secret, { algorithm: 'HS384', expiresIn: '1h' })
const claims: JwtPayload = verify(token, secret, { algorithms: ['HS384'] })
const typed = createVerifier<{ sub: string }>(secret, { algorithms: ['HS384'] })(token)
const sub: string = typed.sub
const full: CompleteResult = verify(token, secret, { algorithms: ['HS384'], complete: true })
const alg: Algorithm | undefined = full.header.alg as Algorithm
try {
  decodeUnverified(token)
} catch (err) {
  if (isJwtError(err)) {
    const code: JwtErrorCode = err.code
    const status: number = err.status
    void [code, status]
  }
}
const middleware = jwtMiddleware({ secret, algorithms: ['HS384'] })
const handler = withJwt({ secret }, (req, res) => res.end(String(req.user?.sub)))
async function route(request: Request): Promise<Response> {
  try {
    const user = await authenticateRequest<{ sub: string }>(request, { secret })
    return new Response(user?.sub ?? 'anonymous')
  } catch (err) {
    return errorResponse(err)
  }
}
const found: string | undefined = extractToken({ headers: {} })
// @ts-expect-error: 'none' is not an algorithm
sign({}, secret, { algorithm: 'none' })
// @ts-expect-error: verify returns claims, not a string
const wrong: string = verify(token, secret)
const viaDefault: string = jwt.sign({ sub: '42' }, secret)
const defaultClaims: { sub: string } & JwtPayload = jwt.verify<{ sub: string }>(viaDefault, secret)
// @ts-expect-error: the default export's verify is typed like the named one
const wrongDefault: string = jwt.verify(token, secret)
void [claims, sub, alg, middleware, handler, route, found, wrong, JwtError, UnauthorizedError, base64url, createSigner]
void [defaultClaims, wrongDefault]
`
    const imports = `import jwt from 'jwt-codec'
import {
  sign, verify, createSigner, createVerifier, decodeUnverified, isJwtError, JwtError, UnauthorizedError, base64url,
  type Secret, type JwtPayload, type CompleteResult, type Algorithm, type JwtErrorCode,
} from 'jwt-codec'
import { jwtMiddleware, withJwt, authenticateRequest, errorResponse, extractToken } from 'jwt-codec/http'
`
    const modes: Array<[string, { module: string; moduleResolution: string }, string[]]> = [
      ['node16', { module: 'node16', moduleResolution: 'node16' }, ['esm.mts', 'cjs.cts']],
      ['nodenext', { module: 'nodenext', moduleResolution: 'nodenext' }, ['esm.mts', 'cjs.cts']],
      ['bundler', { module: 'esnext', moduleResolution: 'bundler' }, ['bundled.ts']],
      ['bundler-preserve', { module: 'preserve', moduleResolution: 'bundler' }, ['bundled.ts']],
    ]
    for (const [name, settings, files] of modes) {
      test(name, async () => {
        for (const file of files) writeFileSync(join(packed.project, file), `${imports}\n${body}`)
        const config = {
          compilerOptions: {
            ...settings,
            target: 'ES2022',
            // Without the DOM lib in one mode: a Node project gets Request and Response from @types/node alone.
            lib: name === 'nodenext' ? ['ES2022'] : ['ES2022', 'DOM'],
            strict: true,
            noEmit: true,
            // Check our declaration files too, as a strict consumer would, once: that also checks all of
            // @types/node, which is slow, and the files are the same in every mode.
            skipLibCheck: name !== 'node16',
            types: ['node'],
            typeRoots: [join(ROOT, 'node_modules', '@types')],
          },
          files,
        }
        writeFileSync(join(packed.project, `tsconfig.${name}.json`), JSON.stringify(config, null, 2))
        const out = await sh(process.execPath, [TSC, '-p', `tsconfig.${name}.json`], packed.project, packed.env)
        assert.equal(out.code, 0, out.stdout + out.stderr)
      })
    }
  })
  describe('the documentation compiles against the built types', () => {
    /**
     * Third-party packages the docs import: linked from this repository's node_modules when installed here (with
     * their @types), otherwise declared as untyped modules, so a recipe for a framework we do not install still
     * has every jwt-codec call in it checked.
     */
    function provide(packages: string[]): string {
      let declarations = ''
      for (const name of packages) {
        const source = join(ROOT, 'node_modules', name)
        if (!existsSync(source)) {
          declarations += `declare module '${name}'\n`
          continue
        }
        for (const [from, to] of [
          [source, join(packed.project, 'node_modules', name)],
          [join(ROOT, 'node_modules', '@types', name), join(packed.project, 'node_modules', '@types', name)],
        ] as const) {
          if (existsSync(from) && !existsSync(to)) {
            mkdirSync(dirname(to), { recursive: true })
            symlinkSync(from, to, 'dir')
          }
        }
      }
      return declarations
    }

    async function compile(kind: string, blocks: CodeBlock[]): Promise<void> {
      assert.ok(blocks.length > 0, `no ${kind} blocks found`)
      const dir = join(packed.project, kind)
      mkdirSync(dir, { recursive: true })
      const files: string[] = []
      const where = new Map<string, string>()
      const packages = new Set<string>()
      for (const [i, block] of blocks.entries()) {
        const file = `${kind}/block-${String(i + 1).padStart(2, '0')}.mts`
        writeFileSync(join(packed.project, file), asModule(block.code))
        files.push(file)
        where.set(file, block.where)
        for (const name of importedPackages(block.code)) packages.add(name)
      }
      writeFileSync(join(dir, 'ambient.d.ts'), AMBIENT + provide([...packages]))
      files.push(`${kind}/ambient.d.ts`)
      const config = {
        compilerOptions: {
          module: 'nodenext',
          moduleResolution: 'nodenext',
          target: 'ES2022',
          lib: ['ES2022', 'DOM'],
          strict: true,
          noEmit: true,
          skipLibCheck: true,
          types: ['node'],
          typeRoots: [join(ROOT, 'node_modules', '@types')],
        },
        files,
      }
      writeFileSync(join(packed.project, `tsconfig.${kind}.json`), JSON.stringify(config, null, 2))
      const out = await sh(
        process.execPath,
        [TSC, '-p', `tsconfig.${kind}.json`, '--pretty', 'false'],
        packed.project,
        packed.env,
      )
      // Name the README line or source line of each failing block, not the temporary file.
      const report = (out.stdout + out.stderr).replace(
        /^([\w/-]+\.mts)\((\d+),\d+\)/gm,
        (_, file: string, line: string) => {
          return `${where.get(file) ?? file} (block line ${line})`
        },
      )
      assert.equal(out.code, 0, report)
    }

    test('README.md ts blocks', async () => {
      await compile('readme', markdownBlocks(readFileSync(join(ROOT, 'README.md'), 'utf8'), 'README.md'))
    })

    test('TSDoc @example blocks', async () => {
      await compile('tsdoc', tsdocExamples())
    })
  })
})
