import { randomBytes } from 'node:crypto';

/** The InertLogs of commands that may still print: created and not yet finished. */
const live = new Set<InertLog>();

/**
 * Finishes every InertLog still live, so that no inert region stays open: the end of each phase
 * calls it (withinPhase), also when the phase gave up on a command whose output never closed.
 */
export function endInertLogs(): void {
  for (const log of [...live]) log.finish();
}

/**
 * Output from outside (a build, a test container, compose, a hook) written to the log as text
 * only. The runner reads any line of the step's output that starts with `::` as a workflow
 * command (`::save-state::`, `::add-mask::`, `::warning::`), and splits lines on `\r` as well as
 * `\n`. So the output goes between `::stop-commands::TOKEN` and `::TOKEN::`, with a token of 128
 * random bits that the command cannot know, and the end marker always starts a line of its own.
 * Nothing is written until the command prints something. While a region is open, the action's
 * own workflow commands are inert too: a finished log (its command closed, or its phase ended
 * without it, see endInertLogs) writes whatever still comes in a region of its own per chunk.
 */
export class InertLog {
  private token?: string;
  private atLineStart = true;
  private finished = false;

  constructor(private readonly out: { write(chunk: string | Uint8Array): unknown } = process.stdout) {
    live.add(this);
  }

  write(chunk: Buffer | string): void {
    if (chunk.length === 0) return;
    if (!this.token) {
      this.token = randomBytes(16).toString('hex');
      this.out.write(`::stop-commands::${this.token}\n`);
    }
    this.out.write(chunk);
    const last = typeof chunk === 'string' ? chunk.charCodeAt(chunk.length - 1) : chunk[chunk.length - 1];
    this.atLineStart = last === 0x0a;
    if (this.finished) this.end();
  }

  /** Ends the inert part: workflow commands work again. */
  end(): void {
    if (!this.token) return;
    this.out.write(`${this.atLineStart ? '' : '\n'}::${this.token}::\n`);
    this.token = undefined;
    this.atLineStart = true;
  }

  /** The command is done with the log (or its phase is): ends the inert part for good. */
  finish(): void {
    this.end();
    this.finished = true;
    live.delete(this);
  }
}
