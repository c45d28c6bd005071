/**
 * Big images, checked early: the disk warning before the build (free space of the engine's data
 * root against twice the previous image of the branch), and the per-layer limit of a registry
 * before the push (a small limit set for the test registry with AUTOBUILD_LAYER_LIMITS).
 */
import { execFileSync } from 'node:child_process';
import * as path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { formatBytes } from '../../src/phases/summary.js';
import { makeRepo, testRepositories } from './fixtures.js';
import { pushEvent, ROOT, runAction, shownLog } from './runner.js';
import { BASE_IMAGE, REGISTRY, REGISTRY_PASSWORD, REGISTRY_USER, registryManifest, registryTags } from './world.js';

const newRepo = testRepositories();
const credentials = { username: REGISTRY_USER, password: REGISTRY_PASSWORD };

/** An app with one layer of `bytes` random bytes (random: it does not compress). */
function bigLayerApp(bytes: number): ReturnType<typeof makeRepo> {
  return makeRepo({
    Dockerfile: `FROM ${BASE_IMAGE}\nRUN head -c ${bytes} /dev/urandom > /data.bin\nCOPY app.sh /app.sh\n`,
    'app.sh': '#!/bin/sh\necho app\n',
  });
}

/** What the registry's manifest of repo:tag says the image holds: config and layers (the platform's, for an index). */
async function manifestBytes(repo: string, tag: string): Promise<{ total: number; layers: number[] }> {
  let m = await registryManifest(repo, tag);
  if (m.manifests) {
    const arch = process.arch === 'x64' ? 'amd64' : process.arch;
    const d = (m.manifests as { digest: string; platform?: { architecture?: string } }[]).find((x) => x.platform?.architecture === arch)!;
    m = await registryManifest(repo, d.digest);
  }
  const layers = (m.layers as { size: number }[]).map((l) => l.size);
  return { total: (m.config as { size: number }).size + layers.reduce((a, b) => a + b, 0), layers };
}

describe('disk space before the build', () => {
  it('warns when the data root has less free space than twice the previous image, still pushes; no warning with room to spare', async () => {
    const app = bigLayerApp(3_000_000);
    const repo = newRepo('disk');
    const image = `${REGISTRY}/${repo}`;
    const inputs = { image, ...credentials };

    // The first run: nothing in the registry to compare with, so no figure and no warning.
    const first = await runAction({ workspace: app.dir, event: pushEvent('refs/heads/main', app.sha), inputs, env: { AUTOBUILD_DISK_FREE_BYTES: '500' } });
    expect(first.code, shownLog(first)).toBe(0);
    expect(first.stdout).not.toContain('Low disk space');
    const tag = first.outputs.tags!.split('\n')[0]!.split(':').pop()!;
    expect(first.stdout).toContain(`::debug::Disk check: ${image} holds no previous image of ${tag}`);

    // The next commit, with a tiny free-space figure: a warning naming both, before the build.
    const previous = await manifestBytes(repo, tag);
    const sha = app.commit({ 'app.sh': '#!/bin/sh\necho app v2\n' });
    const short = await runAction({ workspace: app.dir, event: pushEvent('refs/heads/main', sha), inputs, env: { AUTOBUILD_DISK_FREE_BYTES: '500' } });
    expect(short.code, shownLog(short)).toBe(0);
    const warning = /^::warning title=Low disk space for the build::(.*)$/m.exec(short.stdout)?.[1];
    expect(warning, shownLog(short)).toBeDefined();
    const dataRoot = execFileSync('docker', ['info', '--format', '{{.DockerRootDir}}'], { encoding: 'utf8' }).trim();
    expect(warning).toContain(`data root ${dataRoot} has 500 B free (as AUTOBUILD_DISK_FREE_BYTES says)`);
    expect(warning).toContain(`needs about ${formatBytes(2 * previous.total)}`);
    expect(warning).toContain(`${image}:${tag} (${formatBytes(previous.total)})`);
    expect(warning).toContain('docker system prune -af');
    expect(short.stdout.indexOf('Low disk space')).toBeLessThan(short.stdout.indexOf('buildx build'));
    expect(short.summary).toContain(`**Disk:** 500 B free in \`${dataRoot}\``);
    expect(JSON.parse(short.outputs.metadata!).disk).toMatchObject({ dataRoot, freeBytes: 500, needBytes: 2 * previous.total, warned: true });
    expect(short.outputs.pushed).toBe('true');

    // The real free space of the data root: plenty for a few MB.
    const roomy = await runAction({ workspace: app.dir, event: pushEvent('refs/heads/main', app.commit({ 'app.sh': '#!/bin/sh\necho app v3\n' })), inputs });
    expect(roomy.code, shownLog(roomy)).toBe(0);
    expect(roomy.stdout).not.toContain('Low disk space');
    expect(roomy.stdout).toMatch(new RegExp(`^Disk: [\\d.]+ [kMGT]?B free in ${dataRoot}; this build needs about [\\d.]+ MB`, 'm'));
    expect(roomy.summary).not.toContain('**Disk:**');
    const took = Number(/::debug::Disk check took (\d+) ms/.exec(roomy.stdout)?.[1]);
    expect(took).toBeLessThan(1000);
  });
});

