import * as core from '@actions/core';
import { getErrorMessage } from '../errors.js';
import { registryClientFor } from '../engine/registry.js';
import type { Credential } from '../engine/login.js';
import type { ImageRef } from '../plan/images.js';
import type { PreviewCleanup } from '../plan/plan.js';

export interface CleanupReport {
  pr: number;
  removed: string[];
  /** References that stay, with the reason. */
  kept: { ref: string; why: string }[];
}

/**
 * What to delete in one repository, from its tags and their digests. Pure.
 * Only preview tags go (`pattern`, see previewTagPattern). The registry deletes a manifest by its
 * digest, with every tag that points at it: a digest that any other tag also points at (a branch's,
 * a release's, a `sha-` tag) is kept, since deleting it would take that tag too.
 */
export function selectPreviewDigests(
  tags: Map<string, string>,
  pattern: RegExp,
): { remove: Map<string, string[]>; keep: { tag: string; why: string }[] } {
  const byDigest = new Map<string, string[]>();
  for (const [tag, digest] of tags) byDigest.set(digest, [...(byDigest.get(digest) ?? []), tag]);
  const remove = new Map<string, string[]>();
  const keep: { tag: string; why: string }[] = [];
  for (const [digest, names] of byDigest) {
    if (!names.some((t) => pattern.test(t))) continue;
    const others = names.filter((t) => !pattern.test(t));
    if (others.length) {
      for (const t of names.filter((n) => pattern.test(n))) keep.push({ tag: t, why: `same image as ${others.join(', ')}` });
    } else {
      remove.set(digest, names.sort());
    }
  }
  return { remove, keep };
}

/** Removes a closed pull request's preview tags from every image's registry. Never throws. */
export async function removePreview(images: ImageRef[], cleanup: PreviewCleanup, credentials: Credential[]): Promise<CleanupReport> {
  const report: CleanupReport = { pr: cleanup.pr, removed: [], kept: [] };
  for (const image of images) {
    const client = registryClientFor(image.registry, credentials);
    try {
      const all = (await client.listTags(image.path)) ?? [];
      // Only digests of repositories that hold a preview tag are read.
      if (!all.some((t) => cleanup.pattern.test(t))) continue;
      const digests = new Map<string, string>();
      for (const tag of all) {
        const digest = await client.manifestDigest(image.path, tag);
        if (digest) digests.set(tag, digest);
      }
      const { remove, keep } = selectPreviewDigests(digests, cleanup.pattern);
      for (const k of keep) report.kept.push({ ref: `${image.name}:${k.tag}`, why: k.why });
      for (const [digest, tags] of remove) {
        const refs = tags.map((t) => `${image.name}:${t}`);
        if (await client.deleteManifest(image.path, digest)) {
          report.removed.push(...refs);
          core.info(`Removed ${refs.join(', ')} (${digest}).`);
        } else {
          for (const ref of refs) report.kept.push({ ref, why: `${image.registry} does not allow deletion through the registry API` });
        }
      }
    } catch (error) {
      report.kept.push({ ref: `${image.name}:pr-${cleanup.pr}*`, why: getErrorMessage(error) });
    }
  }
  for (const k of report.kept) core.warning(`Preview tag ${k.ref} was not removed: ${k.why}.`);
  if (!report.removed.length && !report.kept.length) core.info(`No preview tags of pull request #${cleanup.pr} were found.`);
  return report;
}
