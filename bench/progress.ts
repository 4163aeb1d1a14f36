/**
 * The progress line of a bench run, on standard error (standard output carries the results): on a terminal one
 * line rewritten in place (carriage return, then erase to the end of the line), cut to the terminal's width;
 * elsewhere (a pipe, a CI log) one plain line per update.
 */

/** What the line is written to: process.stderr, or a stand-in in the tests. */
export interface ProgressStream {
  readonly isTTY?: boolean
  readonly columns?: number
  write(text: string): unknown
}

export interface Progress {
  /** Replaces the progress line (a terminal) or writes one more line (elsewhere). */
  update(text: string): void
  /** Writes a line that stays (a round finished), clearing the progress line first on a terminal. */
  note(text: string): void
  /** Clears the progress line (a terminal); nothing elsewhere. */
  end(): void
}

import type { Position } from './timing.js'

const CLEAR_LINE = '\r\x1b[K'

export function createProgress(stream: ProgressStream = process.stderr): Progress {
  const tty = stream.isTTY === true
  let shown = false
  return {
    update(text) {
      if (!tty) {
        stream.write(`${text}\n`)
        return
      }
      // One column short of the width, so that the terminal never wraps the line (a wrapped line cannot be
      // rewritten with a carriage return).
      // A pseudo-terminal may say 0 columns: then 80.
      const columns = stream.columns !== undefined && stream.columns > 0 ? stream.columns : 80
      const width = Math.max(20, columns - 1)
      stream.write(`${CLEAR_LINE}${text.length > width ? `${text.slice(0, width - 1)}…` : text}`)
      shown = true
    },
    note(text) {
      stream.write(tty && shown ? `${CLEAR_LINE}${text}\n` : `${text}\n`)
      shown = false
    },
    end() {
      if (tty && shown) stream.write(CLEAR_LINE)
      shown = false
    },
  }
}

/** `m:ss` */
function clock(seconds: number): string {
  const s = Math.max(0, Math.round(seconds))
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`
}

/**
 * The text of the progress line: the phase, the scenario, the time so far and, once a round has been timed, an
 * estimate of the time left (the warm-up measures each contender a quarter as long as a round does).
 */
export function describe(p: Position, elapsedSeconds: number): string {
  const phase = p.round === 0 ? 'warm-up' : `round ${p.round}/${p.rounds}`
  // Work in units of one round: the warm-up counts as a quarter of one.
  const done = p.round === 0 ? (0.25 * p.index) / p.scenarios : 0.25 + p.round - 1 + p.index / p.scenarios
  const total = 0.25 + p.rounds
  const left = done > 0.25 ? ` · about ${clock((elapsedSeconds / done) * (total - done))} left` : ''
  return `${phase} · scenario ${p.index + 1}/${p.scenarios}: ${p.scenario} · ${clock(elapsedSeconds)}${left}`
}
