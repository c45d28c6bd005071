import * as core from '@actions/core';
import { UserError } from '../errors.js';
import type { Docker } from './docker.js';
import { CommandFailed, tail } from './exec.js';
import { watchPush } from './push-progress.js';
import { RetryableFailure, RetryError, withRetry, type RetryPolicy } from './retry.js';

export interface PushedRef {
  ref: string;
  digest: string;
  /** `docker push` runs it took (1 when the first push worked). */
  attempts: number;
}

export function parsePushDigest(output: string): string | undefined {
  return /digest: (sha256:[a-f0-9]{64})/.exec(output)?.[1];
}

/** The registry host of a full reference (`localhost:5000/acme/app:1` -> `localhost:5000`). */
export function registryOf(ref: string): string {
  const first = ref.split('/')[0]!;
  return ref.includes('/') && (first.includes('.') || first.includes(':') || first === 'localhost') ? first : 'docker.io';
}

/** How often a push is repeated when another run re-tagged the same name on this engine meanwhile. */
const SWAPS = 3;

/**
 * What `docker push` says when the local name it was given is not there. The engine re-tags a
 * name by removing it and creating it again, so another run re-tagging it at that moment leaves
 * this run's push without it: tag it again and push again, as for a swap.
 */
const NAME_GONE = /tag does not exist|An image does not exist locally with the tag/i;

class LocalNameGone extends Error {}

function keptRetagging(ref: string): UserError {
  return new UserError(`Pushing ${ref}: another run on this engine kept re-tagging ${ref} during the push (${SWAPS} times); what the registry holds under it may be that run's image.`);
}

/**
 * Tags the tested image as `ref` and pushes it, retrying transient registry faults; returns the
 * manifest digest the registry stored. A permanent fault fails at once with the registry and cause.
 *
 * `docker push` pushes a local name, and another run on the same engine may point that name at
 * its own image between our `docker tag` and our `docker push` (two commits of one branch both
 * push `latest`). So the digest that went up must be our image's: with the containerd image store
 * the image id is that manifest digest; with the classic store the engine records it in our
 * image's RepoDigests. If it is not ours, the tag and push are repeated.
 *
 * `tagged`: the caller has just tagged `ref` itself (see tagAll), so the first round only pushes.
 */
export async function tagAndPush(
  docker: Docker,
  image: string,
  ref: string,
  timeoutMs?: number,
  policy?: RetryPolicy,
  tagged = false,
): Promise<PushedRef> {
  const registry = registryOf(ref);
  let attempts = 0;
  for (let round = 1; ; round++) {
    if (round > 1 || !tagged) await docker.tag(image, ref);
    let digest: string;
    try {
      digest = await withRetry(
        `Push of ${ref}`,
        async () => {
          attempts++;
          // On the engine's local socket, the push says how far it is every few seconds.
          const watch = docker.api ? await watchPush(docker.api.socketPath, ref) : undefined;
          let r;
          try {
            r = await docker.run(['push', ref], { timeoutMs, ...(watch ? { env: watch.env } : {}) });
          } finally {
            await watch?.close();
          }
          if (r.code !== 0 && NAME_GONE.test(r.stderr)) throw new LocalNameGone(tail(r, 1));
          if (r.code !== 0) throw new CommandFailed(`docker push ${ref}`, r);
          const found = parsePushDigest(r.stdout);
          if (!found) {
            throw new RetryableFailure(`docker push gave no digest: ${tail(r, 3)}`, { kind: 'permanent', reason: 'the push reported no manifest digest' });
          }
          return found;
        },
        { policy },
      );
    } catch (error) {
      if (!(error instanceof RetryError)) throw error;
      if (error.last instanceof LocalNameGone) {
        if (round >= SWAPS) throw keptRetagging(ref);
        core.info(`${ref} was re-tagged by another run on this engine just before the push (${error.last.message}): tagging and pushing it again.`);
        continue;
      }
      const said = error.last instanceof CommandFailed ? ` Docker said: ${tail(error.last.result, 2)}` : '';
      const how = error.stopped === 'permanent' ? `${registry} refused it: ${error.fault.reason}` : error.detail;
      throw new UserError(`Pushing ${ref} failed: ${how}.${said}`);
    }
    if (await pushedOurs(docker, image, ref, digest)) return { ref, digest, attempts };
    if (round >= SWAPS) throw keptRetagging(ref);
    core.info(`${ref} was re-tagged by another run on this engine during the push: pushing it again.`);
  }
}

/**
 * Gives the image all the names it is about to be pushed under, at once (local names only: each
 * `docker tag` is independent, so they run side by side). The pushes then go one after another.
 */
export async function tagAll(docker: Docker, image: string, refs: string[]): Promise<void> {
  await Promise.all(refs.map((ref) => docker.tag(image, ref)));
}

/** The manifest that went up under `ref` is `image`'s. */
async function pushedOurs(docker: Docker, image: string, ref: string, digest: string): Promise<boolean> {
  if (digest === image) return true;
  const found = await docker.inspectImage(image);
  if (!found) return false;
  const repo = ref.replace(/:[^:/]+$/, '');
  return (found.RepoDigests ?? []).some((d) => d === `${repo}@${digest}` || d === `${repo.replace(/^docker\.io\/(library\/)?/, '')}@${digest}`);
}

/**
 * After a push failed half-way: which references reached which registry, and which did not.
 * Pure. One line per registry, e.g.
 *   "localhost:5000: pushed acme/app:1.2.3, acme/app:1.2; not pushed acme/app:latest".
 */
export function describePartialPush(planned: string[], pushed: string[]): string {
  const byRegistry = new Map<string, { done: string[]; missing: string[] }>();
  for (const ref of planned) {
    const registry = registryOf(ref);
    const entry = byRegistry.get(registry) ?? { done: [], missing: [] };
    byRegistry.set(registry, entry);
    const short = ref.startsWith(`${registry}/`) ? ref.slice(registry.length + 1) : ref;
    (pushed.includes(ref) ? entry.done : entry.missing).push(short);
  }
  const lines: string[] = [];
  for (const [registry, { done, missing }] of byRegistry) {
    const parts: string[] = [];
    if (done.length) parts.push(`pushed ${done.join(', ')}`);
    if (missing.length) parts.push(`not pushed ${missing.join(', ')}`);
    lines.push(`${registry}: ${parts.join('; ')}`);
  }
  return lines.join('\n');
}

/** The error for a push that failed after some references were pushed. */
export function partialPushError(cause: unknown, planned: string[], pushed: string[]): UserError {
  const message = cause instanceof Error ? cause.message : String(cause);
  if (pushed.length === 0) return cause instanceof UserError ? cause : new UserError(message);
  return new UserError(
    `${message}\nThe push stopped half-way: ${pushed.length} of ${planned.length} references reached the registry.\n${describePartialPush(planned, pushed)}`,
  );
}
