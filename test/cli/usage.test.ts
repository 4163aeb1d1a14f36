import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { describe, it } from 'node:test'
import { HELP, MAIN_HELP } from '../../src/cli/help.js'
import { sign } from '../../src/index.js'
import { ALGORITHMS } from '../../src/lib/algorithms.js'
import { jwt, ROOT, SECRET } from './run.js'

const version = (JSON.parse(readFileSync(`${ROOT}package.json`, 'utf8')) as { version: string }).version

describe('jwt: help, version and bad commands', { concurrency: 3 }, () => {
  it('without a command prints the help on standard error and exits 2', async () => {
    assert.deepEqual(await jwt([]), { code: 2, stdout: '', stderr: MAIN_HELP })
  })

  it('--help, -h and help print the help on standard output and exit 0', async () => {
    for (const args of [['--help'], ['-h'], ['help']]) {
      assert.deepEqual(await jwt(args), { code: 0, stdout: MAIN_HELP, stderr: '' })
    }
  })

  it('every command has --help, -h and help COMMAND', async () => {
    for (const command of ['sign', 'verify', 'decode', 'secret', 'keygen', 'jwk'] as const) {
      const expected = { code: 0, stdout: HELP[command], stderr: '' }
      assert.deepEqual(await jwt([command, '--help']), expected)
      assert.deepEqual(await jwt(['help', command]), expected)
    }
    // -h wins over everything else on the line, even a missing secret
    assert.deepEqual(await jwt(['verify', '-h']), { code: 0, stdout: HELP.verify, stderr: '' })
  })

  it('the help names every algorithm of the library table where it applies', () => {
    for (const alg of ALGORITHMS) {
      const named = new RegExp(`\\b${alg}\\b`)
      assert.match(HELP.sign, named, `sign --help names ${alg}`)
      assert.match(alg.startsWith('HS') ? HELP.secret : HELP.keygen, named, `secret or keygen --help names ${alg}`)
    }
  })

  it('--version prints the package version', async () => {
    assert.deepEqual(await jwt(['--version']), { code: 0, stdout: `${version}\n`, stderr: '' })
  })

  it('an unknown command exits 2 and names it', async () => {
    assert.deepEqual(await jwt(['verfy']), {
      code: 2,
      stdout: '',
      stderr:
        'jwt: unknown command "verfy"; the commands are sign, verify, decode, secret, keygen and jwk\nRun \'jwt --help\' for the commands.\n',
    })
    const help = await jwt(['help', 'nope'])
    assert.equal(help.code, 2)
    assert.match(help.stderr, /^jwt: jwt help takes one command name/)
  })

  it('a token given as the command is not echoed', async () => {
    const token = sign({ sub: '42' }, SECRET)
    const r = await jwt([token])
    assert.equal(r.code, 2)
    assert.equal(r.stdout, '')
    assert.equal(
      r.stderr,
      "jwt: unknown command; the commands are sign, verify, decode, secret, keygen and jwk\nRun 'jwt --help' for the commands.\n",
    )
  })
})
