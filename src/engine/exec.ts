import * as core from '@actions/core';
import { spawn, type ChildProcess } from 'node:child_process';
import * as os from 'node:os';
import { UserError } from '../errors.js';
import { currentDeadline, formatDuration, PhaseTimeout } from './deadline.js';
import { InertLog } from './inert-log.js';

export interface ExecOptions {
  cwd?: string;
  /** Extra environment for the child; merged over process.env (without the action's inputs). */
  env?: Record<string, string | undefined>;
  /**
   * The child runs code autobuild does not own (a Docker Hub hook, a Compose file that
   * interpolates variables): it gets only the allow-listed part of this process's environment
   * (see HOST_ENV_ALLOWED) and `env`, never the runner's tokens or the step's other variables.
   */
  isolated?: boolean;
  /** Written to the child's stdin (secrets go here, never into argv). */
  input?: string;
  /**
   * Echo the command's output to the log as it runs, as inert text: between `::stop-commands::`
   * and its end marker, so nothing it prints is a workflow command (see InertLog).
   */
  stream?: boolean;
  /** Kill the command after this many milliseconds (the phase deadline also applies). */
  timeoutMs?: number;
  /**
   * A cleanup command (remove a container, log out): it still runs after cancellation and after
   * the phase ran out of time, with its own short limit.
   */
  cleanup?: boolean;
  /**
   * How to stop this command when it runs out of time or the step is cancelled, before it is
   * signalled (e.g. `docker rm --force` for a `docker run`, whose CLI outlives SIGTERM).
   */
  stop?: () => Promise<unknown>;
  /**
   * The command's stdout goes to this function as it comes, and is not kept (an image stream
   * read once). Returning true stops the command: it has given all that was wanted.
   */
  onStdout?: (chunk: Buffer) => boolean | void;
}

export interface ExecResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Commands started outside any phase (version checks, inspect, tag) get this much time. */
export const DEFAULT_TIMEOUT_MS = 10 * 60_000;
const CLEANUP_TIMEOUT_MS = 60_000;
/** After SIGTERM, a command gets this long to stop before SIGKILL. */
const KILL_GRACE_MS = 5_000;

/** The step was cancelled (SIGINT/SIGTERM from the runner, or Ctrl-C for the CLI). */
export class CancelledError extends UserError {
  constructor(signal: string, what?: string) {
    super(`Cancelled (${signal})${what ? ` while running ${what}` : ''}.`);
    this.name = 'CancelledError';
  }
}

/** A command ran out of its own time limit (not a phase deadline). */
export class CommandTimeout extends UserError {
  constructor(
    what: string,
    readonly limitMs: number,
  ) {
    super(`${what} did not finish within ${formatDuration(limitMs)} and was stopped.`);
    this.name = 'CommandTimeout';
  }
}

const running = new Set<ChildProcess>();
let cancelled: string | undefined;
let handlersInstalled = false;

/** Kills a child and everything it started (it runs in its own process group). */
function killTree(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    try {
      child.kill(signal);
    } catch {
      // already gone
    }
  }
}

/** A running child, with how to stop it. */
type Running = ChildProcess & { cleanup?: boolean; stopGently?: () => Promise<unknown> };

/** Stops a command: its own way first (if it has one), SIGTERM to its process group, SIGKILL after a grace period. */
function stop(child: Running): void {
  child.stopGently?.().catch(() => undefined);
  killTree(child, 'SIGTERM');
  const hard = setTimeout(() => killTree(child, 'SIGKILL'), KILL_GRACE_MS);
  hard.unref();
  child.once('close', () => clearTimeout(hard));
}

/**
 * On SIGINT/SIGTERM: stop every running command, so the pipeline fails fast, cleans up (its
 * cleanup commands still run) and reports; a second signal exits at once. The post step then
 * removes the credentials. Installed by the entry points (the action, the CLI).
 */
