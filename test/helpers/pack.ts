/**
 * Shared by the packed-install tests: build, `npm pack` into a temporary directory, and install the tarball into a
 * fresh project with no network (the package has no dependencies). Not a test file itself.
 *
 * Several test files may build at once (node --test runs files in parallel on larger machines), and a build starts
 * by deleting dist/; so building and packing happen under a lock directory, and each caller then works from its
 * own tarball, which later builds cannot change.
 *
 * A build and `npm pack` cost two tsc runs and an npm start: the tarball is kept (under the lock, beside it in the
 * temporary directory) with a digest of everything that goes into it, and a later caller whose inputs have the
 * same digest copies it instead of building again.
 */
import { execFile } from 'node:child_process'
import { createHash } from 'node:crypto'
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'

const run = promisify(execFile)

export const ROOT = fileURLToPath(new URL('../../', import.meta.url))
export const NPM = process.platform === 'win32' ? 'npm.cmd' : 'npm'
export const NPX = process.platform === 'win32' ? 'npx.cmd' : 'npx'

/** Variables a child npm, tsc or node must not inherit (besides npm_*). */
const DROPPED = new Set(['JWT_SECRET', 'NO_COLOR', 'INIT_CWD', 'NODE_V8_COVERAGE'])

/**
 * The parent `npm test` exports npm_* variables (its own prefix, lifecycle event, config); an npm started from
 * here must not inherit them, nor a JWT_SECRET from the shell, nor c8's NODE_V8_COVERAGE (coverage is of src/,
 * and every npm and tsc process would otherwise write its own large coverage file). The cache is private so
 * nothing is shared with, or left in, the user's cache.
 */
export function childEnv(cache: string, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {}
  for (const [name, value] of Object.entries(process.env)) {
    if (!/^npm_/i.test(name) && !DROPPED.has(name)) env[name] = value
  }
  return { ...env, npm_config_cache: cache, npm_config_update_notifier: 'false', npm_config_fund: 'false', ...extra }
}

export interface Out {
  code: number
  stdout: string
  stderr: string
}

/** Runs a program to completion; a non-zero exit is a result, not an exception. */
export async function sh(file: string, args: string[], cwd: string, env: NodeJS.ProcessEnv): Promise<Out> {
  try {
    const { stdout, stderr } = await run(file, args, { cwd, env, timeout: 240_000, maxBuffer: 16 * 1024 * 1024 })
    return { code: 0, stdout, stderr }
  } catch (error) {
    const e = error as { code?: unknown; stdout?: string; stderr?: string }
    if (typeof e.code !== 'number') throw error
    return { code: e.code, stdout: e.stdout ?? '', stderr: e.stderr ?? '' }
  }
}

function expect(out: Out, what: string): Out {
  if (out.code !== 0) throw new Error(`${what} failed with exit code ${out.code}:\n${out.stdout}\n${out.stderr}`)
  return out
}

const LOCK = join(tmpdir(), `jwt-codec-build-${createHash('sha256').update(ROOT).digest('hex').slice(0, 12)}.lock`)

/** Runs `fn` while holding the build lock of this checkout; a lock older than ten minutes is taken as abandoned. */
export async function withBuildLock<T>(fn: () => Promise<T>): Promise<T> {
  for (;;) {
    try {
      mkdirSync(LOCK)
      break
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error
      try {
        if (Date.now() - statSync(LOCK).mtimeMs > 600_000) rmSync(LOCK, { recursive: true, force: true })
      } catch {
        // removed by its owner meanwhile: try again
      }
      await new Promise((resolve) => setTimeout(resolve, 250))
    }
  }
  try {
    return await fn()
  } finally {
    rmSync(LOCK, { recursive: true, force: true })
  }
}

/** The files a build and `npm pack` read: the sources, the build configuration, the packed documents. */
const PACK_INPUTS = [
  'package.json',
  'README.md',
  'CHANGELOG.md',
  'LICENSE',
  'tsconfig.json',
  'tsconfig.build.json',
  'tsconfig.cjs.json',
  'scripts/build.mjs',
  'node_modules/typescript/package.json',
]

