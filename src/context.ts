import * as fs from 'node:fs';
import * as path from 'node:path';
import { UserError } from './errors.js';
import { execCommand } from './engine/exec.js';

/** What this run is about: the event as plain facts, from GitHub or from a local git checkout. */
export interface Facts {
  source: 'github' | 'local';
  eventName: string;
  /** Full ref: refs/heads/main, refs/tags/v1.2.3, refs/pull/42/merge. */
  ref: string;
  refType: 'branch' | 'tag' | 'pull' | 'other';
  /** Branch being built: the pushed branch, or a pull request's head branch. */
  branch?: string;
  tag?: string;
  /** The commit built: for pull requests the PR head commit, not GitHub's merge commit. */
  sha: string;
  defaultBranch: string;
  isDefaultBranch: boolean;
  /** Pull request target branch; for a tag push, the branch the tag was pushed from when GitHub says so. */
  baseRef?: string;
  pr?: PullRequestFacts;
  /** For workflow_run: the run that triggered this one (its event and where its code came from). */
  trigger?: TriggerFacts;
  commitMessage: string;
  /** Commit time (ISO 8601) when known: makes labels reproducible for the same commit. */
  commitTime?: string;
  repository: RepositoryFacts;
  serverUrl: string;
  apiUrl: string;
  workspace: string;
  runUrl?: string;
}

export interface PullRequestFacts {
  number: number;
  /** Head repository differs from the base repository (or is gone): no secrets, no pushes. */
  fork: boolean;
  headRef: string;
  action?: string;
  merged?: boolean;
}

export interface TriggerFacts {
  /** The triggering run's event: push, pull_request, ... */
  event: string;
  /** Its head repository is not this one (a fork's pull request), or is gone. */
  fork: boolean;
  headRepository?: string;
}

export interface RepositoryFacts {
  owner: string;
  name: string;
  /** owner/name */
  fullName: string;
  url: string;
  description?: string;
  license?: string;
}

type Payload = Record<string, any>;

function readPayload(env: NodeJS.ProcessEnv): Payload {
  const file = env.GITHUB_EVENT_PATH;
  if (!file || !fs.existsSync(file)) return {};
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8')) as Payload;
  } catch {
    return {};
  }
}

