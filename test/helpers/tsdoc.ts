/**
 * Lists the public exports of the package (everything reachable from src/index.ts and src/http/index.ts) with
 * their TSDoc, through the TypeScript compiler API, and says what each one lacks. Not a test file itself.
 */
import { join } from 'node:path'
import ts from 'typescript'
import { ROOT } from './pack.js'

export const ENTRY_POINTS = ['src/index.ts', 'src/http/index.ts']

export interface DocProblem {
  entry: string
  name: string
  problem: string
}

/** Codes a `@throws` must name: one of the JwtErrorCode values, or `never` for a function that cannot throw. */
const THROWS = /\bERR_JWT_[A-Z_]+\b|\bnever\b/

function tagText(tag: ts.JSDocTag): string {
  const comment = tag.comment
  if (comment === undefined) return ''
  return typeof comment === 'string' ? comment : comment.map((c) => c.text).join('')
}

function docOf(node: ts.Node): { summary: string; tags: ts.JSDocTag[] } {
  let summary = ''
  const tags: ts.JSDocTag[] = []
  for (const doc of ts.getJSDocCommentsAndTags(node)) {
    if (!ts.isJSDoc(doc)) continue
    const comment = doc.comment
    const text =
      comment === undefined ? '' : typeof comment === 'string' ? comment : comment.map((c) => c.text).join('')
    if (summary === '') summary = text.trim()
    tags.push(...(doc.tags ?? []))
  }
  return { summary, tags }
}

interface Callable {
  parameters: readonly ts.ParameterDeclaration[]
}

/** What a function-like declaration (or all overloads of one) must document. */
function checkCallable(
  what: string,
  docs: Array<{ summary: string; tags: ts.JSDocTag[] }>,
  declarations: readonly Callable[],
  needsReturns: boolean,
): string[] {
  const problems: string[] = []
  const tags = docs.flatMap((d) => d.tags)
  const named = (name: string) => tags.filter((t) => t.tagName.text === name)
  if (!docs.some((d) => d.summary !== '')) problems.push(`${what}: no summary`)
  const documented = new Set(
    named('param').map((t) => (ts.isJSDocParameterTag(t) ? t.name.getText() : tagText(t).split(/\s/)[0])),
  )
  for (const declaration of declarations) {
    for (const parameter of declaration.parameters) {
      const name = parameter.name.getText()
      if (!documented.has(name)) problems.push(`${what}: no @param ${name}`)
    }
  }
  if (needsReturns && named('returns').length === 0) problems.push(`${what}: no @returns`)
  const throws = named('throws')
  if (throws.length === 0) problems.push(`${what}: no @throws`)
  else if (!throws.some((t) => THROWS.test(tagText(t)))) problems.push(`${what}: @throws names no error code`)
  if (!named('example').some((t) => tagText(t).includes('```'))) problems.push(`${what}: no @example code block`)
  return problems
}

function checkSymbol(symbol: ts.Symbol, name: string): string[] {
  const declarations = symbol.declarations ?? []
  const first = declarations[0]
  if (first === undefined) return [`${name}: no declaration`]
  const docs = declarations.map(docOf)
  const summary = docs.find((d) => d.summary !== '')?.summary ?? ''

  const functions = declarations.filter(ts.isFunctionDeclaration)
  if (functions.length > 0) {
    // Overloads share one doc comment on the first signature; the implementation's parameters are the union.
    return checkCallable(name, docs, functions, true)
  }
  if (ts.isClassDeclaration(first)) {
    const problems: string[] = []
    if (summary === '') problems.push(`${name}: no summary`)
    if (!docs.flatMap((d) => d.tags).some((t) => t.tagName.text === 'example')) problems.push(`${name}: no @example`)
    for (const member of first.members) {
      if (ts.isConstructorDeclaration(member)) {
        problems.push(
          ...checkCallable(`${name} constructor`, [docOf(member)], [member], false).filter(
            (p) => !p.endsWith('no summary'),
          ),
        )
      }
    }
    return problems
  }
  if (ts.isVariableDeclaration(first)) {
    const problems: string[] = []
    const statement = first.parent.parent
    const own = docOf(statement)
    if (own.summary === '') problems.push(`${name}: no summary`)
    if (!own.tags.some((t) => t.tagName.text === 'example')) problems.push(`${name}: no @example`)
    if (first.type !== undefined && ts.isTypeLiteralNode(first.type)) {
      for (const member of first.type.members) {
        if (ts.isMethodSignature(member)) {
          problems.push(...checkCallable(`${name}.${member.name.getText()}`, [docOf(member)], [member], true))
        }
      }
    }
    return problems
  }
  // Interfaces and type aliases: a summary, an example, and a summary for each member a user fills in or reads.
  const problems: string[] = []
  if (summary === '') problems.push(`${name}: no summary`)
  if (!docs.flatMap((d) => d.tags).some((t) => t.tagName.text === 'example' && tagText(t).includes('```'))) {
    problems.push(`${name}: no @example code block`)
  }
  for (const declaration of declarations) {
    const members = ts.isInterfaceDeclaration(declaration)
      ? declaration.members
      : ts.isTypeAliasDeclaration(declaration) && ts.isTypeLiteralNode(declaration.type)
        ? declaration.type.members
        : []
    for (const member of members) {
      if (member.name !== undefined && docOf(member).summary === '') {
        problems.push(`${name}.${member.name.getText()}: no summary`)
      }
    }
  }
  return problems
}

export interface PublicExport {
  entry: string
  name: string
  kind: string
}

/** Every export of every entry point, with what its TSDoc lacks (an empty list when nothing does). */
export function auditExports(): { exports: PublicExport[]; problems: DocProblem[] } {
  const config = ts.getParsedCommandLineOfConfigFile(
    join(ROOT, 'tsconfig.json'),
    {},
    {
      ...ts.sys,
      onUnRecoverableConfigFileDiagnostic: (d) => {
        throw new Error(ts.flattenDiagnosticMessageText(d.messageText, '\n'))
      },
    },
  )
  if (config === undefined) throw new Error('tsconfig.json could not be read')
  const files = ENTRY_POINTS.map((f) => join(ROOT, f))
  const program = ts.createProgram(files, config.options)
  const checker = program.getTypeChecker()
  const exports: PublicExport[] = []
  const problems: DocProblem[] = []
  for (const [i, file] of files.entries()) {
    const entry = ENTRY_POINTS[i] ?? file
    const source = program.getSourceFile(file)
    const moduleSymbol = source === undefined ? undefined : checker.getSymbolAtLocation(source)
    if (moduleSymbol === undefined) throw new Error(`${entry}: not a module`)
    for (const exported of checker.getExportsOfModule(moduleSymbol)) {
      const symbol = exported.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(exported) : exported
      const first = symbol.declarations?.[0]
      exports.push({ entry, name: exported.name, kind: first === undefined ? 'unknown' : ts.SyntaxKind[first.kind] })
      for (const problem of checkSymbol(symbol, exported.name)) problems.push({ entry, name: exported.name, problem })
    }
  }
  return { exports, problems }
}
