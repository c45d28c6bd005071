import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parse as parseYaml } from 'yaml';

export const ROOT = path.resolve(import.meta.dirname, '../..');
export const FAKE_TOKEN = 'ghs_e2eFakeTokenThatMustNeverBePrinted0001';

export interface Event {
  name: string;
  ref: string;
  sha: string;
  payload: Record<string, unknown>;
}

export interface StepResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface ActionRun extends StepResult {
  outputs: Record<string, string>;
  state: Record<string, string>;
  summary: string;
  post: StepResult;
  runnerTemp: string;
  home: string;
}

const REPOSITORY = 'acme/webapp';

export function pushEvent(ref: string, sha: string, message = 'change'): Event {
  return {
    name: 'push',
    ref,
    sha,
    payload: {
      ref,
      after: sha,
      head_commit: { id: sha, message, timestamp: '2026-01-02T03:04:05Z' },
      repository: { full_name: REPOSITORY, default_branch: 'main', html_url: `https://github.com/${REPOSITORY}`, description: 'Test app' },
    },
  };
}

export function pullRequestEvent(number: number, headSha: string, opts: { fork?: boolean; action?: string; headRef?: string } = {}): Event {
  const headRepo = opts.fork ? 'contributor/webapp' : REPOSITORY;
  return {
    name: 'pull_request',
    ref: `refs/pull/${number}/merge`,
    sha: 'f'.repeat(40), // GitHub's merge commit: never the one to tag
    payload: {
      action: opts.action ?? 'synchronize',
      number,
      pull_request: {
        number,
        title: 'A change',
        head: { sha: headSha, ref: opts.headRef ?? 'feature', repo: { full_name: headRepo } },
        base: { ref: 'main', repo: { full_name: REPOSITORY } },
      },
      repository: { full_name: REPOSITORY, default_branch: 'main', html_url: `https://github.com/${REPOSITORY}` },
    },
  };
}

/**
 * pull_request_target: the pull request's payload, but GitHub runs it on the base branch (its
 * GITHUB_REF and GITHUB_SHA), with the repository's secrets.
 */
export function pullRequestTargetEvent(number: number, headSha: string, opts: { fork?: boolean } = {}): Event {
  const pr = pullRequestEvent(number, headSha, opts);
  return { ...pr, name: 'pull_request_target', ref: 'refs/heads/main', sha: 'e'.repeat(40) };
}

/** workflow_run after another workflow's run, on the default branch, as GitHub starts it. */
export function workflowRunEvent(trigger: string, headSha: string, opts: { fork?: boolean; pullRequests?: object[] } = {}): Event {
  return {
    name: 'workflow_run',
    ref: 'refs/heads/main',
    sha: 'e'.repeat(40),
    payload: {
      action: 'completed',
      workflow_run: {
        event: trigger,
        head_branch: opts.fork ? 'main' : 'feature',
        head_sha: headSha,
        head_repository: { full_name: opts.fork ? 'contributor/webapp' : REPOSITORY },
        // GitHub lists no pull request for a fork's run.
        pull_requests: opts.pullRequests ?? [],
      },
      repository: { full_name: REPOSITORY, default_branch: 'main', html_url: `https://github.com/${REPOSITORY}` },
    },
  };
}

/** issue_comment on pull request `number`, on the default branch as GitHub starts it. */
export function issueCommentEvent(number: number): Event {
  return {
    name: 'issue_comment',
    ref: 'refs/heads/main',
    sha: 'e'.repeat(40),
    payload: {
      action: 'created',
      issue: { number, pull_request: { url: `https://api.github.com/repos/${REPOSITORY}/pulls/${number}` } },
      comment: { body: '/build', user: { login: 'someone' } },
      repository: { full_name: REPOSITORY, default_branch: 'main', html_url: `https://github.com/${REPOSITORY}` },
    },
  };
}

/**
 * schedule (`on: schedule`), as GitHub starts it: on the default branch's newest commit, with a
 * payload that names the cron line and the repository, and no commit details.
 */