/** A digest of every input of the packed tarball (file names and bytes), so a cached tarball is only reused as is. */
function packInputsDigest(): string {
  const hash = createHash('sha256')
  const add = (path: string): void => {
    const full = join(ROOT, path)
    if (!existsSync(full)) return
    if (statSync(full).isDirectory()) {
      for (const name of readdirSync(full).sort()) add(join(path, name))
      return
    }
    hash.update(`${path}\0`).update(readFileSync(full)).update('\0')
  }
  for (const path of [...PACK_INPUTS, 'src']) add(path)
  return hash.digest('hex')
}

/** Where the last packed tarball of this checkout is kept, next to the lock. */
const PACK_CACHE = `${LOCK.slice(0, -'.lock'.length)}.pack`

interface PackInfo {
  filename: string
  files: Array<{ path: string }>
}

/** The cached tarball for these inputs, copied into `work`; undefined when there is none (caller holds the lock). */
function cachedPack(digest: string, work: string): PackInfo | undefined {
  try {
    const info = JSON.parse(readFileSync(join(PACK_CACHE, 'info.json'), 'utf8')) as PackInfo & { digest: string }
    if (info.digest !== digest) return undefined
    copyFileSync(join(PACK_CACHE, info.filename), join(work, info.filename))
    return { filename: info.filename, files: info.files }
  } catch {
    return undefined
  }
}

/** Keeps `work`'s fresh tarball as the cached one, replacing any other (caller holds the lock). */
function keepPack(digest: string, work: string, info: PackInfo): void {
  try {
    rmSync(PACK_CACHE, { recursive: true, force: true })
    mkdirSync(PACK_CACHE)
    copyFileSync(join(work, info.filename), join(PACK_CACHE, info.filename))
    writeFileSync(join(PACK_CACHE, 'info.json'), JSON.stringify({ ...info, digest }))
  } catch {
    // The cache only saves time: without it the next caller builds again.
    rmSync(PACK_CACHE, { recursive: true, force: true })
  }
}

/** `npm run build` in this checkout (under the lock, or from a caller that holds it), or in another `root`. */
export async function build(env: NodeJS.ProcessEnv, root: string = ROOT): Promise<void> {
  expect(await sh(NPM, ['run', 'build'], root, env), 'npm run build')
}

export interface PackedInstall {
  /** The temporary directory holding everything below; remove it with {@link removePacked}. */
  work: string
  /** The private npm cache. */
  cache: string
  /** The environment for npm, npx and node in the project. */
  env: NodeJS.ProcessEnv
  /** The tarball made by `npm pack`. */
  tarball: string
  /** The paths inside the tarball, as `npm pack --json` lists them. */
  files: string[]
  /** A fresh project with the tarball installed. */
  project: string
}

/** Builds, packs and installs the package into a fresh project under a new temporary directory. */
export async function packAndInstall(prefix: string): Promise<PackedInstall> {
  const work = mkdtempSync(join(tmpdir(), prefix))
  try {
    const cache = join(work, 'npm-cache')
    const env = childEnv(cache)
    const info = await withBuildLock(async () => {
      const digest = packInputsDigest()
      const cached = cachedPack(digest, work)
      if (cached !== undefined) return cached
      await build(env)
      const pack = expect(await sh(NPM, ['pack', '--json', '--pack-destination', work], ROOT, env), 'npm pack')
      const [first] = JSON.parse(pack.stdout) as PackInfo[]
      if (first === undefined) throw new Error('npm pack --json listed no package')
      const packed = { filename: first.filename, files: first.files.map((f) => ({ path: f.path })) }
      keepPack(digest, work, packed)
      return packed
    })
    const tarball = join(work, info.filename)
    const project = join(work, 'project')
    mkdirSync(project)
    writeFileSync(
      join(project, 'package.json'),
      '{ "name": "jwt-codec-consumer", "version": "1.0.0", "private": true }\n',
    )
    const install = await sh(NPM, ['install', '--no-audit', '--no-fund', '--offline', tarball], project, env)
    expect(install, 'npm install of the tarball')
    return { work, cache, env, tarball, files: info.files.map((f) => f.path), project }
  } catch (error) {
    rmSync(work, { recursive: true, force: true })
    throw error
  }
}

/** Removes everything {@link packAndInstall} made. */
export function removePacked(packed: PackedInstall | undefined): void {
  if (packed !== undefined) rmSync(packed.work, { recursive: true, force: true })
}
