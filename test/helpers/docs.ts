/**
 * Code blocks from the README and from TSDoc `@example`s, written out as consumer files that import the installed
 * package, so that a test can type-check them against the built types. Not a test file itself.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join, relative } from 'node:path'
import { ROOT } from './pack.js'

export interface CodeBlock {
  /** Where the block starts, as `file:line`, for failure messages. */
  where: string
  code: string
}

/** The mark, on the line before a fence, of a block that is deliberately partial (a continuation, say). */
export const NO_COMPILE = '<!-- no-compile -->'

/**
 * The ```ts and ```typescript blocks of a Markdown text, without those marked {@link NO_COMPILE}. Other fences
 * (sh, json, plain output) are not code to compile.
 */
export function markdownBlocks(markdown: string, file: string): CodeBlock[] {
  const lines = markdown.split('\n')
  const blocks: CodeBlock[] = []
  for (let i = 0; i < lines.length; i++) {
    const open = /^(\s*)(`{3,}|~{3,})\s*([\w-]*)/.exec(lines[i] ?? '')
    if (open === null) continue
    const [, indent = '', fence = '```', lang = ''] = open
    let end = i + 1
    while (end < lines.length && !(lines[end] ?? '').trimStart().startsWith(fence)) end++
    let previous = i - 1
    while (previous >= 0 && (lines[previous] ?? '').trim() === '') previous--
    const marked = previous >= 0 && (lines[previous] ?? '').trim() === NO_COMPILE
    if ((lang === 'ts' || lang === 'typescript') && !marked) {
      const code = lines
        .slice(i + 1, end)
        .map((l) => (l.startsWith(indent) ? l.slice(indent.length) : l))
        .join('\n')
      blocks.push({ where: `${file}:${i + 1}`, code })
    }
    i = end
  }
  return blocks
}

function sourceFiles(dir: string): string[] {
  const out: string[] = []
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name)
    if (statSync(p).isDirectory()) out.push(...sourceFiles(p))
    else if (name.endsWith('.ts')) out.push(p)
  }
  return out
}

/** The ```ts blocks inside the doc comments of src/ (the `@example`s), with the leading ` * ` removed. */
export function tsdocExamples(): CodeBlock[] {
  const blocks: CodeBlock[] = []
  // The command line is not part of the library's API; its examples are shell lines.
  const library = sourceFiles(join(ROOT, 'src')).filter((p) => !/[\\/]src[\\/](cli|bin)([\\/.])/.test(p))
  for (const path of library) {
    const text = readFileSync(path, 'utf8')
    for (const comment of text.matchAll(/\/\*\*[\s\S]*?\*\//g)) {
      const startLine = text.slice(0, comment.index).split('\n').length
      const body = comment[0]
        .split('\n')
        .map((l) => l.replace(/^\s*\/?\*+\/?\s?/, '').replace(/\s*\*\/$/, ''))
        .join('\n')
      for (const block of markdownBlocks(body, relative(ROOT, path))) {
        const offset = Number(block.where.slice(block.where.lastIndexOf(':') + 1))
        blocks.push({ where: `${relative(ROOT, path)}:${startLine + offset - 1}`, code: block.code })
      }
    }
  }
  return blocks
}

/** The package's exports, for blocks that use them without importing (doc examples are often one-liners). */
const ROOT_VALUES = [
  'sign',
  'createSigner',
  'verify',
  'createVerifier',
  'decodeUnverified',
  'base64url',
  'JwtError',
  'UnauthorizedError',
  'isJwtError',
  'jwtMiddleware',
  'withJwt',
  'authenticateRequest',
  'errorResponse',
  'extractToken',
  'describeError',
]

/**
 * A block as a consumer module: an ES module (so its names do not clash with the ambient `token` and `secret` of
 * {@link AMBIENT}), importing the package's values when the block imports nothing from it.
 */
export function asModule(code: string): string {
  const importsPackage = /from\s+['"]jwt-codec(\/http)?['"]/.test(code)
  const prelude = importsPackage ? '' : `import { ${ROOT_VALUES.join(', ')} } from 'jwt-codec'\n`
  return `${prelude}${code}\nexport {}\n`
}

/** What examples may use without declaring: a token and a secret from somewhere. */
export const AMBIENT = 'declare const token: string\ndeclare const secret: string\n'

/** Packages a block imports, other than the package itself and node: built-ins. */
export function importedPackages(code: string): string[] {
  const names = new Set<string>()
  for (const m of code.matchAll(/(?:from|import)\s+['"]([^'".][^'"]*)['"]/g)) {
    const specifier = m[1] ?? ''
    if (specifier.startsWith('node:') || specifier === 'jwt-codec' || specifier.startsWith('jwt-codec/')) continue
    const parts = specifier.split('/')
    names.add(specifier.startsWith('@') ? parts.slice(0, 2).join('/') : (parts[0] ?? specifier))
  }
  return [...names].sort()
}
