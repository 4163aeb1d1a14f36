#!/usr/bin/env node
/** The `jwt` (and `jwt-codec`) executable: everything else is in cli.ts, which tests call directly. */
import { main } from './cli.js'

// `jwt decode ... | head -1` closes the pipe early; that is not an error worth a stack trace.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0)
  throw error
})

process.exitCode = await main(process.argv.slice(2))
