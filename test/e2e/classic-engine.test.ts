/**
 * The engine GitHub-hosted runners have out of the box: the default docker driver on the classic
 * image store, whose builder cannot export cache. `cache: auto` must find that out by itself and
 * use the inline cache, so that a fresh runner (nothing local) still starts warm from the image
 * the default branch pushed. A second engine of the test world, on its own socket.
 */
import { execFileSync } from 'node:child_process';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { slowApp, slowStepCached, testRepositories } from './fixtures.js';
import { pushEvent, ROOT, runAction, shownLog, type ActionRun } from './runner.js';
import { REGISTRY, REGISTRY_PASSWORD, REGISTRY_USER, registryDigest, registryManifest, registryTags } from './world.js';

const newRepo = testRepositories();
const login = { username: REGISTRY_USER, password: REGISTRY_PASSWORD };
let host = '';
const created: string[] = [];

const classic = (...args: string[]): string =>
  execFileSync('docker', args, { encoding: 'utf8', env: { ...process.env, DOCKER_HOST: host }, stdio: ['ignore', 'pipe', 'pipe'] });

/** A fresh runner on the classic engine: no image of the repository, no build cache (the base image stays). */
function freshClassicRunner(image: string): void {
  const refs = classic('image', 'ls', '--format', '{{.Repository}}:{{.Tag}}', image).split('\n').filter((r) => r && !r.endsWith(':<none>'));
  if (refs.length) classic('image', 'rm', '--force', ...refs);
  classic('builder', 'prune', '--all', '--force');
}

beforeAll(() => {
  host = execFileSync('bash', [path.join(ROOT, 'scripts/test-world.sh'), 'classic'], { encoding: 'utf8' }).trim().split('\n').pop()!;
  expect(classic('info', '--format', '{{json .DriverStatus}}')).not.toContain('io.containerd.snapshotter');
});
afterAll(() => {
  for (const image of created) freshClassicRunner(image);
});

interface Meta {
  cacheDetails: { backend: string; reason: string; builder: { driver: string; containerdStore: boolean; cacheExport: boolean } };
  builds: { cache: { from: string[]; to?: string; imported: string[] } }[];
}

function meta(run: ActionRun): Meta {
  expect(run.code, shownLog(run)).toBe(0);
  return JSON.parse(run.outputs.metadata!) as Meta;
}

