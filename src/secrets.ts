import * as core from '@actions/core';

/**
 * Every value this run masks, in one place. The runner masks them in the log and the job
 * summary, but not in what the action sends to the GitHub API (a pull-request comment is public):
 * `redactSecrets` replaces them there.
 */
const masked = new Set<string>();

/** Masks a value in the log (core.setSecret) and remembers it for redactSecrets (values of 3 characters and more). */
export function maskSecret(value: string | undefined): void {
  if (!value) return;
  core.setSecret(value);
  if (value.length < 3) return;
  masked.add(value);
  // The runner masks a multi-line secret line by line: so does the redaction.
  for (const line of value.split(/\r?\n/)) if (line.trim().length >= 3 && line !== value) masked.add(line);
}

/**
 * The environment variables buildx reads for the `secrets` input (`id=npm,env=NPM_TOKEN`; an
 * entry with neither `env` nor `src` reads the variable named by its id): their values are
 * secrets too, though the action never held them. Pure.
 */
export function secretEnvNames(secrets: readonly string[]): string[] {
  const names: string[] = [];
  for (const entry of secrets) {
    const fields: Record<string, string> = {};
    for (const field of entry.split(',')) {
      const eq = field.indexOf('=');
      if (eq > 0) fields[field.slice(0, eq).trim()] = field.slice(eq + 1).trim();
    }
    if (fields.env) names.push(fields.env);
    else if (!fields.src && fields.id) names.push(fields.id);
  }
  return names;
}

/** Every masked value replaced by `***` (the longest first, so a secret inside another goes too). */
export function redactSecrets(text: string, more: readonly string[] = []): string {
  const all = [...masked, ...more.filter((s) => s && s.length >= 3)].sort((a, b) => b.length - a.length);
  let out = text;
  for (const s of all) out = out.split(s).join('***');
  return out;
}