export function scheduleEvent(sha: string, cron = '17 4 * * *'): Event {
  return {
    name: 'schedule',
    ref: 'refs/heads/main',
    sha,
    payload: {
      schedule: cron,
      repository: { full_name: REPOSITORY, default_branch: 'main', html_url: `https://github.com/${REPOSITORY}`, description: 'Test app' },
    },
  };
}

/** Input defaults as a runner fills them in from action.yml. */
function actionDefaults(): Record<string, string> {
  const action = parseYaml(fs.readFileSync(path.join(ROOT, 'action.yml'), 'utf8')) as {
    inputs: Record<string, { default?: string }>;
  };
  const out: Record<string, string> = {};
  for (const [name, spec] of Object.entries(action.inputs)) {
    if (spec.default === undefined) continue;
    out[name] = spec.default === '${{ github.token }}' ? FAKE_TOKEN : String(spec.default);
  }
  return out;
}

function readFileCommands(file: string): Record<string, string> {
  const out: Record<string, string> = {};
  if (!fs.existsSync(file)) return out;
  const text = fs.readFileSync(file, 'utf8');
  const re = /^([^\n<]+)<<(\S+)\n([\s\S]*?)\n?\2$/gm;
  for (const m of text.matchAll(re)) out[m[1]!] = m[3]!;
  return out;
}

function spawnStep(entry: string, env: NodeJS.ProcessEnv, cwd: string, cancelWhen?: RegExp, onStart?: (child: ChildProcess) => void): Promise<StepResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [entry], { env, cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    onStart?.(child);
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
      // A cancelled job: the runner sends SIGTERM to the step, then runs the post step.
      if (cancelWhen && cancelWhen.test(stdout) && child.exitCode === null) child.kill('SIGTERM');
    });
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}

export interface RunOptions {
  workspace: string;
  inputs: Record<string, string>;
  event: Event;
  /** Extra environment (e.g. DOCKER_HOST, GITHUB_API_URL). */
  env?: Record<string, string>;
  /** Cancel the main step (SIGTERM) as soon as its output matches. */
  cancelWhen?: RegExp;
  /** The runner user's ~/.docker/config.json (default: no logins). */
  userDockerConfig?: string;
  /** Called with the runner user's home (its .docker and plugins in place) before the step starts. */
  prepareHome?: (home: string) => void;
  /**
   * Called with the main step's process as it starts (to watch its output or signal it, as a
   * cancelled job would), and the runner's temp folder and state file.
   */
  onMainStart?: (child: ChildProcess, runner: { runnerTemp: string; stateFile: string }) => void;
}

/**
 * Runs the bundled action (dist/index.js) as a GitHub runner does: INPUT_* with action.yml
 * defaults, GITHUB_* and the event payload, file commands, then the post step with STATE_*.
 */
