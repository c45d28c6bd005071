/**
 * rebuild: base-changed, Docker Hub's repository links: a scheduled run asks the registries first
 * and builds only when the commit or a base image moved since the image was pushed. The base
 * image is this test's own, pushed to the test registry with the docker CLI (and pushed anew to
 * move it); the app builds FROM it.
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeRepo, testRepositories } from './fixtures.js';
import { runAction, scheduleEvent, shownLog, type ActionRun } from './runner.js';
import { BASE_IMAGE, REGISTRY, REGISTRY_PASSWORD, REGISTRY_URL, REGISTRY_USER, registryDigest, registryManifest, registryTags } from './world.js';

const newRepo = testRepositories();
const credentials = { username: REGISTRY_USER, password: REGISTRY_PASSWORD };
/** The test registry under another name: the run has no credentials for it. */
const LOOPBACK = REGISTRY_URL.replace(/^http:\/\//, '');
const auth = `Basic ${Buffer.from(`${REGISTRY_USER}:${REGISTRY_PASSWORD}`).toString('base64')}`;

/** A docker CLI logged in to the test registry through a config of its own (the world's plugins linked in). */
let dockerConfig = '';
const docker = (...args: string[]): string => execFileSync('docker', args, { encoding: 'utf8', env: { ...process.env, DOCKER_CONFIG: dockerConfig }, stdio: ['pipe', 'pipe', 'pipe'] }).trim();
const temps: string[] = [];
beforeAll(() => {
  dockerConfig = fs.mkdtempSync(path.join(os.tmpdir(), 'autobuild-e2e-rebuild-config-'));
  temps.push(dockerConfig);
  const plugins = process.env.DOCKER_CONFIG && path.join(process.env.DOCKER_CONFIG, 'cli-plugins');
  if (plugins && fs.existsSync(plugins)) fs.symlinkSync(plugins, path.join(dockerConfig, 'cli-plugins'));
  for (const host of [REGISTRY, LOOPBACK]) {
    execFileSync('docker', ['login', host, '--username', REGISTRY_USER, '--password-stdin'], { input: REGISTRY_PASSWORD, env: { ...process.env, DOCKER_CONFIG: dockerConfig }, stdio: ['pipe', 'ignore', 'pipe'] });
  }
});
afterAll(() => {
  for (const dir of temps) fs.rmSync(dir, { recursive: true, force: true });
});

/** Builds an image from `dockerfile` (and files) with the docker CLI, pushes it under `refs`, and drops the local names (the engine keeps no copy of it by name). */
function pushImage(refs: string[], dockerfile: string, files: Record<string, string> = {}, labels: string[] = []): void {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'autobuild-e2e-rebuild-ctx-'));
  temps.push(dir);
  fs.writeFileSync(path.join(dir, 'Dockerfile'), dockerfile);
  for (const [name, content] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), content, { mode: 0o755 });
  docker('build', '--quiet', ...refs.flatMap((r) => ['--tag', r]), ...labels.flatMap((l) => ['--label', l]), dir);
  for (const ref of refs) docker('push', '--quiet', ref);
  docker('image', 'rm', ...refs);
}

const digestOf = registryDigest;

/** The labels of the image config repo:tag names (an index: its first platform's). */
async function labelsOf(repo: string, tag: string): Promise<Record<string, string>> {
  let manifest = await registryManifest(repo, tag);
  if (manifest.manifests) manifest = await registryManifest(repo, manifest.manifests.find((m: any) => m.platform?.os !== 'unknown').digest);
  const r = await fetch(`${REGISTRY_URL}/v2/${repo}/blobs/${manifest.config.digest}`, { headers: { authorization: auth } });
  return ((await r.json()) as { config: { Labels?: Record<string, string> } }).config.Labels ?? {};
}

const execs = (run: ActionRun): string[] => run.stdout.split('\n').filter((l) => /^::debug::exec: docker /.test(l));
const builds = (run: ActionRun): string[] => execs(run).filter((l) => /docker (buildx )?build /.test(l));