describe("a registry's per-layer limit before the push", () => {
  it('a layer over the limit fails that registry before anything is uploaded, naming its size and step; another registry still gets the push', async () => {
    const app = bigLayerApp(3_000_000);
    const repo = newRepo('limit');
    // The same registry under another host name: no limit is set for that one.
    const other = newRepo('limit-other');
    const otherHost = REGISTRY.replace(/^localhost/, '127.0.0.1');
    const run = await runAction({
      workspace: app.dir,
      event: pushEvent('refs/heads/main', app.sha),
      inputs: { image: `${REGISTRY}/${repo}, ${otherHost}/${other}`, ...credentials },
      env: { AUTOBUILD_LAYER_LIMITS: `${REGISTRY}=2MB` },
    });
    expect(run.code).toBe(1);
    const error = /^::error::(.*)$/m.exec(run.stdout)?.[1] ?? '';
    expect(error, shownLog(run)).toContain(`${REGISTRY}/${repo}: ${REGISTRY} takes layers of up to 2.00 MB (set by AUTOBUILD_LAYER_LIMITS), and layer `);
    expect(error).toMatch(/layer \d of \d is 3\.0\d MB compressed \(sha256:[0-9a-f]{12}\), made by the Dockerfile step `RUN head -c 3000000 \/dev\/urandom > \/data.bin`/);
    expect(error).toContain(`Nothing was pushed to ${REGISTRY}/${repo}. Split that step`);
    expect(await registryTags(repo)).toEqual([]);
    expect(run.stdout).not.toContain(`::debug::exec: docker push ${REGISTRY}/${repo}`);
    expect(run.stdout).toContain(`::debug::exec: docker push ${otherHost}/${other}`);
    expect(error).toContain('Pushing failed for one repository');
    expect(await registryTags(other)).toContain('latest');
  });

  it('under the limit: pushed, after a check that costs one engine question', async () => {
    const app = bigLayerApp(3_000_000);
    const repo = newRepo('limit-ok');
    const run = await runAction({
      workspace: app.dir,
      event: pushEvent('refs/heads/main', app.sha),
      inputs: { image: `${REGISTRY}/${repo}`, ...credentials },
      env: { AUTOBUILD_LAYER_LIMITS: `${REGISTRY}=10MB` },
    });
    expect(run.code, shownLog(run)).toBe(0);
    expect(run.stdout).toMatch(/Layer sizes: no platform image is over [\d.]+ MB as stored, within the 10.0 MB localhost:\d+ takes per layer/);
    expect(run.stdout).not.toMatch(/::debug::exec: docker save/);
    expect(await registryTags(repo)).toContain('latest');
  });

  it('an image over the limit whose layers are well under it before compression: the history answers', async () => {
    const app = bigLayerApp(3_000_000);
    const repo = newRepo('limit-history');
    const run = await runAction({
      workspace: app.dir,
      event: pushEvent('refs/heads/main', app.sha),
      inputs: { image: `${REGISTRY}/${repo}`, ...credentials },
      env: { AUTOBUILD_LAYER_LIMITS: `${REGISTRY}=3.5MB` },
    });
    expect(run.code, shownLog(run)).toBe(0);
    expect(run.stdout).toMatch(/Layer sizes: no layer is over 3\.0\d MB before compression, within the 3.50 MB localhost:\d+ takes per layer/);
    expect(run.stdout).not.toMatch(/::debug::exec: docker save/);
  });

  it('a limit between the layers: the image is read from the engine, and the layers under it pass', async () => {
    const app = bigLayerApp(3_000_000);
    const repo = newRepo('limit-read');
    const run = await runAction({
      workspace: app.dir,
      event: pushEvent('refs/heads/main', app.sha),
      inputs: { image: `${REGISTRY}/${repo}`, ...credentials },
      env: { AUTOBUILD_LAYER_LIMITS: `${REGISTRY}=3.1MB` },
    });
    expect(run.code, shownLog(run)).toBe(0);
    expect(run.stdout).toMatch(/::debug::exec: docker save/);
    const { layers } = await manifestBytes(repo, 'latest');
    expect(run.stdout).toContain(`Layer sizes: the largest layer is ${formatBytes(Math.max(...layers))} compressed, within the 3.10 MB`);
  });
});

