/**
 * The repository's README as the Docker Hub repository's description, as Docker Hub autobuilds
 * kept it (input `dockerhub-description`), with the GitHub repository's description as the short
 * description. After a successful push of the default branch only, for the Docker Hub
 * repositories of `image`, with the run's Docker Hub credentials: a login to Docker Hub's API for
 * a token (the same user name and password or access token), then one update a repository.
 *
 * Never fails the step: whatever stops the update (no README, a README over Docker Hub's limit,
 * a refusal, a network error) is a log line or a warning, and the summary says which.
 *
 * The decisions are pure (decideHubDescription, hubDescriptionBody, shortDescription); the file
 * look-up and the calls are apart. The API's base URL is AUTOBUILD_DOCKERHUB_API_URL when set
 * (the tests' stand-in on 127.0.0.1), else Docker Hub's.
 */
import * as core from '@actions/core';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Facts } from '../context.js';
import { getErrorMessage } from '../errors.js';
import type { Inputs } from '../inputs.js';
import { nodeFetch, type Fetch, type FetchResponse } from '../engine/http.js';
import { credentialsFor, type Credential } from '../engine/login.js';
import { classifyError } from '../engine/retry.js';
import { DOCKER_HUB, type ImageRef } from '../plan/images.js';
import type { Plan } from '../plan/plan.js';
import { untrusted } from '../plan/trust.js';
import { maskSecret } from '../secrets.js';
import type { RunReport } from './report.js';

/** The environment variable that points the update at another API (a stand-in in tests). */
export const DOCKERHUB_API_ENV = 'AUTOBUILD_DOCKERHUB_API_URL';
export const DOCKERHUB_API = 'https://hub.docker.com';
/** Docker Hub refuses a longer full description. */
export const FULL_DESCRIPTION_LIMIT = 25_000;
/** Docker Hub's short description holds up to this many characters. */
export const SHORT_DESCRIPTION_LIMIT = 100;
/** Each call's time limit; a call is tried twice at the most (once more after a transient fault). */
export const CALL_TIMEOUT_MS = 15_000;
const RETRY_WAIT_MS = 2_000;

/** What the run did about the Docker Hub description: the summary's line and `metadata.dockerhubDescription`. */
export interface HubDescriptionReport {
  updated: boolean;
  /** The Docker Hub repositories it is about (docker.io/namespace/name). */
  repositories: string[];
  /** The README sent (or that would have been), relative to the workspace. */
  file?: string;
  /** Its size in bytes. */
  bytes?: number;
  /** The short description: sent as is, cut to 100 characters, or not sent (the repository has none). */
  short?: 'sent' | 'cut' | 'none';
  /** Repositories Docker Hub refused, with its answer. */
  refused?: { repository: string; answer: string }[];
  /** Why it was not updated. */
  reason?: string;
}

export type HubDecision = { update: true; repositories: ImageRef[]; credential: Credential } | { update: false; repositories: ImageRef[]; reason: string };

/** Whether a build pushed to this repository: references pushed (or already there), or hooks/push in place of the push. */
function pushedTo(report: Pick<RunReport, 'builds'>, image: ImageRef): boolean {
  return report.builds.some((b) => b.pushedRefs.some((r) => r.startsWith(`${image.name}:`)) || (b.unchanged ?? []).includes(image.name) || (b.hooks ?? []).includes('push'));
}

/** Docker Hub's repository paths are namespace/name: other paths are not Docker Hub repositories. */
const hubShaped = (i: ImageRef): boolean => i.path.split('/').length === 2;

type Gate = { open: true; repositories: ImageRef[]; credential?: Credential } | { open: false; repositories: ImageRef[]; reason: string };

/**
 * What decides the update before anything is pushed: the input, whose code it is, the ref, the
 * push and the credentials (with `credentials: 'at-run-time'`, as `autobuild plan` says, their
 * absence is not a reason). Pure.
 */
