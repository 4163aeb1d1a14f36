/**
 * What `npm run bench:compare` and `npm run bench:codec` share: their arguments (`<git-ref> [--rounds=N]
 * [--filter=REGEX]`), and the earlier tree, checked out into a temporary git worktree (removed afterwards) whose
 * `src/index.ts` is imported next to this tree's, so both run side by side in one process.
 */
import { execFileSync } from 'node:child_process'
import { mkdtempSync, rmSync, symlinkSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { pathToFileURL } from 'node:url'

export interface BaselineArgs {
  /** The git ref to compare with. */
  readonly ref: string
  readonly rounds: number
  /** Only the scenarios whose name matches, when given. */
  readonly filter: RegExp | undefined
}

/** The command line of a compare script; prints the usage and exits 2 without a ref. */
export function baselineArgs(command: string): BaselineArgs {
  const args = process.argv.slice(2)
  const ref = args.find((a) => !a.startsWith('--'))
  if (ref === undefined) {
    console.error(`usage: ${command} -- <git-ref> [--rounds=N] [--filter=REGEX]`)
    process.exit(2)
  }
  const roundsArg = args.find((a) => a.startsWith('--rounds='))
  const filterArg = args.find((a) => a.startsWith('--filter='))
  return {
    ref,
    rounds: roundsArg === undefined ? 7 : Number(roundsArg.slice('--rounds='.length)),
    filter: filterArg === undefined ? undefined : new RegExp(filterArg.slice('--filter='.length), 'i'),
  }
}

/**
 * Checks `ref` out into a temporary worktree (sharing this tree's node_modules), imports its `src/index.ts`, and
 * runs `compare` with the short commit and that module; the worktree is removed whatever happens.
 */
export async function withBaseline<Module>(
  ref: string,
  compare: (commit: string, baseline: Module) => Promise<void>,
): Promise<void> {
  const root = resolve(import.meta.dirname, '..')
  const dir = mkdtempSync(join(tmpdir(), 'jwt-codec-base-'))
  const git = (...a: string[]): string => execFileSync('git', ['-C', root, ...a], { encoding: 'utf8' }).trim()
  try {
    const commit = git('rev-parse', '--short', `${ref}^{commit}`)
    git('worktree', 'add', '--detach', '--quiet', dir, commit)
    symlinkSync(join(root, 'node_modules'), join(dir, 'node_modules'), 'dir')
    await compare(commit, (await import(pathToFileURL(join(dir, 'src/index.ts')).href)) as Module)
  } finally {
    try {
      git('worktree', 'remove', '--force', dir)
    } catch {
      rmSync(dir, { recursive: true, force: true })
      git('worktree', 'prune')
    }
  }
}