describe('the classic image store (GitHub-hosted runners out of the box)', () => {
  it('cache: auto picks the inline cache; a fresh runner on a new branch starts warm from the default branch image', async () => {
    const repo = newRepo('classic-inline');
    const image = `${REGISTRY}/${repo}`;
    created.push(image);
    const source = slowApp(repo);
    const env = { DOCKER_HOST: host };
    const inputs = { image, ...login, 'test-command': 'test "$(/app.sh)" = v1 && test -s /deps' };

    const main = await runAction({ workspace: source.dir, event: pushEvent('refs/heads/main', source.sha), inputs, env });
    const m1 = meta(main);
    expect(m1.cacheDetails).toMatchObject({ backend: 'inline', builder: { driver: 'docker', containerdStore: false, cacheExport: false } });
    expect(m1.cacheDetails.reason).toContain('the builder can only write inline cache (docker driver, classic image store)');
    expect(m1.builds[0]!.cache.to).toBe('type=inline');
    expect(await registryTags(repo, { all: true })).toEqual(['latest', 'main', `sha-${source.sha.slice(0, 7)}`]);
    // Built, tested and pushed by the classic engine: the other engine never saw the image.
    expect(classic('image', 'inspect', '--format', '{{.Id}}', `${image}:main`).trim()).toBe(main.outputs.imageid);
    expect(() => execFileSync('docker', ['image', 'inspect', `${image}:main`], { stdio: 'ignore' })).toThrow();
    expect(await registryDigest(repo, 'main')).toBe(main.outputs.digest);

    freshClassicRunner(image);
    source.git('checkout', '-q', '-b', 'topic');
    const sha = source.commit({ 'app.sh': '#!/bin/sh\necho v2\n' });
    const topic = await runAction({
      workspace: source.dir,
      event: pushEvent('refs/heads/topic', sha),
      inputs: { ...inputs, 'test-command': 'test "$(/app.sh)" = v2 && test -s /deps' },
      env,
    });
    const m2 = meta(topic);
    expect(m2.builds[0]!.cache.from).toEqual([`type=registry,ref=${image}:topic`, `type=registry,ref=${image}:main`, `type=registry,ref=${image}:latest`]);
    expect(m2.builds[0]!.cache.imported).toEqual(expect.arrayContaining([`${image}:main`]));
    expect(slowStepCached(topic)).toBe(true);
  });

  it('cache: registry, which this builder cannot do, fails before login and build, saying what would make it work', async () => {
    const repo = newRepo('classic-forced');
    const source = slowApp(repo);
    const run = await runAction({
      workspace: source.dir,
      event: pushEvent('refs/heads/main', source.sha),
      inputs: { image: `${REGISTRY}/${repo}`, ...login, cache: 'registry' },
      env: { DOCKER_HOST: host },
    });
    expect(run.code).not.toBe(0);
    expect(run.stdout).toContain(
      "::error::Input 'cache' is 'registry' but the builder (docker driver with the classic image store) cannot export cache. Enable the containerd image store",
    );
    expect(run.stdout).not.toContain('Logged in to');
    expect(run.stdout).not.toContain('::group::build');
    expect(await registryTags(repo, { all: true })).toEqual([]);
  });

  it('one platform that is not the engine\'s own is built, tested inside its image under emulation, and pushed', async () => {
    const repo = newRepo('classic-arm64');
    const image = `${REGISTRY}/${repo}`;
    created.push(image);
    const source = slowApp(repo);
    const run = await runAction({
      workspace: source.dir,
      event: pushEvent('refs/heads/main', source.sha),
      inputs: { image, ...login, platforms: 'linux/arm64', 'test-command': 'echo "tested on $(uname -m)"' },
      env: { DOCKER_HOST: host },
    });
    expect(run.code, shownLog(run)).toBe(0);
    expect(run.stdout).toContain('::group::test-command (linux/arm64)');
    expect(run.stdout).toContain('tested on aarch64');
    expect(await registryTags(repo)).toEqual(expect.arrayContaining(['latest', 'main']));
  });

  it('two platforms: each built and tested inside its own image, pushed by digest, then one index under every tag', async () => {
    const repo = newRepo('classic-two');
    const image = `${REGISTRY}/${repo}`;
    created.push(image);
    const source = slowApp(repo);
    const run = await runAction({
      workspace: source.dir,
      event: pushEvent('refs/heads/main', source.sha),
      inputs: { image, ...login, platforms: 'linux/amd64,linux/arm64', 'test-command': 'echo "tested on $(uname -m)"' },
      env: { DOCKER_HOST: host },
    });
    expect(run.code, shownLog(run)).toBe(0);
    expect(run.stdout).toContain('The classic image store holds one platform of an image: linux/amd64, linux/arm64 are built and tested one after the other');
    expect(run.stdout).toContain('tested on x86_64');
    expect(run.stdout).toContain('tested on aarch64');
    const tags = await registryTags(repo);
    expect(tags).toEqual(expect.arrayContaining(['latest', 'main']));
    expect(tags.every((t) => ['latest', 'main'].includes(t) || /^sha-[a-f0-9]{7}$/.test(t))).toBe(true);
    const index = await registryManifest(repo, 'latest');
    expect((index.manifests as { platform: { architecture: string } }[]).map((m) => m.platform.architecture)).toEqual(['amd64', 'arm64']);
    expect(await registryDigest(repo, 'main')).toBe(run.outputs.digest);
    const metadata = JSON.parse(run.outputs.metadata!) as { builds: { tests: { platform?: string; passed: boolean }[] }[] };
    expect(metadata.builds[0]!.tests.map((t) => [t.platform, t.passed])).toEqual([
      ['linux/amd64', true],
      ['linux/arm64', true],
    ]);
  });

  it('two platforms where the arm64 test fails: nothing is pushed', async () => {
    const repo = newRepo('classic-two-fail');
    const source = slowApp(repo);
    const run = await runAction({
      workspace: source.dir,
      event: pushEvent('refs/heads/main', source.sha),
      inputs: { image: `${REGISTRY}/${repo}`, ...login, platforms: 'linux/amd64,linux/arm64', 'test-command': 'test "$(uname -m)" = x86_64' },
      env: { DOCKER_HOST: host },
    });
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/::error::The test command failed \(exit 1\) inside .* for linux\/arm64; nothing was pushed\./);
    expect(await registryTags(repo, { all: true })).toEqual([]);
  });
});