function hubDescriptionGate(
  facts: Pick<Facts, 'isDefaultBranch' | 'defaultBranch' | 'refType' | 'tag' | 'branch' | 'pr' | 'eventName'>,
  inputs: Pick<Inputs, 'dockerhubDescription' | 'username' | 'password' | 'registryAuth' | 'githubToken'>,
  plan: Pick<Plan, 'images' | 'push' | 'trust'>,
  repositories: ImageRef[],
  credentials: 'known' | 'at-run-time',
): Gate {
  const no = (reason: string): Gate => ({ open: false, repositories, reason });
  if (inputs.dockerhubDescription === 'off') return no('dockerhub-description: off');
  if (untrusted(plan.trust)) return no(`the code is not a writer's (${plan.trust.why})`);
  if (!facts.isDefaultBranch) {
    const what = facts.pr ? `pull request #${facts.pr.number}` : facts.refType === 'tag' ? `tag '${facts.tag}'` : facts.refType === 'branch' ? `branch '${facts.branch}'` : `this ${facts.eventName} event`;
    return no(`${what} is not the default branch (${facts.defaultBranch}): only a push of the default branch updates it`);
  }
  if (!plan.push.enabled) return no(`nothing is pushed (${plan.push.reason})`);
  const credential = credentialsFor(repositories, inputs).find((c) => c.registry === DOCKER_HUB);
  if (!credential && credentials === 'known') return no('no Docker Hub credentials (username and password, or registry-auth for docker.io)');
  return { open: true, repositories, ...(credential ? { credential } : {}) };
}

/**
 * Whether this run updates the Docker Hub description, and of which repositories; undefined when
 * `image` has no Docker Hub repository (nothing to say). Called once the pushes succeeded. Pure.
 *
 * Only a run of the default branch updates it (a push, a schedule, a manual run on it): a tag's
 * commit may be older than the default branch (a patch release of an earlier line), and its
 * README would take the description back; a pull request, a fork's code or code nobody vouches
 * for never does.
 */
export function decideHubDescription(
  facts: Pick<Facts, 'isDefaultBranch' | 'defaultBranch' | 'refType' | 'tag' | 'branch' | 'pr' | 'eventName'>,
  inputs: Pick<Inputs, 'dockerhubDescription' | 'username' | 'password' | 'registryAuth' | 'githubToken'>,
  plan: Pick<Plan, 'images' | 'push' | 'trust'>,
  report: Pick<RunReport, 'builds'>,
): HubDecision | undefined {
  const repositories = plan.images.filter((i) => i.registry === DOCKER_HUB);
  if (!repositories.length) return undefined;
  const gate = hubDescriptionGate(facts, inputs, plan, repositories, 'known');
  if (!gate.open) return { update: false, repositories, reason: gate.reason };
  const pushed = repositories.filter((i) => pushedTo(report, i));
  if (!pushed.length) return { update: false, repositories, reason: 'nothing was pushed to Docker Hub' };
  const hub = pushed.filter(hubShaped);
  if (!hub.length) return { update: false, repositories: pushed, reason: notHubShaped(pushed) };
  return { update: true, repositories: hub, credential: gate.credential! };
}

const notHubShaped = (images: ImageRef[]): string => `${images.map((i) => i.name).join(', ')} is not a Docker Hub repository name (namespace/name)`;

/**
 * The Plan group's line about the Docker Hub description: which README would go to which
 * repositories once the pushes succeed, or why none would; undefined when `image` has no Docker
 * Hub repository. `autobuild plan` cannot see the run's credentials: it says the update needs
 * them. Reads the README's size only. Never throws.
 */
export function hubDescriptionPlanLine(
  facts: Pick<Facts, 'isDefaultBranch' | 'defaultBranch' | 'refType' | 'tag' | 'branch' | 'pr' | 'eventName' | 'workspace'>,
  inputs: Pick<Inputs, 'dockerhubDescription' | 'username' | 'password' | 'registryAuth' | 'githubToken' | 'context'>,
  plan: Pick<Plan, 'images' | 'push' | 'trust' | 'builds'>,
  credentials: 'known' | 'at-run-time' = 'known',
): string | undefined {
  const repositories = plan.images.filter((i) => i.registry === DOCKER_HUB);
  if (!repositories.length) return undefined;
  const not = (reason: string): string => `Docker Hub description: not updated, ${reason}`;
  const gate = hubDescriptionGate(facts, inputs, plan, repositories, credentials);
  if (!gate.open) return not(gate.reason);
  const hub = repositories.filter(hubShaped);
  if (!hub.length) return not(notHubShaped(repositories));
  const found = findReadme(inputs.dockerhubDescription, plan.builds[0]?.context ?? inputs.context, facts.workspace);
  if ('missing' in found) return not(found.missing);
  const file = path.relative(facts.workspace, found.file);
  let size: number;
  try {
    size = fs.statSync(found.file).size;
  } catch (error) {
    return not(`${file} cannot be read: ${getErrorMessage(error)}`);
  }
  if (size > FULL_DESCRIPTION_LIMIT) return not(`${file} is ${size} bytes, over Docker Hub's limit of ${FULL_DESCRIPTION_LIMIT} bytes`);
  const needs = gate.credential ? '' : ', with the run\'s Docker Hub credentials (username and password, or registry-auth for docker.io)';
  return `Docker Hub description: ${file} (${size} bytes) to ${hub.map((i) => i.name).join(', ')} once the pushes succeed${needs}`;
}

