/**
 * Who wrote the code being built, decided once from the event, and what follows from it: whether
 * `push: auto` pushes, whether this run logs in and writes the cache, and whether the repository's
 * own files (hooks/, autotest compose files) may run on the runner. Pure.
 */
import type { Facts } from '../context.js';

/**
 * `writer`: code a writer of the repository chose (a push, a branch of this repository, a release).
 * `fork`: code from another repository (a fork's pull request), whatever the event's secrets.
 * `unknown`: the event does not say which code the workflow checked out, and anyone can start it.
 */
export type Author = 'writer' | 'fork' | 'unknown';

export interface Trust {
  author: Author;
  /** The event, as the table below names it. */
  event: string;
  /** Why this author, in words. */
  why: string;
  /** `push: auto` pushes for this event (a pull request's own rules still apply: pr-preview). */
  autoPush: boolean;
  /** Why `push: auto` does not push, when it does not. */
  noPush?: string;
}

/** How each event GitHub can start a workflow with is treated. The README's events table. */
export interface EventRow {
  event: string;
  /** Whose code is built. */
  code: string;
  author: string;
  push: string;
}

export const EVENTS: readonly EventRow[] = [
  { event: 'push', code: 'the pushed commit', author: 'writer', push: 'yes' },
  { event: 'create', code: 'the created branch or tag', author: 'writer', push: 'yes' },
  { event: 'release', code: "the release's tag", author: 'writer', push: 'yes' },
  { event: 'schedule', code: 'the default branch', author: 'writer', push: 'yes' },
  { event: 'workflow_dispatch', code: 'the chosen branch or tag', author: 'writer', push: 'yes' },
  { event: 'repository_dispatch', code: 'the default branch', author: 'writer', push: 'yes' },
  { event: 'pull_request', code: "the pull request's head commit", author: 'writer; fork for a fork', push: 'a preview with pr-preview; never for a fork' },
  { event: 'pull_request_target', code: "the pull request's head commit", author: 'writer; fork for a fork', push: 'a preview with pr-preview; never for a fork' },
  { event: 'workflow_run', code: "the triggering run's head commit", author: "as the triggering run's event (fork for a fork's pull request; unknown after one anyone can start)", push: 'as the triggering event' },
  { event: 'merge_group', code: 'the merge queue commit', author: 'writer', push: 'no: the push to the base branch publishes it' },
  { event: 'issue_comment', code: 'unknown (on a pull request, usually its head)', author: 'unknown on a pull request; writer on an issue', push: 'no: anyone can comment' },
  { event: 'any other', code: 'the default branch', author: 'writer', push: 'no: not an event that publishes' },
];

const PUBLISHING = new Set(['push', 'create', 'release', 'schedule', 'workflow_dispatch', 'repository_dispatch']);
const PULL_REQUEST = new Set(['pull_request', 'pull_request_target', 'pull_request_review', 'pull_request_review_comment']);

/** The trust this event's code gets. Pure. */
export function decideTrust(facts: Pick<Facts, 'eventName' | 'pr' | 'trigger' | 'source'>): Trust {
  const event = facts.eventName;
  // A local checkout is its owner's, but for a pull request planned as a fork's (the CLI's --fork).
  if (facts.source === 'local' && !facts.pr?.fork) return { author: 'writer', event: 'local', why: 'a local checkout, built by its owner', autoPush: true };
  if (event === 'workflow_run') {
    const trigger = facts.trigger;
    const by = trigger?.event ?? 'an unknown event';
    if (trigger?.fork) return { author: 'fork', event, why: `workflow_run after ${by} from the fork ${trigger.headRepository ?? '(gone)'}`, autoPush: false, noPush: 'the code comes from a fork' };
    if (facts.pr) return { author: 'writer', event, why: `workflow_run after ${by} of pull request #${facts.pr.number} from this repository`, autoPush: true };
    if (PUBLISHING.has(by)) return { author: 'writer', event, why: `workflow_run after ${by} in this repository`, autoPush: true };
    if (by === 'merge_group' || by === 'workflow_run') return { author: 'writer', event, why: `workflow_run after ${by}`, autoPush: false, noPush: `the triggering event (${by}) is not one that publishes` };
    // Anyone can start the rest (a comment, an issue, a pull request whose number GitHub did not
    // give): nothing says which code the triggering run, or this one, checked out.
    return { author: 'unknown', event, why: `workflow_run after ${by}, which anyone can start`, autoPush: false, noPush: `anyone can start the triggering event (${by})` };
  }
  if (event === 'issue_comment') {
    if (facts.pr) {
      return {
        author: 'unknown',
        event,
        why: `a comment on pull request #${facts.pr.number}: the event does not say which code was checked out, and anyone can comment`,
        autoPush: false,
        noPush: 'anyone can start an issue_comment workflow',
      };
    }
    return { author: 'writer', event, why: 'a comment on an issue: the default branch', autoPush: false, noPush: 'anyone can start an issue_comment workflow' };
  }
  if (facts.pr) {
    if (facts.pr.fork) return { author: 'fork', event, why: `pull request #${facts.pr.number} comes from a fork`, autoPush: false, noPush: 'the code comes from a fork' };
    return { author: 'writer', event, why: `pull request #${facts.pr.number} from a branch of this repository`, autoPush: true };
  }
  if (PULL_REQUEST.has(event)) {
    // A pull-request event without its pull request in the payload: nothing says whose code it is.
    return { author: 'unknown', event, why: `a ${event} event without its pull request`, autoPush: false, noPush: 'the event does not say whose code this is' };
  }
  if (event === 'merge_group') return { author: 'writer', event, why: 'a merge queue commit, queued by a writer', autoPush: false, noPush: "a merge queue check: the push to the base branch publishes the image" };
  if (PUBLISHING.has(event)) return { author: 'writer', event, why: `a ${event} event in this repository`, autoPush: true };
  return { author: 'writer', event, why: `a ${event} event: the default branch`, autoPush: false, noPush: `${event} is not an event that publishes (set push: true to push)` };
}

/** Code that is not a writer's: no logins (unless pushing was asked for), no cache writes, nothing on the host. */
export function untrusted(trust: Pick<Trust, 'author'>): boolean {
  return trust.author !== 'writer';
}

/** Whether hooks/ and autotest compose files run on the runner: `run` for a writer's code, else `off` unless allowed. */
export type HostCode = 'run' | 'off' | 'allowed';

/** The Plan group's line about trust. */
export function describeTrust(trust: Trust, hostCode: HostCode): string {
  const who = trust.author === 'writer' ? 'a writer of this repository' : trust.author === 'fork' ? 'a fork' : 'unknown';
  const host =
    hostCode === 'off'
      ? '; hooks/ and autotest compose files do not run (allow-untrusted-host-code: true runs them on the runner)'
      : hostCode === 'allowed'
        ? '; hooks/ and autotest compose files run on the runner (allow-untrusted-host-code: true)'
        : '';
  return `Code from: ${who} (${trust.why})${host}`;
}
