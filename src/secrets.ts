import * as core from '@actions/core';

/**
 * Every value this run masks, in one place. The runner masks them in the log and the job
 * summary, but not in what the action sends to the GitHub API (a pull-request comment is public):
 * `redactSecrets` replaces them there. Nor does the runner know them once Markdown escaped them:
 * the comment and the summary are made from a report `redactAll` went through.
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
 * The environment variables buildx reads for the `secrets` input, found as buildx parses a
 * `--secret` and BuildKit's secret store then reads it: keys in any case (`ID=`, `Env=`); `env=`
 * names the variable; with `type=env` and no `env`, `src=` (or `source=`) names it; with neither
 * `env` nor `src`, the variable named by the id is read when it is set, whatever the type. Their
 * values are secrets too, though the action never held them. Pure.
 */
export function secretEnvNames(secrets: readonly string[]): string[] {
  const names: string[] = [];
  for (const entry of secrets) {
    const fields: Record<string, string> = {};
    for (const field of entry.split(',')) {
      const eq = field.indexOf('=');
      if (eq <= 0) continue;
      const key = field.slice(0, eq).trim().toLowerCase();
      // The last of src and source wins, as in buildx.
      fields[key === 'source' ? 'src' : key] = field.slice(eq + 1).trim();
    }
    let env = fields.env ?? '';
    let src = fields.src ?? '';
    if (fields.type === 'env' && !env) {
      env = src;
      src = '';
    }
    if (!env && !src) env = fields.id ?? '';
    if (env) names.push(env);
  }
  return names;
}

/** Every secret to redact: the masked values and `more`, the longest first (so a secret inside another goes too). */
function toRedact(more: readonly string[]): string[] {
  return [...masked, ...more.filter((s) => s && s.length >= 3)].sort((a, b) => b.length - a.length);
}

function replaceAll(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const s of secrets) out = out.split(s).join('***');
  return out;
}

/** Every masked value (and every one of `more`) replaced by `***`. */
export function redactSecrets(text: string, more: readonly string[] = []): string {
  return replaceAll(text, toRedact(more));
}

/**
 * A copy of a value (plain objects and arrays, as a report is) with redactSecrets applied to every
 * string in it. Markdown is made from the copy: once a string is escaped, a secret with markup
 * characters in it (`p4ss_w0rd!` shown as `p4ss\_w0rd\!`) no longer matches what was masked.
 */
export function redactAll<T>(value: T, more: readonly string[] = []): T {
  const secrets = toRedact(more);
  const walk = (v: unknown): unknown => {
    if (typeof v === 'string') return replaceAll(v, secrets);
    if (Array.isArray(v)) return v.map(walk);
    if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, walk(x)]));
    return v;
  };
  return secrets.length ? (walk(value) as T) : value;
}

/** Names whose values are masked in the log: *TOKEN*, *SECRET*, *PASSWORD*, *_KEY, ... */
export function looksSecret(name: string): boolean {
  return (
    /TOKEN|SECRET|PASSWORD|PASSWD|PASSPHRASE|CREDENTIAL|APIKEY|PRIVATE_?KEY/i.test(name) ||
    name.toUpperCase().split('_').some((word) => ['PASS', 'PWD', 'KEY', 'AUTH'].includes(word))
  );
}
