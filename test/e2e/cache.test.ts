import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startCacheService, type CacheService } from './cache-service.js';
import { slowApp as app, slowStepCached, uniqueRepo } from './fixtures.js';
import { freshRunner } from './fresh-runner.js';
import { pushEvent, runAction, shownLog, type ActionRun } from './runner.js';
import { deleteRepository, ENGINE, REGISTRY, WORLD_DIR, REGISTRY_PASSWORD, REGISTRY_USER, registryManifest, registryTags } from './world.js';

const created: string[] = [];
const services: CacheService[] = [];
const homes: string[] = [];
afterAll(async () => {
  for (const home of homes) fs.rmSync(home, { recursive: true, force: true });
  for (const repo of created) {
    await deleteRepository(repo);
    freshRunner(`${REGISTRY}/${repo}`, repo);
  }
  for (const s of services) await s.close();
});

function newRepo(prefix: string): string {
  const repo = uniqueRepo(prefix);
  created.push(repo);
  return repo;
}

interface Meta {
  cache: string;
  cacheDetails: { backend: string; requested: string; exports: boolean; scopes: { write: string; read: string[] }; builder: { driver: string } };
  builds: { cachedSteps: number; totalSteps: number; cache: { from: string[]; to?: string; imported: string[]; missing: string[]; exportError?: string; restored?: string; saved?: string; notes: string[] } }[];
}

function meta(run: ActionRun): Meta {
  expect(run.code, shownLog(run)).toBe(0);
  return JSON.parse(run.outputs.metadata!) as Meta;
}