export async function runAction(opts: RunOptions): Promise<ActionRun> {
  const runnerTemp = fs.mkdtempSync(path.join(os.tmpdir(), 'autobuild-e2e-runner-'));
  const home = path.join(runnerTemp, 'home');
  fs.mkdirSync(path.join(home, '.docker'), { recursive: true });
  fs.writeFileSync(path.join(home, '.docker', 'config.json'), opts.userDockerConfig ?? '{"auths":{}}\n');
  // The runner's docker plugins: a world whose buildx and compose are not the system's (the oldest
  // engine generation) keeps them in its DOCKER_CONFIG, as a runner user's ~/.docker/cli-plugins.
  const plugins = process.env.DOCKER_CONFIG && path.join(process.env.DOCKER_CONFIG, 'cli-plugins');
  if (plugins && fs.existsSync(plugins)) fs.symlinkSync(plugins, path.join(home, '.docker', 'cli-plugins'));
  opts.prepareHome?.(home);
  const files = {
    GITHUB_EVENT_PATH: path.join(runnerTemp, 'event.json'),
    GITHUB_OUTPUT: path.join(runnerTemp, 'output'),
    GITHUB_STATE: path.join(runnerTemp, 'state'),
    GITHUB_STEP_SUMMARY: path.join(runnerTemp, 'summary.md'),
    GITHUB_ENV: path.join(runnerTemp, 'env'),
    GITHUB_PATH: path.join(runnerTemp, 'path'),
  };
  fs.writeFileSync(files.GITHUB_EVENT_PATH, JSON.stringify(opts.event.payload));
  for (const f of [files.GITHUB_OUTPUT, files.GITHUB_STATE, files.GITHUB_STEP_SUMMARY, files.GITHUB_ENV, files.GITHUB_PATH]) fs.writeFileSync(f, '');

  const base: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (!k.startsWith('INPUT_') && !k.startsWith('GITHUB_') && !k.startsWith('STATE_') && !k.startsWith('RUNNER_') && k !== 'DOCKER_CONFIG') base[k] = v;
  }
  const refName = opts.event.ref.replace(/^refs\/(heads|tags)\//, '');
  const env: NodeJS.ProcessEnv = {
    ...base,
    HOME: home,
    CI: 'true',
    GITHUB_ACTIONS: 'true',
    GITHUB_EVENT_NAME: opts.event.name,
    GITHUB_REF: opts.event.ref,
    GITHUB_REF_NAME: refName,
    GITHUB_REF_TYPE: opts.event.ref.startsWith('refs/tags/') ? 'tag' : 'branch',
    GITHUB_SHA: opts.event.sha,
    GITHUB_REPOSITORY: REPOSITORY,
    GITHUB_REPOSITORY_OWNER: REPOSITORY.split('/')[0],
    GITHUB_ACTOR: 'octocat',
    GITHUB_WORKSPACE: opts.workspace,
    GITHUB_SERVER_URL: 'https://github.com',
    GITHUB_API_URL: 'http://127.0.0.1:9/unreachable',
    GITHUB_RUN_ID: '1234',
    RUNNER_TEMP: runnerTemp,
    RUNNER_OS: 'Linux',
    ...files,
    ...opts.env,
  };
  for (const [name, value] of Object.entries({ ...actionDefaults(), ...opts.inputs })) {
    env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] = value;
  }
  const entry = path.join(ROOT, 'dist/index.js');
  const onStart = opts.onMainStart && ((child: ChildProcess) => opts.onMainStart!(child, { runnerTemp, stateFile: files.GITHUB_STATE }));
  const main = await spawnStep(entry, env, opts.workspace, opts.cancelWhen, onStart);
  // The runner takes state from the state file and from `::save-state` commands in the output.
  const state: Record<string, string> = {};
  for (const c of workflowCommands(main.stdout)) if (c.command === 'save-state') state[c.properties.replace(/^name=/, '')] = c.value;
  Object.assign(state, readFileCommands(files.GITHUB_STATE));
  const postEnv: NodeJS.ProcessEnv = { ...env };
  for (const [k, v] of Object.entries(state)) postEnv[`STATE_${k}`] = v;
  const post = await spawnStep(entry, postEnv, opts.workspace);
  return {
    ...main,
    outputs: readFileCommands(files.GITHUB_OUTPUT),
    state,
    summary: fs.readFileSync(files.GITHUB_STEP_SUMMARY, 'utf8'),
    post,
    runnerTemp,
    home,
  };
}

export interface WorkflowCommand {
  command: string;
  properties: string;
  value: string;
}

/**
 * The workflow commands a GitHub runner would act on in a step's output: lines that start with
 * `::`, lines being broken at `\n`, `\r\n` and a lone `\r`, except between
 * `::stop-commands::TOKEN` and `::TOKEN::`.
 */
export function workflowCommands(stdout: string): WorkflowCommand[] {
  const out: WorkflowCommand[] = [];
  let stopped: string | undefined;
  for (const line of stdout.split(/\r\n|\r|\n/)) {
    if (stopped) {
      if (line === `::${stopped}::`) stopped = undefined;
      continue;
    }
    const m = /^::([A-Za-z-]+)( [^:]*)?::(.*)$/.exec(line);
    if (!m) continue;
    if (m[1] === 'stop-commands') {
      stopped = m[3];
      continue;
    }
    out.push({ command: m[1]!, properties: (m[2] ?? '').trim(), value: m[3]! });
  }
  return out;
}

/** The log as a runner shows it: workflow commands that register masks are consumed, not shown. */
export function shownLog(step: StepResult): string {
  return (step.stdout + '\n' + step.stderr)
    .split('\n')
    .filter((l) => !l.startsWith('::add-mask::'))
    .join('\n');
}
