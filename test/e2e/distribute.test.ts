/**
 * One image from a matrix of jobs (input distribute): two "runners", each its own engine with its
 * own data root (this generation's engine, and the classic-store engine of the same generation,
 * which builds arm64 under QEMU), meeting through the artifact service stand-in on 127.0.0.1 as
 * jobs of one run do. Each pushes its platform by digest only; the image gets its tags when every
 * platform has passed, and never otherwise.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCacheService, type CacheService } from './cache-service.js';
import { makeRepo, testRepositories } from './fixtures.js';
import { pushEvent, ROOT, runAction, shownLog, type ActionRun } from './runner.js';
import { BASE_IMAGE, REGISTRY, REGISTRY_PASSWORD, REGISTRY_USER, registryDigest, registryManifest, registryTags } from './world.js';

const newRepo = testRepositories();
const login = { username: REGISTRY_USER, password: REGISTRY_PASSWORD };
const PLATFORMS = 'linux/amd64,linux/arm64';
let service: CacheService;
/** The second runner's engine: the classic image store, with a data root of its own. */
let classicHost = '';

beforeAll(async () => {
  service = await startCacheService();
  classicHost = execFileSync('bash', [path.join(ROOT, 'scripts/test-world.sh'), 'classic'], { encoding: 'utf8' }).trim().split('\n').pop()!;
});
afterAll(() => service?.close());

const APP = {
  Dockerfile: `FROM ${BASE_IMAGE}\nRUN uname -m > /built-on\nCOPY app.sh /app.sh\n`,
  'app.sh': '#!/bin/sh\necho app\n',
};

/** One job of the matrix: its share of the platforms, on its own engine, as job `job` of the run. */
function job(app: ReturnType<typeof makeRepo>, image: string, platform: 'linux/amd64' | 'linux/arm64', testCommand: string, extra: Record<string, string> = {}): Promise<ActionRun> {
  const engine: Record<string, string> = platform === 'linux/arm64' ? { DOCKER_HOST: classicHost } : {};
  return runAction({
    workspace: app.dir,
    event: pushEvent('refs/heads/main', app.sha),
    inputs: { image, ...login, platforms: PLATFORMS, distribute: platform, 'test-command': testCommand, cache: 'off' },
    env: { ...engine, ...service.artifactEnv(`job-${platform.replace('/', '-')}`), GITHUB_RUN_ATTEMPT: '1', ...extra },
  });
}

function platformsOf(index: Record<string, any>): string[] {
  return (index.manifests as { platform: { os: string; architecture: string } }[]).map((m) => `${m.platform.os}/${m.platform.architecture}`);
}

/** Every manifest digest of the repository's tags, and that each tag names one. */
async function digestsOfTags(repo: string): Promise<Set<string>> {
  const digests = new Set<string>();
  for (const tag of await registryTags(repo)) digests.add((await registryDigest(repo, tag))!);
  return digests;
}