/** Blob uploads the registry received for `repo` from now on (from its access log). */
function blobUploads(repo: string): () => string[] {
  const file = path.join(WORLD_DIR, 'registry.log');
  const start = fs.statSync(file).size;
  return () => {
    const text = fs.readFileSync(file).subarray(start).toString();
    return text.split('\n').filter((l) => l.includes(`/v2/${repo}/blobs/uploads`) && /"(POST|PUT|PATCH) /.test(l));
  };
}

const login = { username: REGISTRY_USER, password: REGISTRY_PASSWORD };

describe('cache: auto on a self-hosted runner with a plain engine (containerd image store)', () => {
  it('writes a registry cache per branch; a new branch and a tag on fresh runners start warm from the default branch', async () => {
    const repo = newRepo('cache-registry');
    const image = `${REGISTRY}/${repo}`;
    const source = app(repo);
    const mainSha = source.sha;
    const main = await runAction({ workspace: source.dir, event: pushEvent('refs/heads/main', source.sha), inputs: { image, ...login } });
    const m1 = meta(main);
    expect(m1.cacheDetails).toMatchObject({ requested: 'auto', backend: 'registry', exports: true, scopes: { write: 'main', read: ['main'] } });
    expect(m1.cache).toMatch(/^auto -> registry: the builder can export cache/);
    expect(m1.builds[0]!.cache.to).toBe(`type=registry,ref=${image}:buildcache-main,mode=max,ignore-error=true`);
    expect(m1.builds[0]!.cache.missing).toEqual([`${image}:buildcache-main`]);
    expect(main.stdout).toContain('Cache: auto -> registry');
    expect(main.summary).toContain('**Cache:** auto -> registry');
    expect(await registryTags(repo, { all: true })).toContain('buildcache-main');

    // A new branch with a source change, on a fresh runner: the slow step comes from main's cache.
    freshRunner(image, repo);
    source.git('checkout', '-q', '-b', 'feature/x');
    const sha = source.commit({ 'app.sh': '#!/bin/sh\necho v2\n' });
    const feature = await runAction({ workspace: source.dir, event: pushEvent('refs/heads/feature/x', sha), inputs: { image, ...login, 'test-command': 'test "$(/app.sh)" = v2' } });
    const m2 = meta(feature);
    expect(slowStepCached(feature)).toBe(true);
    expect(m2.cacheDetails.scopes).toEqual({ write: 'feature-x', read: ['feature-x', 'main'] });
    expect(m2.builds[0]!.cache.imported).toEqual([`${image}:buildcache-main`]);
    expect(m2.builds[0]!.cache.missing).toEqual([`${image}:buildcache-feature-x`]);
    expect(await registryTags(repo, { all: true })).toEqual(expect.arrayContaining(['buildcache-main', 'buildcache-feature-x']));

    // A release tag on a fresh runner: warm from the default branch, writes its own series.
    freshRunner(image, repo);
    source.git('tag', 'v1.0.0');
    const tag = await runAction({ workspace: source.dir, event: pushEvent('refs/tags/v1.0.0', sha), inputs: { image, ...login } });
    const m3 = meta(tag);
    expect(slowStepCached(tag)).toBe(true);
    expect(m3.cacheDetails.scopes).toEqual({ write: 'tag-v1', read: ['tag-v1', 'main'] });
    expect(await registryTags(repo, { all: true })).toContain('buildcache-tag-v1');
    // The cache tags are not image tags: the plan's tags are what was pushed.
    expect(await registryTags(repo)).toEqual(['1', '1.0', '1.0.0', 'feature-x', 'latest', 'main', `sha-${mainSha.slice(0, 7)}`, `sha-${sha.slice(0, 7)}`].sort());
  });

  it('a build with nothing changed is all cache hits, its push uploads nothing new, and the cache is not exported again', async () => {
    const repo = newRepo('cache-nochange');
    const image = `${REGISTRY}/${repo}`;
    const source = app(repo);
    const event = pushEvent('refs/heads/main', source.sha);
    meta(await runAction({ workspace: source.dir, event, inputs: { image, ...login } }));
    freshRunner(image, repo);
    const uploads = blobUploads(repo);
    const again = await runAction({ workspace: source.dir, event, inputs: { image, ...login } });
    const m = meta(again);
    expect(m.builds[0]!.cachedSteps).toBe(m.builds[0]!.totalSteps);
    // Neither the cache export nor the push sent a layer: the registry had every one. (The cache
    // export writes a new small cache config, which records when each record was last used.)
    const sent = uploads()
      .map((l) => /digest=(sha256%3A[a-f0-9]{64})/.exec(l)?.[1]?.replace('%3A', ':'))
      .filter((d): d is string => Boolean(d));
    // BuildKit 0.13 writes the cache as an image index, 0.2x as an image manifest (layers and a config).
    const index = await registryManifest(repo, 'buildcache-main');
    const descriptors = (index.manifests ?? [...(index.layers ?? []), index.config]) as { digest: string; mediaType: string }[];
    const mediaTypes = new Map(descriptors.map((d) => [d.digest, d.mediaType]));
    expect(mediaTypes.size).toBeGreaterThan(1);
    for (const digest of sent) expect(mediaTypes.get(digest) ?? 'not a layer of the cache').not.toMatch(/layer/);
    const pushed = await registryManifest(repo, 'main');
    const layers = (pushed.layers as { digest: string }[]).map((l) => l.digest);
    expect(sent.filter((d) => layers.includes(d))).toEqual([]);
    // The same commit was pushed with its cache: the cache is not exported again.
    expect(m.builds[0]!.cache.to).toBeUndefined();
    expect(m.builds[0]!.cache.notes).toContain(`cache export skipped: this commit's image (${image}:sha-${source.sha.slice(0, 7)}) was pushed before`);
  });

  it('forced modes the runner cannot do fail before login and build, naming the input', async () => {
    const repo = newRepo('cache-forced');
    const source = app(repo);
    const run = await runAction({ workspace: source.dir, event: pushEvent('refs/heads/main', source.sha), inputs: { image: `${REGISTRY}/${repo}`, ...login, cache: 'gha' } });
    expect(run.code).toBe(1);
    expect(shownLog(run)).toMatch(/Input 'cache' is 'gha' but GitHub's cache service cannot be used: no runner cache service/);
    expect(run.stdout).not.toContain('Logged in to');
    expect(run.stdout).not.toContain('::group::build');

    // cache: local where the runner's cache service has a URL but no token (ACTIONS_RUNTIME_TOKEN).
    const service = await startCacheService();
    services.push(service);
    const env = { ...service.env('v2'), ACTIONS_RUNTIME_TOKEN: '' };
    const local = await runAction({ workspace: source.dir, event: pushEvent('refs/heads/main', source.sha), inputs: { image: `${REGISTRY}/${repo}`, ...login, cache: 'local' }, env });
    expect(local.code).toBe(1);
    expect(local.stdout).toContain(
      "::error::Input 'cache' is 'local' but the runner's cache service, which keeps the cache directory between runs, cannot be used: ACTIONS_RUNTIME_TOKEN (its token) is not set.",
    );
    expect(local.stdout).toContain('use cache: registry or cache: inline, or use cache: auto');
    expect(local.stdout).not.toContain('Logged in to');
    expect(local.stdout).not.toContain('::group::build');
    expect(local.stdout).not.toContain('::warning::');
    expect(service.requests).toEqual([]);
  });

  // BuildKit 0.13 (Docker 26) at times imports the inline cache of an image and then does not use
  // it (seen in about one run of three, also before any change of this project's): one more try there.
  it('cache: inline puts the cache in the pushed image; a fresh runner on another branch reads it from the default branch image', { retry: ENGINE === 'oldest' ? 2 : 0 }, async () => {
    const repo = newRepo('cache-inline');
    const image = `${REGISTRY}/${repo}`;
    const source = app(repo);
    const m1 = meta(await runAction({ workspace: source.dir, event: pushEvent('refs/heads/main', source.sha), inputs: { image, ...login, cache: 'inline' } }));
    expect(m1.builds[0]!.cache.to).toBe('type=inline');
    expect(await registryTags(repo, { all: true })).not.toContain('buildcache-main');
    freshRunner(image, repo);
    source.git('checkout', '-q', '-b', 'dev');
    const sha = source.commit({ 'app.sh': '#!/bin/sh\necho v3\n' });
    const dev = await runAction({ workspace: source.dir, event: pushEvent('refs/heads/dev', sha), inputs: { image, ...login, cache: 'inline' } });
    const m2 = meta(dev);
    expect(m2.builds[0]!.cache.from).toEqual([`type=registry,ref=${image}:dev`, `type=registry,ref=${image}:main`, `type=registry,ref=${image}:latest`]);
    expect(slowStepCached(dev), shownLog(dev)).toBe(true);
  });
});

describe("cache: local, kept between runs by the runner's cache service (a stand-in on 127.0.0.1)", () => {
  it('restores this branch then the default branch, saves a pruned directory, and skips the upload when nothing changed', async () => {
    const service = await startCacheService();
    services.push(service);
    const repo = newRepo('cache-local');
    const image = `${REGISTRY}/${repo}`;
    const source = app(repo);
    // One runner home (as on a real runner, where ~ sits at the same place relative to the
    // workspace), wiped between runs like a fresh runner's.
    const home = fs.mkdtempSync(path.join(os.tmpdir(), 'autobuild-e2e-home-'));
    homes.push(home);
    const env = { ...service.env('v2'), HOME: home };
    const inputs = { image, ...login, cache: 'local' };
    const cacheDir = path.join(home, '.cache', 'autobuild');

    const mainSha = source.sha;
    const first = await runAction({ workspace: source.dir, event: pushEvent('refs/heads/main', source.sha), inputs, env });
    const m1 = meta(first);
    const id = `${REGISTRY.replace(':', '-')}-${repo.replace(/\//g, '-')}`;
    expect(m1.cacheDetails.backend).toBe('local');
    expect(m1.builds[0]!.cache.saved).toBe(`autobuild/${id}/main/${source.sha}`);
    expect(service.entries.map((e) => e.key)).toEqual([`autobuild/${id}/main/${source.sha}`]);
    const blobsOf = (d: string): string[] => fs.readdirSync(path.join(d, 'blobs', 'sha256')).sort();
    /** The blobs the directory's index names: its cache index or manifest, and what that one lists (layers, cache config). */
    const namedBlobs = (d: string): string[] => {
      type Listing = { manifests?: { digest: string }[]; config?: { digest: string }; layers?: { digest: string }[] };
      const hex = (digest: string): string => digest.replace(/^sha256:/, '');
      const top = JSON.parse(fs.readFileSync(path.join(d, 'index.json'), 'utf8')) as Listing;
      const named = new Set<string>();
      for (const m of top.manifests ?? []) {
        named.add(hex(m.digest));
        const inner = JSON.parse(fs.readFileSync(path.join(d, 'blobs', 'sha256', hex(m.digest)), 'utf8')) as Listing;
        for (const l of [...(inner.manifests ?? []), ...(inner.config ? [inner.config] : []), ...(inner.layers ?? [])]) named.add(hex(l.digest));
      }
      return [...named].sort();
    };
    const firstBlobs = blobsOf(path.join(cacheDir, id));
    expect(firstBlobs).toEqual(namedBlobs(path.join(cacheDir, id)));

    // A new branch on a fresh runner (empty home, no local images or build cache).
    fs.rmSync(cacheDir, { recursive: true, force: true });
    freshRunner(image, repo);
    source.git('checkout', '-q', '-b', 'topic');
    const sha = source.commit({ 'app.sh': '#!/bin/sh\necho v4\n' });
    const second = await runAction({ workspace: source.dir, event: pushEvent('refs/heads/topic', sha), inputs, env });
    const m2 = meta(second);
    expect(m2.builds[0]!.cache.restored).toBe(`autobuild/${id}/main/${mainSha}`);
    expect(slowStepCached(second)).toBe(true);
    expect(m2.builds[0]!.cache.saved).toBe(`autobuild/${id}/topic/${sha}`);
    // The new directory replaced the old one: it holds only what its own index names (the old app
    // layer is gone), so it does not grow. How many records BuildKit exports for a step varies with
    // what its builder kept from earlier builds, so the two directories' sizes are not compared.
    const secondBlobs = blobsOf(path.join(cacheDir, id));
    expect(secondBlobs).toEqual(namedBlobs(path.join(cacheDir, id)));
    expect(secondBlobs).not.toEqual(firstBlobs);
    expect(fs.existsSync(path.join(cacheDir, `${id}-new`))).toBe(false);

    // The same commit again on a fresh runner: restored, all hits, nothing uploaded.
    fs.rmSync(cacheDir, { recursive: true, force: true });
    freshRunner(image, repo);
    const uploaded = service.uploadedBytes();
    const third = await runAction({ workspace: source.dir, event: pushEvent('refs/heads/topic', sha), inputs, env });
    const m3 = meta(third);
    expect(m3.builds[0]!.cachedSteps).toBe(m3.builds[0]!.totalSteps);
    expect(m3.builds[0]!.cache.saved).toBeUndefined();
    expect(m3.builds[0]!.cache.notes.join(' ')).toMatch(/exists already|unchanged/);
    expect(service.uploadedBytes()).toBe(uploaded);
    expect(service.entries).toHaveLength(2);
    // Each run let go of the cache folder when it was done with it.
    expect(fs.existsSync(path.join(cacheDir, `${id}.lock`))).toBe(false);

    // Another job on this machine holds the folder (this test process stands in for it): the run
    // builds without the local cache, says why, and leaves that job's folders alone.
    const lock = path.join(cacheDir, `${id}.lock`);
    fs.mkdirSync(lock, { recursive: true });
    fs.writeFileSync(path.join(lock, 'owner.json'), JSON.stringify({ pid: process.pid, since: Date.now() }));
    const before = blobsOf(path.join(cacheDir, id));
    const next = source.commit({ 'app.sh': '#!/bin/sh\necho v5\n' });
    const busy = await runAction({ workspace: source.dir, event: pushEvent('refs/heads/topic', next), inputs, env });
    expect(busy.code, shownLog(busy)).toBe(0);
    expect(busy.stdout).toContain(`::warning::The local layer cache ~/.cache/autobuild/${id} is not used by this build: another job on this machine (process ${process.pid}) is using it since`);
    const m4 = meta(busy);
    expect(m4.builds[0]!.cache.restored).toBeUndefined();
    expect(m4.builds[0]!.cache.saved).toBeUndefined();
    expect(service.entries).toHaveLength(2);
    expect(busy.stdout).not.toContain('type=local');
    expect(blobsOf(path.join(cacheDir, id))).toEqual(before);
    expect(fs.existsSync(path.join(cacheDir, `${id}-new`))).toBe(false);
    expect(JSON.parse(fs.readFileSync(path.join(lock, 'owner.json'), 'utf8')).pid).toBe(process.pid);
  });

  it('an unreachable cache service is a warning, then an uncached build that succeeds', async () => {
    const service = await startCacheService();
    const env = service.env('v2');
    await service.close();
    const repo = newRepo('cache-down');
    const source = app(repo);
    const run = await runAction({ workspace: source.dir, event: pushEvent('refs/heads/main', source.sha), inputs: { image: `${REGISTRY}/${repo}`, ...login, cache: 'local' }, env });
    const m = meta(run);
    expect(run.outputs.pushed).toBe('true');
    expect(shownLog(run)).toMatch(/::warning::.*(restore|save)/i);
    expect(m.builds[0]!.cache.saved).toBeUndefined();
  });
});

describe('cache: auto on a runner with a cache service (the legacy v1 protocol, as on GHES)', () => {
  it('picks gha, scoped per image and branch; when BuildKit cannot use the service, the export is a warning and the build goes on', async () => {
    const service = await startCacheService();
    services.push(service);
    const repo = newRepo('cache-gha');
    const image = `${REGISTRY}/${repo}`;
    const source = app(repo);
    // The stand-in's token is not one BuildKit accepts, so its gha exporter refuses to start.
    const env = service.env('v1');
    const run = await runAction({ workspace: source.dir, event: pushEvent('refs/heads/main', source.sha), inputs: { image, ...login }, env });
    const m = meta(run);
    const scope = `autobuild/${REGISTRY.replace(':', '-')}-${repo.replace(/\//g, '-')}/main`;
    expect(m.cacheDetails.backend).toBe('gha');
    expect(m.cache).toMatch(/^auto -> gha: GitHub's cache service is usable \(runner cache service v1/);
    expect(m.builds[0]!.cache.from).toEqual([`type=gha,scope=${scope}`]);
    expect(m.builds[0]!.cache.to).toBe(`type=gha,scope=${scope},mode=max,ignore-error=true`);
    expect(m.builds[0]!.cache.exportError).toMatch(/failed to configure gha cache exporter/);
    expect(shownLog(run)).toMatch(/::warning::The cache export failed .*building again without exporting cache/);
    expect(run.outputs.pushed).toBe('true');
    // The runtime token never shows in the log.
    expect(shownLog(run)).not.toContain(env.ACTIONS_RUNTIME_TOKEN!.split('.')[1]!);
  });
});
