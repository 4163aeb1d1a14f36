// `npm run build`: dist/ holds the ES modules (and the CLI), dist/cjs/ the CommonJS copy of the library for
// `require` on Node 20, which cannot require ES modules. dist/ is removed first so a file deleted from src/ can
// never linger in a published package; tsc output depends only on the sources, so two builds give the same bytes.
import { spawnSync } from 'node:child_process'
import { rmSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc')

rmSync(join(root, 'dist'), { recursive: true, force: true })
for (const project of ['tsconfig.build.json', 'tsconfig.cjs.json']) {
  const r = spawnSync(process.execPath, [tsc, '-p', join(root, project)], { cwd: root, stdio: 'inherit' })
  if (r.status !== 0) process.exit(r.status ?? 1)
}
// The package is "type": "module"; this marker makes Node and TypeScript read dist/cjs/*.js and *.d.ts as CommonJS.
writeFileSync(join(root, 'dist', 'cjs', 'package.json'), '{ "type": "commonjs" }\n')