/** The short description: the repository's, at most 100 characters (cut at a character, not a byte). Pure. */
export function shortDescription(text: string | undefined): { text?: string; cut?: number } {
  const value = (text ?? '').replace(/\s+/g, ' ').trim();
  if (!value) return {};
  const chars = Array.from(value);
  if (chars.length <= SHORT_DESCRIPTION_LIMIT) return { text: value };
  return { text: chars.slice(0, SHORT_DESCRIPTION_LIMIT).join('').trimEnd(), cut: chars.length };
}

export interface HubBody {
  full_description: string;
  description?: string;
}

/**
 * What is sent: the README whole as the full description (refused before any call over Docker
 * Hub's 25,000 bytes; a cut README would end mid-sentence, or mid-table), and the short
 * description when the repository has one. Pure.
 */
export function hubDescriptionBody(readme: string, repositoryDescription: string | undefined): { body: HubBody; bytes: number; short: NonNullable<HubDescriptionReport['short']>; cutFrom?: number } | { tooLarge: number } {
  const bytes = Buffer.byteLength(readme, 'utf8');
  if (bytes > FULL_DESCRIPTION_LIMIT) return { tooLarge: bytes };
  const short = shortDescription(repositoryDescription);
  const body: HubBody = { full_description: readme };
  if (short.text) body.description = short.text;
  return { body, bytes, short: short.cut ? 'cut' : short.text ? 'sent' : 'none', ...(short.cut ? { cutFrom: short.cut } : {}) };
}

function isInside(parent: string, child: string): boolean {
  const rel = path.relative(parent, child);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}

/** A regular file inside the workspace, also after its symbolic links are followed. */
function fileInside(file: string, workspace: string): boolean {
  try {
    return fs.statSync(file).isFile() && isInside(fs.realpathSync(workspace), fs.realpathSync(file));
  } catch {
    return false;
  }
}

