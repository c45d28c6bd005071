import * as core from '@actions/core';
import { getExecOutput } from '@actions/exec';
import { UserError } from '../errors.js';

export interface ExecOptions {
  cwd?: string;
  /** Extra environment for the child; merged over process.env. */
  env?: Record<string, string | undefined>;
  /** Written to the child's stdin (secrets go here, never into argv). */
  input?: string;
  /** Echo the command's output to the log as it runs. */
  stream?: boolean;
  /** Kill the command after this many milliseconds. */
  timeoutMs?: number;
}

export interface ExecResult {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * The one way this action runs an external command. Never throws for a non-zero exit:
 * callers decide what a failure means (see `check`).
 */
export async function execCommand(cmd: string, args: string[], opts: ExecOptions = {}): Promise<ExecResult> {
  core.debug(`exec: ${cmd} ${args.map(quoteArg).join(' ')}`);
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries({ ...process.env, ...opts.env })) if (v !== undefined) env[k] = v;
  let timer: NodeJS.Timeout | undefined;
  const run = getExecOutput(cmd, args, {
    cwd: opts.cwd,
    env,
    input: opts.input === undefined ? undefined : Buffer.from(opts.input),
    ignoreReturnCode: true,
    silent: !opts.stream,
  }).then((r) => ({ code: r.exitCode, stdout: r.stdout, stderr: r.stderr }));
  try {
    if (!opts.timeoutMs) return await run;
    const limit = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new UserError(`${cmd} ${args[0] ?? ''} did not finish within ${Math.round(opts.timeoutMs! / 1000)}s`)),
        opts.timeoutMs,
      );
    });
    return await Promise.race([run, limit]);
  } catch (error) {
    if (error instanceof UserError) throw error;
    const e = error as NodeJS.ErrnoException;
    if (e.code === 'ENOENT' || /Unable to locate executable file/.test(String(e.message))) {
      throw new UserError(`'${cmd}' was not found on PATH. Install it on the runner before this step.`);
    }
    throw error;
  } finally {
    if (timer) clearTimeout(timer);
  }
}

/** The last non-empty lines of a command's stderr (or stdout), for error messages. */
export function tail(result: ExecResult, lines = 8): string {
  const text = (result.stderr.trim() || result.stdout.trim()).split('\n');
  return text
    .filter((l) => l.trim() !== '')
    .slice(-lines)
    .join('\n');
}

/** Throws a UserError built from the command's own last output lines when it failed. */
export function check(result: ExecResult, what: string): ExecResult {
  if (result.code !== 0) throw new UserError(`${what} failed (exit ${result.code}):\n${tail(result)}`);
  return result;
}

function quoteArg(a: string): string {
  return /^[\w@%+=:,./-]+$/.test(a) ? a : `'${a.replace(/'/g, `'\\''`)}'`;
}