export function cancelOnSignals(): void {
  if (handlersInstalled) return;
  handlersInstalled = true;
  const onSignal = (signal: NodeJS.Signals): void => {
    if (cancelled) {
      for (const child of running) killTree(child, 'SIGKILL');
      process.exit(130);
    }
    cancelled = signal;
    for (const child of running) if (!(child as Running).cleanup) stop(child);
    try {
      process.stdout.write(`Received ${signal}: stopping the running commands and cleaning up.${os.EOL}`);
    } catch {
      // nobody reads the log any more: keep cleaning up
    }
    // Never outlive the runner's patience: exit even if something still hangs.
    setTimeout(() => process.exit(130), 20_000).unref();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
}

/**
 * What an isolated child (see ExecOptions.isolated) keeps of this process's environment: where
 * programs are and whose home it is, the locale and time zone, the temp folder, which engine the
 * docker CLI talks to and how, and the proxies. Not the runner's tokens (ACTIONS_*), its command
 * files (GITHUB_ENV, GITHUB_OUTPUT, GITHUB_STATE, ...), the step's own `env:` (secrets such as
 * NPM_TOKEN), nor the user's DOCKER_CONFIG: the caller gives the run's own.
 */
export const HOST_ENV_ALLOWED: readonly (string | RegExp)[] = [
  'PATH', 'HOME', 'USER', 'LOGNAME', 'SHELL', 'TERM', 'TZ', 'LANG', 'LANGUAGE', /^LC_[A-Z]+$/,
  'TMPDIR', 'TEMP', 'TMP', 'CI',
  'DOCKER_HOST', 'DOCKER_CONTEXT', 'DOCKER_TLS_VERIFY', 'DOCKER_CERT_PATH', 'DOCKER_API_VERSION', 'BUILDX_BUILDER',
  'HTTP_PROXY', 'HTTPS_PROXY', 'NO_PROXY', 'http_proxy', 'https_proxy', 'no_proxy',
];

const allowed = (name: string, env: NodeJS.ProcessEnv): boolean =>
  HOST_ENV_ALLOWED.some((a) => (typeof a === 'string' ? a === name : a.test(name))) ||
  // An engine reached over ssh:// needs the SSH agent for the docker CLI that hooks and compose run.
  (name === 'SSH_AUTH_SOCK' && /^ssh:\/\//.test(env.DOCKER_HOST ?? ''));

/**
 * The environment a child gets: this process's, without the action's inputs (they hold secrets);
 * for an isolated child only the allow-listed part of it. `extra` comes on top, either way.
 */
export function childEnv(extra: Record<string, string | undefined> = {}, isolated = false): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (v === undefined || k.toUpperCase().startsWith('INPUT_')) continue;
    if (isolated && !allowed(k, process.env)) continue;
    env[k] = v;
  }
  for (const [k, v] of Object.entries(extra)) {
    if (v === undefined) delete env[k];
    else env[k] = v;
  }
  return env;
}

/**
 * The one way this action runs an external command. Never throws for a non-zero exit: callers
 * decide what a failure means (see `check`). Throws for a command that cannot start, that runs
 * past its time (PhaseTimeout/CommandTimeout), or that was cancelled (CancelledError); in each
 * case the command and everything it started have been stopped.
 */
