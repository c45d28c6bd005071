import type { Facts } from '../context.js';
import { UserError } from '../errors.js';
import { ExpressionError, render } from './expressions.js';
import { eventView, globalHelpers } from './metadata.js';

export interface ImageMetadata {
  /** Every label the image gets: the OCI keys, then the `labels` input on top. */
  labels: Record<string, string>;
  /** The OCI keys alone, for manifest annotations. */
  annotations: Record<string, string>;
}

/**
 * OCI labels from the repository and commit, with the `labels` input on top (the user wins).
 * `created` is the commit time, not the build time: the same commit always gets the same labels
 * (the run's time only when the commit time is unknown). Empty values are left out. Label
 * values may use the `tags` expressions ({{branch}}, {{sha}}, {{date 'YYYY'}}, ...). Pure.
 */
export function ociLabels(facts: Facts, version: string, userLabels: string[], now: Date = new Date()): ImageMetadata {
  const created = facts.commitTime && !Number.isNaN(Date.parse(facts.commitTime)) ? new Date(facts.commitTime) : now;
  const oci: Record<string, string | undefined> = {
    'org.opencontainers.image.title': facts.repository.name,
    'org.opencontainers.image.description': facts.repository.description,
    'org.opencontainers.image.url': facts.repository.url,
    'org.opencontainers.image.source': facts.repository.url,
    'org.opencontainers.image.version': version,
    'org.opencontainers.image.created': created.toISOString(),
    'org.opencontainers.image.revision': facts.sha,
    'org.opencontainers.image.licenses': facts.repository.license,
  };
  const annotations: Record<string, string> = {};
  for (const [k, v] of Object.entries(oci)) if (v) annotations[k] = v;
  const labels = { ...annotations };
  const helpers = globalHelpers(eventView(facts, now));
  for (const line of userLabels) {
    const eq = line.indexOf('=');
    const key = line.slice(0, eq).trim();
    let value = line.slice(eq + 1);
    if (value.includes('{{')) {
      try {
        value = render(value, helpers);
      } catch (error) {
        if (error instanceof ExpressionError) throw new UserError(`Input 'labels', '${line}': ${error.message}.`);
        throw error;
      }
    }
    labels[key] = value;
  }
  return { labels, annotations };
}
