import { registryPort, WORLD_DIR } from '../../scripts/world.mjs';

/**
 * The test world set up by scripts/test-world.sh: a registry on loopback with one user, on port
 * 5000 unless the world had to pass over a port held by something else (see registryPort).
 */
export { WORLD_DIR };
const PORT = registryPort();
export const REGISTRY = `localhost:${PORT}`;
export const REGISTRY_URL = `http://127.0.0.1:${PORT}`;
export const REGISTRY_USER = process.env.AUTOBUILD_REGISTRY_USER ?? 'autobuild';
export const REGISTRY_PASSWORD = process.env.AUTOBUILD_REGISTRY_PASSWORD ?? 'autobuild-test-password';
export const BASE_IMAGE = `${REGISTRY}/autobuild-test/busybox:latest`;
/** The Python base (python3 and python3-venv from the machine's Debian release), the machine's own platform only. */
export const PYTHON_IMAGE = `${REGISTRY}/autobuild-test/python:3`;
/** The platforms BASE_IMAGE is built for; the world runs the one that is not the machine's own under QEMU. */
export const BASE_PLATFORMS = ['linux/amd64', 'linux/arm64'] as const;

const auth = `Basic ${Buffer.from(`${REGISTRY_USER}:${REGISTRY_PASSWORD}`).toString('base64')}`;
const MANIFEST_TYPES = [
  'application/vnd.oci.image.manifest.v1+json',
  'application/vnd.oci.image.index.v1+json',
  'application/vnd.docker.distribution.manifest.v2+json',
  'application/vnd.docker.distribution.manifest.list.v2+json',
].join(', ');

/**
 * The image tags a repository has in the registry (empty when the repository does not exist).
 * Layer-cache tags (`buildcache-*`, written by `cache: auto`) are left out unless `all` is set.
 */
export async function registryTags(repo: string, opts: { all?: boolean } = {}): Promise<string[]> {
  const r = await fetch(`${REGISTRY_URL}/v2/${repo}/tags/list`, { headers: { authorization: auth } });
  if (r.status === 404) return [];
  if (!r.ok) throw new Error(`tags/list ${repo}: HTTP ${r.status}`);
  const body = (await r.json()) as { tags: string[] | null };
  return (body.tags ?? []).filter((t) => opts.all || !t.startsWith('buildcache-')).sort();
}

/** The manifest digest the registry holds for repo:tag. */
export async function registryDigest(repo: string, tag: string): Promise<string | undefined> {
  const r = await fetch(`${REGISTRY_URL}/v2/${repo}/manifests/${tag}`, {
    method: 'HEAD',
    headers: { authorization: auth, accept: MANIFEST_TYPES },
  });
  if (r.status === 404) return undefined;
  if (!r.ok) throw new Error(`manifest ${repo}:${tag}: HTTP ${r.status}`);
  return r.headers.get('docker-content-digest') ?? undefined;
}

/** The manifest JSON for repo:tag. */
export async function registryManifest(repo: string, tag: string): Promise<Record<string, any>> {
  const r = await fetch(`${REGISTRY_URL}/v2/${repo}/manifests/${tag}`, { headers: { authorization: auth, accept: MANIFEST_TYPES } });
  if (!r.ok) throw new Error(`manifest ${repo}:${tag}: HTTP ${r.status}`);
  return (await r.json()) as Record<string, any>;
}

/** Removes every tag of a test repository from the registry. */
export async function deleteRepository(repo: string): Promise<void> {
  for (const tag of await registryTags(repo, { all: true })) {
    const digest = await registryDigest(repo, tag);
    if (digest) await fetch(`${REGISTRY_URL}/v2/${repo}/manifests/${digest}`, { method: 'DELETE', headers: { authorization: auth } });
  }
}

/**
 * The engine generation these tests run on (scripts/test.sh runs the engine-sensitive files on
 * both): `current` (Docker 28.5, buildx 0.29) or `oldest` (Docker 26.1, buildx 0.13).
 */
export const ENGINE: 'current' | 'oldest' = process.env.AUTOBUILD_ENGINE === 'oldest' ? 'oldest' : 'current';
