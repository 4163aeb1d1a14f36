// Runs test files through node:test with the tsx loader: every test/**/*.test.ts, or the files named.
// Node 20's --test does not expand globs or pick up .ts files by itself, so we list them here.
//
//   node scripts/test.mjs                              every test file
//   node scripts/test.mjs test/verify.test.ts ...      just these files
//   node scripts/test.mjs --test-reporter=spec FILE    any --flag is passed on to node (here: node's own reporter)
//
// Output goes through scripts/test-reporter.mjs (a summary, not thousands of TAP lines) unless a --test-reporter is
// given. Test files run two at a time (TEST_CONCURRENCY overrides): node's default is one fewer than the cores, which
// on a 2-core machine means one at a time, while most files spend their time starting a process, not computing.

import { spawnSync } from 'node:child_process'
import { readdirSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

function find(dir) {
  const out = []
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name)
    if (statSync(p).isDirectory()) out.push(...find(p))
    else if (name.endsWith('.test.ts')) out.push(p)
  }
  return out
}

const args = process.argv.slice(2)
const flags = args.filter((a) => a.startsWith('--'))
const only = args.filter((a) => !a.startsWith('--'))
const files = only.length > 0 ? only : find('test')

if (!flags.some((f) => f.startsWith('--test-reporter'))) {
  const reporter = fileURLToPath(new URL('./test-reporter.mjs', import.meta.url))
  flags.push(`--test-reporter=${reporter}`, '--test-reporter-destination=stdout')
}
if (!flags.some((f) => f.startsWith('--test-concurrency'))) {
  flags.push(`--test-concurrency=${process.env.TEST_CONCURRENCY ?? 2}`)
}

// A test that hangs (a stuck loader under heavy load, a server that never answers) fails after five minutes instead
// of holding a CI run until its own limit.
if (!flags.some((f) => f.startsWith('--test-timeout'))) flags.push('--test-timeout=300000')

const r = spawnSync(process.execPath, ['--import', 'tsx', ...flags, '--test', ...files], { stdio: 'inherit' })
process.exit(r.status ?? 1)
