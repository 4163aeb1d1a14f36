/**
 * The block extraction behind the README and @example compile checks: only ts/typescript fences count, output
 * and shell blocks are left alone, the no-compile mark skips exactly the next block, and the examples really are
 * found (an extractor that found nothing would make the compile check pass vacuously).
 */
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { test } from 'node:test'
import { asModule, importedPackages, markdownBlocks, NO_COMPILE, tsdocExamples } from '../helpers/docs.js'
import { ROOT } from '../helpers/pack.js'

test('only ts and typescript fences are code; the mark skips the next block only', () => {
  const md = [
    '```sh',
    'npm test',
    '```',
    '```',
    'ok 1 - plain output',
    '```',
    '```ts',
    'const a = 1',
    '```',
    NO_COMPILE,
    '',
    '```ts',
    'partial(',
    '```',
    '```typescript',
    'const b = 2',
    '```',
    '```json',
    '{}',
    '```',
  ].join('\n')
  assert.deepEqual(markdownBlocks(md, 'X.md'), [
    { where: 'X.md:7', code: 'const a = 1' },
    { where: 'X.md:15', code: 'const b = 2' },
  ])
})

test('a block becomes a module, importing the package only when it does not itself', () => {
  assert.match(asModule('sign({}, secret)'), /^import \{ sign, .*\} from 'jwt-codec'\n/)
  assert.equal(
    asModule("import { sign } from 'jwt-codec'\nsign({}, secret)"),
    "import { sign } from 'jwt-codec'\nsign({}, secret)\nexport {}\n",
  )
  assert.deepEqual(
    importedPackages(
      "import express from 'express'\nimport { x } from '@koa/bodyparser/y'\nimport 'node:fs'\nimport { a } from 'jwt-codec/http'",
    ),
    ['@koa/bodyparser', 'express'],
  )
})

test('the README and the sources have examples to compile', () => {
  const readme = markdownBlocks(readFileSync(join(ROOT, 'README.md'), 'utf8'), 'README.md')
  assert.ok(readme.length >= 5, `${readme.length} README blocks`)
  const examples = tsdocExamples()
  assert.ok(examples.length >= 30, `${examples.length} examples`)
  assert.ok(examples.every((e) => e.where.startsWith('src/') && !e.where.startsWith('src/cli')))
  assert.ok(
    examples.every((e) => !/^\s*\*/m.test(e.code)),
    'comment leaders are stripped',
  )
})