/** README.md in a folder, or one file whose name is readme.md in another case (Readme.md). */
function readmeIn(dir: string): string | undefined {
  const exact = path.join(dir, 'README.md');
  if (fs.existsSync(exact)) return exact;
  try {
    const found = fs.readdirSync(dir).filter((f) => f.toLowerCase() === 'readme.md');
    return found.length === 1 ? path.join(dir, found[0]!) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The README to send: the input's path, or with `auto` README.md of the (first) build's context,
 * then of the repository root. A file that leads outside the workspace through a symbolic link is
 * never read: its text would be published.
 */
export function findReadme(setting: Inputs['dockerhubDescription'], context: string, workspace: string): { file: string } | { missing: string } {
  if (setting !== 'auto' && setting !== 'off') {
    return fileInside(setting, workspace) ? { file: setting } : { missing: `${path.relative(workspace, setting)} is not a file inside the workspace` };
  }
  const dirs = [...new Set([context, workspace])];
  for (const dir of dirs) {
    const file = readmeIn(dir);
    if (!file) continue;
    if (fileInside(file, workspace)) return { file };
    return { missing: `${path.relative(workspace, file)} leads outside the workspace (a symbolic link): not read` };
  }
  const where = dirs.map((d) => path.relative(workspace, d) || 'the repository root');
  return { missing: `no README.md in ${where.length === 2 ? `the build context (${where[0]}) or the repository root` : 'the repository root'}` };
}

/** Docker Hub's answer, in a few words: its status and its message. */
async function answerOf(res: FetchResponse): Promise<string> {
  let detail = '';
  try {
    const json = (await res.json()) as Record<string, unknown> | null;
    const said = json && (json.detail ?? json.message ?? json.error ?? (Array.isArray(json.errors) ? JSON.stringify(json.errors) : undefined));
    if (said !== undefined && said !== null) detail = typeof said === 'string' ? said : JSON.stringify(said);
  } catch {
    // not JSON
  }
  detail = detail.replace(/\s+/g, ' ').trim();
  if (detail.length > 200) detail = `${detail.slice(0, 200)}...`;
  return `HTTP ${res.status}${detail ? `: ${detail}` : ''}`;
}

/** One call, tried once more after a transient fault (a network error, a timeout, 429, 5xx). */
async function call(fetch: Fetch, url: string, init: { method: string; headers: Record<string, string>; body: string }, wait: (ms: number) => Promise<void>): Promise<FetchResponse> {
  for (let attempt = 1; ; attempt++) {
    try {
      const res = await fetch(url, { ...init, signal: AbortSignal.timeout(CALL_TIMEOUT_MS), maxBytes: 2 ** 20 });
      if (attempt < 2 && (res.status === 429 || res.status >= 500)) {
        await res.body?.cancel();
        await wait(RETRY_WAIT_MS);
        continue;
      }
      return res;
    } catch (error) {
      if (attempt >= 2 || classifyError(error).kind !== 'transient') throw error;
      await wait(RETRY_WAIT_MS);
    }
  }
}

function apiBase(env: NodeJS.ProcessEnv): string {
  const raw = env[DOCKERHUB_API_ENV]?.trim();
  if (!raw) return DOCKERHUB_API;
  const url = new URL(raw);
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new Error(`${DOCKERHUB_API_ENV} must be an http(s) URL`);
  return raw.replace(/\/+$/, '');
}

export interface HubClientOptions {
  fetch?: Fetch;
  env?: NodeJS.ProcessEnv;
  wait?: (ms: number) => Promise<void>;
}

/**
 * Logs in to Docker Hub's API and updates each repository's description. Returns the
 * repositories Docker Hub refused (all of them when the login fails), with its answer.
 */
export async function sendHubDescription(credential: Credential, repositories: ImageRef[], body: HubBody, options: HubClientOptions = {}): Promise<{ repository: string; answer: string }[]> {
  const fetch = options.fetch ?? nodeFetch;
  const wait = options.wait ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const base = apiBase(options.env ?? process.env);
  const json = { 'content-type': 'application/json', accept: 'application/json' };
  const all = (answer: string): { repository: string; answer: string }[] => repositories.map((r) => ({ repository: r.name, answer }));
  let token: string;
  try {
    const res = await call(fetch, `${base}/v2/users/login`, { method: 'POST', headers: json, body: JSON.stringify({ username: credential.username, password: credential.password }) }, wait);
    if (!res.ok) {
      const answer = await answerOf(res);
      const hint = res.status === 401 ? ` (with two-factor authentication, give a personal access token as the password)` : '';
      return all(`Docker Hub's login refused user '${credential.username}' (from ${credential.from}): ${answer}${hint}`);
    }
    const got = (await res.json()) as { token?: unknown } | null;
    if (typeof got?.token !== 'string' || !got.token) return all(`Docker Hub's login answered without a token (HTTP ${res.status})`);
    token = got.token;
    maskSecret(token);
  } catch (error) {
    return all(`could not reach Docker Hub's login: ${getErrorMessage(error)}`);
  }
  const refused: { repository: string; answer: string }[] = [];
  for (const repo of repositories) {
    try {
      const res = await call(fetch, `${base}/v2/repositories/${repo.path}/`, { method: 'PATCH', headers: { ...json, authorization: `Bearer ${token}` }, body: JSON.stringify(body) }, wait);
      if (res.ok) {
        await res.body?.cancel();
        continue;
      }
      const answer = await answerOf(res);
      const hint = res.status === 401 || res.status === 403 ? " (an access token needs the scope 'Read, Write, Delete' to change a repository's description)" : res.status === 404 ? ' (the repository does not exist on Docker Hub, or the user cannot see it)' : '';
      refused.push({ repository: repo.name, answer: `${answer}${hint}` });
    } catch (error) {
      refused.push({ repository: repo.name, answer: `could not reach Docker Hub: ${getErrorMessage(error)}` });
    }
  }
  return refused;
}

/**
 * After the pushes: updates the Docker Hub description when the run should (decideHubDescription)
 * and records what it did in the report. Never throws.
 */
export async function updateHubDescription(facts: Facts, inputs: Inputs, plan: Plan, report: RunReport, options: HubClientOptions = {}): Promise<void> {
  try {
    const decision = decideHubDescription(facts, inputs, plan, report);
    if (!decision) return;
    const names = decision.repositories.map((r) => r.name);
    const skip = (reason: string, extra: Partial<HubDescriptionReport> = {}): void => {
      report.dockerhubDescription = { updated: false, repositories: names, reason, ...extra };
    };
    if (!decision.update) {
      skip(decision.reason);
      core.info(`Docker Hub description: not updated, ${decision.reason}.`);
      return;
    }
    const found = findReadme(inputs.dockerhubDescription, plan.builds[0]?.context ?? inputs.context, facts.workspace);
    if ('missing' in found) {
      skip(found.missing);
      core.info(`Docker Hub description: not updated, ${found.missing}.`);
      return;
    }
    const file = path.relative(facts.workspace, found.file);
    // A file far over the limit is not read at all; a byte-order mark is not part of the text.
    const size = fs.statSync(found.file).size;
    const text = size > 4 * FULL_DESCRIPTION_LIMIT ? undefined : fs.readFileSync(found.file, 'utf8').replace(/^\uFEFF/, '');
    const made = text === undefined ? { tooLarge: size } : hubDescriptionBody(text, facts.repository.description);
    if ('tooLarge' in made) {
      const reason = `${file} is ${made.tooLarge} bytes, over Docker Hub's limit of ${FULL_DESCRIPTION_LIMIT} bytes`;
      skip(reason, { file, bytes: made.tooLarge });
      core.warning(`${reason}: the description of ${names.join(', ')} was not updated (nothing was sent). Shorten it, or set dockerhub-description to the path of a shorter file.`, { title: 'Docker Hub description not updated' });
      return;
    }
    if (made.cutFrom) core.info(`Docker Hub description: the repository's description is ${made.cutFrom} characters; Docker Hub's short description takes ${SHORT_DESCRIPTION_LIMIT}, so it is cut to: ${made.body.description}`);
    const refused = await sendHubDescription(decision.credential, decision.repositories, made.body, options);
    const done = names.filter((n) => !refused.some((r) => r.repository === n));
    report.dockerhubDescription = { updated: done.length > 0, repositories: names, file, bytes: made.bytes, short: made.short, ...(refused.length ? { refused, reason: refused[0]!.answer } : {}) };
    const shortWords = made.short === 'none' ? 'no short description (the GitHub repository has none)' : `the repository's description as the short description${made.short === 'cut' ? ` (cut to ${SHORT_DESCRIPTION_LIMIT} characters)` : ''}`;
    if (done.length) core.info(`Docker Hub description: updated ${done.join(', ')} from ${file} (${made.bytes} bytes), with ${shortWords}.`);
    for (const r of refused) {
      core.warning(`The Docker Hub description of ${r.repository} was not updated: ${r.answer}. The image was pushed; the description is left as it was (dockerhub-description: off stops these updates).`, { title: 'Docker Hub description not updated' });
    }
  } catch (error) {
    report.dockerhubDescription = { updated: false, repositories: plan.images.filter((i) => i.registry === DOCKER_HUB).map((i) => i.name), reason: getErrorMessage(error) };
    core.warning(`The Docker Hub description was not updated: ${getErrorMessage(error)}.`, { title: 'Docker Hub description not updated' });
  }
}

/** The summary's line; `name` renders a repository or file name, `text` any other text (Markdown escaping in the summary). */
export function hubDescriptionWords(d: HubDescriptionReport, fmt: { name: (s: string) => string; text: (s: string) => string } = { name: (s) => s, text: (s) => s }): string {
  const names = (list: string[]): string => list.map(fmt.name).join(', ');
  if (d.updated) {
    const refused = d.refused?.length ? `; not ${names(d.refused.map((r) => r.repository))}: ${fmt.text(d.refused[0]!.answer)}` : '';
    const short = d.short === 'cut' ? `, short description cut to ${SHORT_DESCRIPTION_LIMIT} characters` : d.short === 'sent' ? ', with the short description' : '';
    const done = d.repositories.filter((r) => !d.refused?.some((x) => x.repository === r));
    return `updated ${names(done)} from ${fmt.name(d.file ?? '')} (${d.bytes} bytes${short})${refused}`;
  }
  return `not updated${d.repositories.length ? ` (${names(d.repositories)})` : ''}: ${fmt.text(d.reason ?? 'unknown')}`;
}
