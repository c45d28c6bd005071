/** A repository to push to, as given in the `image` input, normalised. */
export interface ImageRef {
  /** What the user wrote (trimmed). */
  input: string;
  /** Registry host, `docker.io` for Docker Hub. */
  registry: string;
  /** Path inside the registry: `acme/app` (Docker Hub single names get `library/`). */
  path: string;
  /** Full, lower-case name used for every tag: `docker.io/acme/app`, `localhost:5000/acme/app`. */
  name: string;
  /** The name was lower-cased to become valid. */
  lowercased: boolean;
}

export const DOCKER_HUB = 'docker.io';
const HUB_ALIASES = new Set(['docker.io', 'index.docker.io', 'registry-1.docker.io', 'registry.hub.docker.com']);

const COMPONENT = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/;
const DOMAIN = /^(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)*(?::[0-9]+)?$|^\[[0-9a-fA-F:]+\](?::[0-9]+)?$/;

export const IMAGE_HELP =
  'a repository name such as acme/app (Docker Hub), ghcr.io/acme/app or localhost:5000/acme/app, without a tag or digest';

/** Parses one repository name; returns an error string instead of throwing. */
export function parseImage(raw: string): ImageRef | string {
  const input = raw.trim();
  if (!input) return 'it is empty';
  if (/\s/.test(input)) return 'it contains white space';
  if (input.includes('@')) return 'it contains a digest (@...): tags and digests are chosen by autobuild';
  const parts = input.split('/');
  const first = parts[0]!;
  const hasDomain = parts.length > 1 && (first.includes('.') || first.includes(':') || first === 'localhost');
  let registry = hasDomain ? first.toLowerCase() : DOCKER_HUB;
  const rest = hasDomain ? parts.slice(1) : parts;
  if (hasDomain && !DOMAIN.test(first)) return `'${first}' is not a valid registry host`;
  const last = rest[rest.length - 1] ?? '';
  if (last.includes(':')) return `it contains a tag (':${last.split(':').pop()}'): tags are chosen by the tags and rules inputs`;
  if (HUB_ALIASES.has(registry)) registry = DOCKER_HUB;
  if (registry === DOCKER_HUB && rest.length === 1) rest.unshift('library');
  const lowered = rest.map((c) => c.toLowerCase());
  for (const c of lowered) {
    if (!COMPONENT.test(c)) return `'${c || '(empty)'}' is not a valid path component (lower-case letters, digits, and . _ - between them)`;
  }
  const p = lowered.join('/');
  const name = `${registry}/${p}`;
  if (name.length > 255) return 'it is longer than 255 characters';
  return { input, registry, path: p, name, lowercased: lowered.join('/') !== rest.join('/') };
}

/** Splits an input on commas and newlines, dropping empty entries. */
export function splitList(value: string): string[] {
  return value
    .split(/[\n,]/)
    .map((s) => s.trim())
    .filter(Boolean);
}

/** Splits an input on newlines only (values may contain commas), dropping empty lines and # comments. */
export function splitLines(value: string): string[] {
  return value
    .split('\n')
    .map((s) => s.trim())
    .filter((s) => s && !s.startsWith('#'));
}
