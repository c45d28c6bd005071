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

/** Whether the first part of a name is a registry host, as docker reads it: with a `.` or a `:`, or `localhost`. */
function looksLikeHost(part: string): boolean {
  return part.includes('.') || part.includes(':') || part === 'localhost';
}

/** A valid registry host, lower-cased, with Docker Hub's other names (index.docker.io, ...) as docker.io. */
function normaliseHost(host: string): string {
  const lower = host.toLowerCase();
  return HUB_ALIASES.has(lower) ? DOCKER_HUB : lower;
}

export const REGISTRY_HELP = 'a registry host such as docker.io, ghcr.io or localhost:5000 (a host has a . or a :, or is localhost)';

/**
 * The registry a credential is for, normalised as `parseImage` normalises an image's registry
 * (so `index.docker.io` and `registry.hub.docker.com` are docker.io); a scheme and a path are
 * dropped (`https://index.docker.io/v1/`). Undefined when it is not a registry host.
 */
export function parseRegistry(raw: string): string | undefined {
  const host = raw.trim().replace(/^https?:\/\//i, '').replace(/\/.*$/, '');
  return looksLikeHost(host) && DOMAIN.test(host) ? normaliseHost(host) : undefined;
}

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
  const hasDomain = parts.length > 1 && looksLikeHost(first);
  const rest = hasDomain ? parts.slice(1) : parts;
  if (hasDomain && !DOMAIN.test(first)) return `'${first}' is not a valid registry host`;
  const registry = hasDomain ? normaliseHost(first) : DOCKER_HUB;
  const last = rest[rest.length - 1] ?? '';
  if (last.includes(':')) return `it contains a tag (':${last.split(':').pop()}'): tags are chosen by the tags and rules inputs`;
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

/** A reference's repository and tag (`localhost:5000/acme/app:1` -> `localhost:5000/acme/app` and `1`); undefined for a digest or a reference without a tag. */
export function splitTag(ref: string): { repo: string; tag: string } | undefined {
  if (ref.includes('@')) return undefined;
  const colon = ref.lastIndexOf(':');
  if (colon <= ref.lastIndexOf('/')) return undefined;
  return { repo: ref.slice(0, colon), tag: ref.slice(colon + 1) };
}