export async function execCommand(cmd: string, args: string[], opts: ExecOptions = {}): Promise<ExecResult> {
  const what = describeCommand(cmd, args);
  core.debug(`exec: ${cmd} ${args.map(quoteArg).join(' ')}`);
  if (cancelled && !opts.cleanup) throw new CancelledError(cancelled, what);

  const deadline = opts.cleanup ? undefined : currentDeadline();
  const phaseLeft = deadline ? deadline.endsAt - Date.now() : undefined;
  const own = opts.timeoutMs ?? (opts.cleanup ? CLEANUP_TIMEOUT_MS : deadline ? undefined : DEFAULT_TIMEOUT_MS);
  if (phaseLeft !== undefined && phaseLeft <= 0) throw new PhaseTimeout(deadline!.phase, deadline!.limitMs, what, false);
  const limit = Math.min(own ?? Infinity, phaseLeft ?? Infinity);

  return new Promise<ExecResult>((resolve, reject) => {
    let child: ChildProcess;
    try {
      // Its own process group, so a timeout or cancellation stops plugins (buildx) and their children too.
      child = spawn(cmd, args, { cwd: opts.cwd, env: childEnv(opts.env, opts.isolated), stdio: ['pipe', 'pipe', 'pipe'], detached: true });
    } catch (error) {
      reject(startError(cmd, error));
      return;
    }
    (child as Running).cleanup = opts.cleanup;
    (child as Running).stopGently = opts.stop;
    running.add(child);
    let stdout = '';
    let stderr = '';
    let ended: 'own' | 'phase' | undefined;
    const log = opts.stream ? new InertLog() : undefined;
    let enough = false;
    child.stdout!.on('data', (d: Buffer) => {
      if (opts.onStdout) {
        if (!enough && opts.onStdout(d) === true) {
          enough = true;
          stop(child);
        }
        return;
      }
      stdout += d.toString();
      log?.write(d);
    });
    child.stderr!.on('data', (d: Buffer) => {
      stderr += d.toString();
      // Into the same stream as stdout, as @actions/exec does: the log keeps its order, inside its group.
      log?.write(d);
    });
    // A child that exits before reading its stdin must not crash us with EPIPE.
    child.stdin!.on('error', () => undefined);
    child.stdin!.end(opts.input === undefined ? undefined : Buffer.from(opts.input));

    const timer =
      limit === Infinity
        ? undefined
        : setTimeout(() => {
            ended = phaseLeft !== undefined && phaseLeft <= (own ?? Infinity) ? 'phase' : 'own';
            stop(child);
          }, limit);
    child.on('error', (error) => {
      if (timer) clearTimeout(timer);
      running.delete(child);
      log?.finish();
      reject(startError(cmd, error));
    });
    child.on('close', (code, signal) => {
      if (timer) clearTimeout(timer);
      running.delete(child);
      log?.finish();
      if (ended === 'phase') reject(new PhaseTimeout(deadline!.phase, deadline!.limitMs, what));
      else if (ended === 'own') reject(new CommandTimeout(what, limit));
      else if (cancelled && !opts.cleanup && (code !== 0 || signal)) reject(new CancelledError(cancelled, what));
      else resolve({ code: code ?? 128 + (signal ? (os.constants.signals[signal] ?? 0) : 0), stdout, stderr });
    });
  });
}

function startError(cmd: string, error: unknown): Error {
  const e = error as NodeJS.ErrnoException;
  if (e.code === 'ENOENT') return new UserError(`'${cmd}' was not found on PATH. Install it on the runner before this step.`);
  return e instanceof Error ? e : new Error(String(error));
}

/** The last non-empty lines of a command's stderr (or stdout), for error messages. */
export function tail(result: ExecResult, lines = 8): string {
  const text = (result.stderr.trim() || result.stdout.trim()).split('\n');
  return text
    .filter((l) => l.trim() !== '')
    .slice(-lines)
    .join('\n');
}

/** A command that exited non-zero, for withRetry: `output` is what retry.ts classifies. */
export class CommandFailed extends Error {
  readonly output: string;
  constructor(
    readonly what: string,
    readonly result: ExecResult,
  ) {
    super(tail(result, 3) || `${what} failed (exit ${result.code})`);
    this.name = 'CommandFailed';
    this.output = `${result.stdout}\n${result.stderr}`;
  }
}

/** Throws a UserError built from the command's own last output lines when it failed. */
export function check(result: ExecResult, what: string): ExecResult {
  if (result.code !== 0) throw new UserError(`${what} failed (exit ${result.code}):\n${tail(result)}`);
  return result;
}

/** 'docker push localhost:5000/app:1', 'docker buildx build', 'docker run': the command and its leading words. */
export function describeCommand(cmd: string, args: string[]): string {
  const words: string[] = [];
  for (const a of args) {
    if (a.startsWith('-') || words.length === 2) break;
    words.push(a);
  }
  return `'${[cmd, ...words].join(' ')}'`;
}

function quoteArg(a: string): string {
  return /^[\w@%+=:,./-]+$/.test(a) ? a : `'${a.replace(/'/g, `'\\''`)}'`;
}