describe('rebuild: base-changed on a schedule', () => {
  it('builds the default branch tags, then nothing while the base stays, then rebuilds latest and main once the base is pushed anew', async () => {
    const baseRepo = newRepo('rebuild-base');
    const base = `${REGISTRY}/${baseRepo}:1`;
    pushImage([base], `FROM ${BASE_IMAGE}\nCOPY base-version /base-version\n`, { 'base-version': '1\n' });
    const d1 = (await digestOf(baseRepo, '1'))!;
    expect(d1).toMatch(/^sha256:/);

    const app = makeRepo({ Dockerfile: `FROM ${base}\nCOPY app.sh /app.sh\n`, 'app.sh': '#!/bin/sh\necho app\n' });
    const repo = newRepo('rebuild-app');
    const image = `${REGISTRY}/${repo}`;
    const sha7 = app.sha.slice(0, 7);
    const run = (version: string): Promise<ActionRun> =>
      runAction({
        workspace: app.dir,
        event: scheduleEvent(app.sha),
        inputs: { image, ...credentials, rebuild: 'base-changed', 'test-command': `test "$(cat /base-version)" = ${version}` },
      });

    // Run 1: nothing pushed yet: built and pushed under the default branch's tags, the base recorded.
    const first = await run('1');
    expect(first.code, shownLog(first)).toBe(0);
    expect(first.stdout).toContain(`rebuild: base-changed: ${image}:latest does not exist yet: building.`);
    expect(first.stdout).toContain(`Base images recorded in the image: ${base}@${d1}.`);
    expect(await registryTags(repo)).toEqual(['latest', 'main', `sha-${sha7}`]);
    expect(first.outputs.pushed).toBe('true');
    const pushed1 = (await digestOf(repo, 'latest'))!;
    expect(await digestOf(repo, 'main')).toBe(pushed1);
    expect(await labelsOf(repo, 'latest')).toMatchObject({
      'org.opencontainers.image.revision': app.sha,
      'org.opencontainers.image.base.name': base,
      'org.opencontainers.image.base.digest': d1,
    });

    // Run 2: nothing moved: no docker command at all, nothing pushed, one line naming the base and its digest.
    const second = await run('1');
    expect(second.code, shownLog(second)).toBe(0);
    const line = `${image}:latest is up to date: commit ${sha7}, base ${base} is still ${d1}`;
    expect(second.stdout).toContain(`::notice::autobuild: nothing to build: ${line}`);
    expect(second.stdout).not.toContain('::group::build');
    expect(execs(second)).toEqual([]);
    expect(second.outputs.pushed).toBe('false');
    expect(second.summary).toContain('## autobuild: skipped');
    expect(second.summary).toContain(`Nothing to build: nothing moved since the last push (rebuild: base-changed): ${line}.`);
    expect(second.summary).toContain('**Push:** no:');
    expect(JSON.parse(second.outputs.metadata!).rebuild).toMatchObject({ mode: 'base-changed', rebuild: false, builds: [{ bases: [{ name: base, digest: d1 }] }] });
    expect(await digestOf(repo, 'latest')).toBe(pushed1);

    // The base is pushed anew (another file): the next scheduled run rebuilds latest and main on it,
    // also where the engine still holds the old base under its name (a runner that keeps images).
    docker('pull', '--quiet', base);
    docker('tag', base, `${base}-old`);
    pushImage([base], `FROM ${BASE_IMAGE}\nCOPY base-version /base-version\n`, { 'base-version': '2\n' });
    docker('tag', `${base}-old`, base);
    docker('image', 'rm', `${base}-old`);
    const d2 = (await digestOf(baseRepo, '1'))!;
    expect(d2).not.toBe(d1);
    const third = await run('2');
    expect(third.code, shownLog(third)).toBe(0);
    expect(third.stdout).toContain(`rebuild: base-changed: base ${base} moved from ${d1} to ${d2}: rebuilding.`);
    expect(third.summary).toContain(`**Rebuild** (base-changed): base ${base} moved from ${d1} to ${d2}: rebuilding.`);
    expect(builds(third)).toHaveLength(1);
    expect(builds(third)[0]).toContain(' --pull ');
    const pushed3 = (await digestOf(repo, 'latest'))!;
    expect(pushed3).not.toBe(pushed1);
    expect(await digestOf(repo, 'main')).toBe(pushed3);
    expect(await registryTags(repo)).toEqual(['latest', 'main', `sha-${sha7}`]);
    expect(await labelsOf(repo, 'main')).toMatchObject({ 'org.opencontainers.image.base.digest': d2 });

    // And again nothing moved.
    const fourth = await run('2');
    expect(fourth.code, shownLog(fourth)).toBe(0);
    expect(fourth.stdout).toContain(`base ${base} is still ${d2}`);
    expect(builds(fourth)).toEqual([]);
  });

  it('an image pushed without the base labels is rebuilt, with a note', async () => {
    const app = makeRepo({ Dockerfile: `FROM ${BASE_IMAGE}\nCOPY app.sh /app.sh\n`, 'app.sh': '#!/bin/sh\necho app\n' });
    const repo = newRepo('rebuild-unlabelled');
    const image = `${REGISTRY}/${repo}`;
    const sha7 = app.sha.slice(0, 7);
    // Pushed by another tool, from this very commit, without base labels.
    pushImage(
      ['latest', 'main', `sha-${sha7}`].map((t) => `${image}:${t}`),
      `FROM ${BASE_IMAGE}\nCOPY app.sh /app.sh\n`,
      { 'app.sh': '#!/bin/sh\necho app\n' },
      [`org.opencontainers.image.revision=${app.sha}`],
    );
    const before = await digestOf(repo, 'latest');
    const run = await runAction({ workspace: app.dir, event: scheduleEvent(app.sha), inputs: { image, ...credentials, rebuild: 'base-changed', 'test-command': 'true' } });
    expect(run.code, shownLog(run)).toBe(0);
    expect(run.stdout).toContain(`::notice::rebuild: base-changed: ${image}:latest records no digest for ${BASE_IMAGE} (it was pushed without the labels org.opencontainers.image.base.name/org.opencontainers.image.base.digest`);
    expect(builds(run)).toHaveLength(1);
    expect(run.outputs.pushed).toBe('true');
    expect(await digestOf(repo, 'latest')).not.toBe(before);
    expect(await labelsOf(repo, 'latest')).toMatchObject({ 'org.opencontainers.image.base.name': BASE_IMAGE, 'org.opencontainers.image.base.digest': await digestOf('autobuild-test/busybox', 'latest') });
  });

  it('a base the registry client cannot read is a warning and a rebuild, run after run', async () => {
    // The base is on the test registry under another name, for which the run has no credentials
    // (the engine pulls it with a login the runner user's docker config holds, as after a login step).
    const baseRepo = newRepo('rebuild-private-base');
    const base = `${LOOPBACK}/${baseRepo}:1`;
    pushImage([base], `FROM ${BASE_IMAGE}\nCOPY base-version /base-version\n`, { 'base-version': '1\n' });
    const app = makeRepo({ Dockerfile: `FROM ${base}\nCOPY app.sh /app.sh\n`, 'app.sh': '#!/bin/sh\necho app\n' });
    const repo = newRepo('rebuild-unreadable');
    const image = `${REGISTRY}/${repo}`;
    const userDockerConfig = JSON.stringify({ auths: { [LOOPBACK]: { auth: Buffer.from(`${REGISTRY_USER}:${REGISTRY_PASSWORD}`).toString('base64') } } });
    const run = (): Promise<ActionRun> =>
      runAction({ workspace: app.dir, event: scheduleEvent(app.sha), userDockerConfig, inputs: { image, ...credentials, rebuild: 'base-changed', 'test-command': 'test -f /base-version' } });
    const first = await run();
    expect(first.code, shownLog(first)).toBe(0);
    expect(first.stdout).toContain(`Base image ${base} not recorded in the image: ${LOOPBACK} needs credentials`);
    const pushed1 = await digestOf(repo, 'latest');
    expect(pushed1).toBeTruthy();
    expect(await labelsOf(repo, 'latest')).not.toHaveProperty('org.opencontainers.image.base.digest');

    const second = await run();
    expect(second.code, shownLog(second)).toBe(0);
    expect(second.stdout).toMatch(new RegExp(`^::warning::rebuild: base-changed: could not read the digest of ${base.replace(/[.]/g, '\\.')} \\(${LOOPBACK.replace(/[.]/g, '\\.')} needs credentials[^\n]*: rebuilding\\.$`, 'm'));
    expect(builds(second)).toHaveLength(1);
    expect(second.outputs.pushed).toBe('true');
  });
});