describe("a registry's per-layer limit, two platforms", () => {
  it('every platform image is checked: the layer of each is named with its platform', async () => {
    const app = bigLayerApp(3_000_000);
    const repo = newRepo('limit-two');
    const run = await runAction({
      workspace: app.dir,
      event: pushEvent('refs/heads/main', app.sha),
      inputs: { image: `${REGISTRY}/${repo}`, ...credentials, platforms: 'linux/amd64,linux/arm64' },
      env: { AUTOBUILD_LAYER_LIMITS: `${REGISTRY}=2MB` },
    });
    expect(run.code).toBe(1);
    const error = /^::error::(.*)$/m.exec(run.stdout)?.[1] ?? '';
    for (const platform of ['linux/amd64', 'linux/arm64']) {
      expect(error, shownLog(run)).toMatch(new RegExp(`layer \\d of \\d \\(${platform}\\) is 3\\.0\\d MB compressed \\(sha256:[0-9a-f]{12}\\), made by the Dockerfile step \`RUN head -c 3000000`));
    }
    expect(await registryTags(repo)).toEqual([]);
  });
});

describe('on the classic image store (sizes before compression only)', () => {
  let classicHost = '';
  beforeAll(() => {
    classicHost = execFileSync('bash', [path.join(ROOT, 'scripts/test-world.sh'), 'classic'], { encoding: 'utf8' }).trim().split('\n').pop()!;
  });

  it('a layer over the limit before compression is a warning naming the step, and the push goes ahead', async () => {
    const app = bigLayerApp(3_000_000);
    const repo = newRepo('limit-classic');
    const run = await runAction({
      workspace: app.dir,
      event: pushEvent('refs/heads/main', app.sha),
      env: { DOCKER_HOST: classicHost, AUTOBUILD_LAYER_LIMITS: `${REGISTRY}=2MB` },
      inputs: { image: `${REGISTRY}/${repo}`, ...credentials },
    });
    expect(run.code, shownLog(run)).toBe(0);
    const warning = /^::warning title=Layer over .*'s limit before compression::(.*)$/m.exec(run.stdout)?.[1] ?? '';
    expect(warning, shownLog(run)).toMatch(/layer \d of \d is 3\.0\d MB before compression, made by the Dockerfile step `RUN head -c 3000000 \/dev\/urandom > \/data.bin`/);
    expect(warning).toContain('The classic image store compresses layers only as it pushes them');
    expect(await registryTags(repo)).toContain('latest');
  });
});