describe('distributed: one job a platform, merged by the last to finish', () => {
  it('merges two platforms: the first job pushes by digest and waits, the second tags one index of both', async () => {
    const app = makeRepo(APP);
    const repo = newRepo('dist-merge');
    const image = `${REGISTRY}/${repo}`;
    const first = await job(app, image, 'linux/amd64', 'test "$(uname -m)" = x86_64 && echo "amd64 ran on $(uname -m)"');
    expect(first.code, shownLog(first)).toBe(0);
    expect(first.stdout).toMatch(/Pushed localhost:\d+\/\S+@sha256:[a-f0-9]{64} \(linux\/amd64, by digest, no tag/);
    expect(first.stdout).toContain('linux/arm64 has not reported yet');
    // Nothing is tagged yet: the repository holds the amd64 manifest by digest only.
    expect(await registryTags(repo)).toEqual([]);
    expect(first.outputs.pushed).toBe('false');
    const amd64 = first.outputs.digest!;
    expect(await registryDigest(repo, amd64)).toBe(amd64);
    expect(first.summary).toContain('waiting for `linux/arm64`');

    const second = await job(app, image, 'linux/arm64', 'test "$(uname -m)" = aarch64 && echo "arm64 ran on $(uname -m), built on $(cat /built-on)"');
    expect(second.code, shownLog(second)).toBe(0);
    expect(second.stdout).toContain('arm64 ran on aarch64, built on aarch64');
    expect(second.outputs.pushed).toBe('true');
    const tags = await registryTags(repo);
    expect(tags).toEqual(expect.arrayContaining(['latest', 'main']));
    // Nothing but the image's own tags (no temporary names).
    expect(tags.every((t) => ['latest', 'main'].includes(t) || /^sha-[a-f0-9]{7}$/.test(t))).toBe(true);
    expect(await digestsOfTags(repo)).toEqual(new Set([second.outputs.digest]));
    const index = await registryManifest(repo, 'latest');
    expect(platformsOf(index)).toEqual(['linux/amd64', 'linux/arm64']);
    expect(index.manifests[0].digest).toBe(amd64);
    // The arm64 layers were built on the classic store, and compressed for the push.
    const arm = await registryManifest(repo, index.manifests[1].digest);
    expect(arm.layers.every((l: { mediaType: string }) => /gzip/.test(l.mediaType))).toBe(true);
    expect(second.summary).toContain('this job tagged the index');
    // Each job's reports are in the run's artifacts, one a platform.
    expect(service.artifacts.filter((a) => a.name.startsWith('autobuild-')).length).toBeGreaterThanOrEqual(2);
  });

  it('a platform that fails its test moves no tag, and the other job names it', async () => {
    const app = makeRepo(APP);
    const repo = newRepo('dist-fail');
    const image = `${REGISTRY}/${repo}`;
    const arm = await job(app, image, 'linux/arm64', 'test "$(uname -m)" = x86_64');
    expect(arm.code).toBe(1);
    expect(arm.stdout).toContain('linux/arm64 failed: no tag moves');
    const amd = await job(app, image, 'linux/amd64', 'true');
    expect(amd.code, shownLog(amd)).toBe(0);
    expect(amd.stdout).toMatch(/::warning title=Platforms failed::Not tagging default: linux\/arm64 failed in its job/);
    expect(amd.summary).toMatch(/Not tagged: `linux\/arm64` failed/);
    expect(amd.outputs.pushed).toBe('false');
    expect(await registryTags(repo)).toEqual([]);
  });

  it('two jobs finishing at once both tag, with one index: the same digest under every tag', async () => {
    const app = makeRepo(APP);
    const repo = newRepo('dist-race');
    const image = `${REGISTRY}/${repo}`;
    // Each job lists the reports only once both have written theirs: both find the set complete
    // and both put the index under the tags, at about the same moment.
    const before = service.artifacts.filter((a) => a.finalized).length;
    service.holdListings(before + 2);
    try {
      const [amd, arm] = await Promise.all([job(app, image, 'linux/amd64', 'true'), job(app, image, 'linux/arm64', 'true')]);
      expect(amd.code, shownLog(amd)).toBe(0);
      expect(arm.code, shownLog(arm)).toBe(0);
      expect([amd.outputs.pushed, arm.outputs.pushed]).toEqual(['true', 'true']);
      expect(amd.outputs.digest).toBe(arm.outputs.digest);
      expect(await digestsOfTags(repo)).toEqual(new Set([amd.outputs.digest]));
      expect(platformsOf(await registryManifest(repo, 'main'))).toEqual(['linux/amd64', 'linux/arm64']);
    } finally {
      service.holdListings(undefined);
    }
  });

  it('a layer over the registry\'s limit fails the share before any upload, and the others learn it', async () => {
    const app = makeRepo(APP);
    const repo = newRepo('dist-limit');
    const image = `${REGISTRY}/${repo}`;
    const arm = await job(app, image, 'linux/arm64', 'true', { AUTOBUILD_LAYER_LIMITS: `${REGISTRY}=200KB` });
    expect(arm.code).toBe(1);
    expect(arm.stdout).toMatch(/takes layers of up to 200(?:\.0)? kB \(set by AUTOBUILD_LAYER_LIMITS\), and layer 1 of \d+ \(linux\/arm64\) is [\d.]+ [kM]B compressed/);
    expect(arm.stdout).not.toMatch(/Pushed \S+ \(linux\/arm64, by digest/);
    expect(arm.stdout).toContain('linux/arm64 failed: no tag moves');
    const amd = await job(app, image, 'linux/amd64', 'true');
    expect(amd.code, shownLog(amd)).toBe(0);
    expect(amd.stdout).toContain('Not tagging default: linux/arm64 failed in its job');
    expect(await registryTags(repo)).toEqual([]);
  });

  it('a job that fails before its build (a refused login) still tells the others: no tag moves', async () => {
    const app = makeRepo(APP);
    const repo = newRepo('dist-early');
    const image = `${REGISTRY}/${repo}`;
    const arm = await runAction({
      workspace: app.dir,
      event: pushEvent('refs/heads/main', app.sha),
      inputs: { image, username: REGISTRY_USER, password: 'not-the-password', platforms: PLATFORMS, distribute: 'linux/arm64', cache: 'off' },
      env: { DOCKER_HOST: classicHost, ...service.artifactEnv('job-early-arm64'), GITHUB_RUN_ATTEMPT: '1' },
    });
    expect(arm.code).toBe(1);
    expect(arm.stdout).not.toContain('::group::build');
    expect(arm.stdout).toContain('linux/arm64 failed: no tag moves');
    const amd = await job(app, image, 'linux/amd64', 'true');
    expect(amd.code, shownLog(amd)).toBe(0);
    expect(amd.stdout).toMatch(/Not tagging default: linux\/arm64 failed in its job \(localhost:\d+ refused the credentials/);
    expect(await registryTags(repo)).toEqual([]);
  });

  it('from the CLI, two machines meet in a shared folder', () => {
    const app = makeRepo(APP);
    const repo = newRepo('dist-cli');
    const shared = fs.mkdtempSync(path.join(os.tmpdir(), 'autobuild-shared-'));
    const cli = (platform: string, host?: string) =>
      spawnSync(process.execPath, [path.join(ROOT, 'dist/cli.js'), '--image', `${REGISTRY}/${repo}`, '--username', REGISTRY_USER, '--platforms', PLATFORMS, '--distribute', platform, '--distribute-dir', shared, '--cache', 'off', '--test-command', 'true', app.dir], {
        encoding: 'utf8',
        env: { ...process.env, AUTOBUILD_PASSWORD: REGISTRY_PASSWORD, ...(host ? { DOCKER_HOST: host } : {}) },
      });
    const arm = cli('linux/arm64', classicHost);
    expect(arm.status, arm.stdout + arm.stderr).toBe(0);
    expect(arm.stdout).toContain('linux/amd64 has not reported yet');
    const amd = cli('linux/amd64');
    expect(amd.status, amd.stdout + amd.stderr).toBe(0);
    expect(amd.stdout).toMatch(/pushed: true/);
    expect(fs.readdirSync(shared).filter((n) => n.endsWith('.json'))).toHaveLength(2);
    fs.rmSync(shared, { recursive: true, force: true });
  });
});
