import type { Facts } from '../context.js';

/** OCI labels from the repository and commit, with the `labels` input on top (the user wins). */
export function ociLabels(facts: Facts, version: string, userLabels: string[]): Record<string, string> {
  const labels: Record<string, string> = {
    'org.opencontainers.image.title': facts.repository.name,
    'org.opencontainers.image.description': facts.repository.description ?? '',
    'org.opencontainers.image.url': facts.repository.url,
    'org.opencontainers.image.source': facts.repository.url,
    'org.opencontainers.image.version': version,
    'org.opencontainers.image.revision': facts.sha,
  };
  // Commit time, not build time: the same commit always gets the same labels.
  if (facts.commitTime) labels['org.opencontainers.image.created'] = new Date(facts.commitTime).toISOString();
  if (facts.repository.license) labels['org.opencontainers.image.licenses'] = facts.repository.license;
  for (const line of userLabels) {
    const eq = line.indexOf('=');
    labels[line.slice(0, eq).trim()] = line.slice(eq + 1);
  }
  return labels;
}