/** Facts from the environment and event payload a GitHub runner provides. */
export async function readGitHubFacts(env: NodeJS.ProcessEnv = process.env): Promise<Facts> {
  const payload = readPayload(env);
  const eventName = env.GITHUB_EVENT_NAME ?? 'push';
  const workspace = env.GITHUB_WORKSPACE ?? process.cwd();
  const serverUrl = (env.GITHUB_SERVER_URL ?? 'https://github.com').replace(/\/$/, '');
  const fullName = env.GITHUB_REPOSITORY ?? payload.repository?.full_name ?? 'local/repository';
  const [owner = 'local', name = 'repository'] = fullName.split('/');
  const repo = payload.repository ?? {};
  const defaultBranch: string = repo.default_branch ?? env.AUTOBUILD_DEFAULT_BRANCH ?? 'main';
  const pull = payload.pull_request;

  let ref = env.GITHUB_REF ?? '';
  let sha = env.GITHUB_SHA ?? '';
  let pr: PullRequestFacts | undefined;
  let baseRef: string | undefined;
  let branch: string | undefined;
  let tag: string | undefined;
  let commitMessage: string = payload.head_commit?.message ?? '';
  let commitTime: string | undefined = payload.head_commit?.timestamp;

  let trigger: TriggerFacts | undefined;
  // Events whose payload does not say which commit the workflow checked out: what is in the
  // workspace is what is built, so its HEAD names it.
  let fromWorkspace = false;
  const run = eventName === 'workflow_run' ? payload.workflow_run : undefined;
  const commentedPull = eventName === 'issue_comment' && payload.issue?.pull_request ? payload.issue : undefined;

  if (run) {
    const headRepo: string | undefined = run.head_repository?.full_name;
    const triggerEvent = String(run.event ?? '');
    trigger = { event: triggerEvent, fork: !headRepo || headRepo.toLowerCase() !== fullName.toLowerCase(), headRepository: headRepo };
    sha = run.head_sha ?? sha;
    commitMessage = run.head_commit?.message ?? '';
    commitTime = run.head_commit?.timestamp;
    const pulls: Payload[] = Array.isArray(run.pull_requests) ? run.pull_requests : [];
    const first = pulls[0];
    if (triggerEvent.startsWith('pull_request')) {
      // GitHub lists no pull request for a fork's run: its number is then unknown.
      if (first?.number !== undefined) {
        pr = { number: Number(first.number), fork: trigger.fork, headRef: run.head_branch ?? first.head?.ref ?? '' };
        baseRef = first.base?.ref;
        branch = pr.headRef || undefined;
        ref = `refs/pull/${pr.number}/merge`;
      } else {
        ref = '';
      }
    } else if (run.head_branch) {
      // GitHub gives a tag push's or a release's tag name as head_branch.
      const isTag = triggerEvent === 'release' || (await git(workspace, ['rev-parse', '-q', '--verify', `refs/tags/${run.head_branch}^{commit}`])) === run.head_sha;
      ref = `${isTag ? 'refs/tags/' : 'refs/heads/'}${run.head_branch}`;
    }
    fromWorkspace = true;
  } else if (commentedPull) {
    pr = { number: Number(commentedPull.number), fork: false, headRef: '' };
    ref = `refs/pull/${pr.number}/head`;
    fromWorkspace = true;
  } else if (pull) {
    const headRepo = pull.head?.repo?.full_name;
    pr = {
      number: Number(pull.number ?? payload.number),
      fork: !headRepo || headRepo.toLowerCase() !== String(pull.base?.repo?.full_name ?? fullName).toLowerCase(),
      headRef: pull.head?.ref ?? env.GITHUB_HEAD_REF ?? '',
      action: payload.action,
      merged: pull.merged,
    };
    sha = pull.head?.sha ?? sha;
    baseRef = pull.base?.ref ?? env.GITHUB_BASE_REF;
    branch = pr.headRef || undefined;
    // pull_request_target (and review events) keep the base branch's ref: a pull request is never
    // the default branch, whatever GITHUB_REF says.
    if (!ref.startsWith('refs/pull/')) ref = `refs/pull/${pr.number}/merge`;
  }
  // A pull request's branch is its head branch (set above), not the ref's.
  if (!pr && ref.startsWith('refs/heads/')) {
    branch = ref.slice('refs/heads/'.length);
  } else if (!pr && ref.startsWith('refs/tags/')) {
    tag = ref.slice('refs/tags/'.length);
    // The branch a pushed tag points into, when GitHub knows it ({{base_ref}} in the tags input).
    if (typeof payload.base_ref === 'string') baseRef = payload.base_ref.replace(/^refs\/heads\//, '');
  }

  const refType: Facts['refType'] = pr ? 'pull' : tag !== undefined ? 'tag' : branch !== undefined ? 'branch' : 'other';
  if (fromWorkspace) {
    const head = await git(workspace, ['rev-parse', '--verify', '-q', 'HEAD']);
    if (head && head !== sha) {
      sha = head;
      commitMessage = '';
      commitTime = undefined;
    }
  }
  if (!commitMessage || !commitTime) {
    const local = await gitCommitInfo(workspace, sha || 'HEAD');
    commitMessage ||= local.message;
    commitTime ??= local.time;
  }
  // A shallow checkout of GitHub's merge commit does not hold the head commit: its title stands in.
  if (pull && !commitMessage) commitMessage = pull.title ?? '';
  const runId = env.GITHUB_RUN_ID;
  return {
    source: 'github',
    eventName,
    ref,
    refType,
    branch,
    tag,
    sha,
    defaultBranch,
    isDefaultBranch: refType === 'branch' && branch === defaultBranch,
    baseRef,
    pr,
    trigger,
    commitMessage,
    commitTime,
    repository: {
      owner,
      name,
      fullName,
      url: repo.html_url ?? `${serverUrl}/${fullName}`,
      description: repo.description ?? undefined,
      license: repo.license?.spdx_id && repo.license.spdx_id !== 'NOASSERTION' ? repo.license.spdx_id : undefined,
    },
    serverUrl,
    apiUrl: (env.GITHUB_API_URL ?? 'https://api.github.com').replace(/\/$/, ''),
    workspace,
    runUrl: runId ? `${serverUrl}/${fullName}/actions/runs/${runId}` : undefined,
  };
}

async function git(dir: string, args: string[]): Promise<string | undefined> {
  try {
    const r = await execCommand('git', ['-C', dir, ...args]);
    return r.code === 0 ? r.stdout.trim() : undefined;
  } catch {
    return undefined;
  }
}

async function gitCommitInfo(dir: string, rev: string): Promise<{ message: string; time?: string }> {
  if (!fs.existsSync(path.join(dir, '.git')) && !(await git(dir, ['rev-parse', '--git-dir']))) return { message: '' };
  const out = await git(dir, ['log', '-1', '--format=%cI%n%B', rev]);
  if (!out) return { message: '' };
  const [time, ...msg] = out.split('\n');
  return { time: time || undefined, message: msg.join('\n').trim() };
}

export interface LocalOverrides {
  /**
   * Pretend to build this ref: a branch name, `refs/heads/x`, `refs/tags/v1`, or a pull request's
   * `refs/pull/<N>/merge` (GitHub's ref of a pull_request event; `/head` too).
   */
  ref?: string;
  defaultBranch?: string;
  repository?: string;
  /** With a pull request ref: the branch it targets (default: the default branch). */
  base?: string;
  /** With a pull request ref: it comes from a fork. */
  fork?: boolean;
}

/** A pull request's ref as GitHub gives it: refs/pull/<N>/merge (pull_request) or refs/pull/<N>/head. */
const PULL_REF = /^refs\/pull\/([1-9][0-9]*)\/(merge|head)$/;

/** Facts from a local git checkout, for the CLI. */
export async function readLocalFacts(dir: string, overrides: LocalOverrides = {}): Promise<Facts> {
  const top = (await git(dir, ['rev-parse', '--show-toplevel'])) ?? dir;
  const sha = (await git(top, ['rev-parse', 'HEAD'])) ?? '0000000000000000000000000000000000000000';
  const checkedOut = await git(top, ['symbolic-ref', '--short', '-q', 'HEAD']);
  let ref = overrides.ref ?? '';
  if (!ref) {
    const tagName = await git(top, ['describe', '--exact-match', '--tags', 'HEAD']);
    ref = checkedOut ? `refs/heads/${checkedOut}` : tagName ? `refs/tags/${tagName}` : 'refs/heads/local';
  } else if (!ref.startsWith('refs/')) {
    ref = `refs/heads/${ref}`;
  }
  const pull = PULL_REF.exec(ref);
  if (ref.startsWith('refs/pull/') && !pull) {
    throw new UserError(`--ref '${ref}' is not a pull request's ref: give refs/pull/<number>/merge (or refs/pull/<number>/head).`);
  }
  if (!pull && (overrides.base !== undefined || overrides.fork)) {
    throw new UserError(`${overrides.fork ? '--fork' : '--base'} describes a pull request: give --ref refs/pull/<number>/merge as well.`);
  }
  const originHead = await git(top, ['symbolic-ref', '--short', '-q', 'refs/remotes/origin/HEAD']);
  const defaultBranch =
    overrides.defaultBranch ??
    (originHead ? originHead.replace(/^origin\//, '') : undefined) ??
    ((await git(top, ['rev-parse', '--verify', '-q', 'refs/heads/main'])) ? 'main' : undefined) ??
    ((await git(top, ['rev-parse', '--verify', '-q', 'refs/heads/master'])) ? 'master' : 'main');
  const remote = await git(top, ['remote', 'get-url', 'origin']);
  const fullName =
    overrides.repository ??
    remote?.replace(/\.git$/, '').match(/[:/]([^/:]+\/[^/]+)$/)?.[1] ??
    `local/${path.basename(top)}`;
  const info = await gitCommitInfo(top, sha);
  // A pull request: the checkout is its head commit, and the checked-out branch its head branch,
  // unless that is the branch it targets or the default branch (whose cache scopes it must not write).
  let pr: PullRequestFacts | undefined;
  let baseRef: string | undefined;
  if (pull) {
    baseRef = overrides.base || defaultBranch;
    const headRef = checkedOut && checkedOut !== baseRef && checkedOut !== defaultBranch ? checkedOut : '';
    pr = { number: Number(pull[1]), fork: Boolean(overrides.fork), headRef };
  }
  const branch = pr ? pr.headRef || undefined : ref.startsWith('refs/heads/') ? ref.slice(11) : undefined;
  const tag = ref.startsWith('refs/tags/') ? ref.slice(10) : undefined;
  const [owner = 'local', name = 'repository'] = fullName.split('/');
  return {
    source: 'local',
    eventName: pr ? 'pull_request' : 'push',
    ref,
    refType: pr ? 'pull' : tag !== undefined ? 'tag' : branch !== undefined ? 'branch' : 'other',
    branch,
    tag,
    sha,
    defaultBranch,
    isDefaultBranch: !pr && branch === defaultBranch,
    baseRef,
    pr,
    commitMessage: info.message,
    commitTime: info.time,
    repository: { owner, name, fullName, url: remote ?? `file://${top}` },
    serverUrl: '',
    apiUrl: '',
    workspace: top,
  };
}
