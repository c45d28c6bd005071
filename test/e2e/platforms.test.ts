import { describe, expect, it } from 'vitest';
import { makeRepo, testRepositories } from './fixtures.js';
import { pushEvent, runAction } from './runner.js';
import { BASE_IMAGE, REGISTRY, REGISTRY_PASSWORD, REGISTRY_USER, registryDigest, registryManifest, registryTags } from './world.js';

// The machine is amd64; its arm64 image runs under QEMU (the test world registers the handler).
const newRepo = testRepositories();
const credentials = { username: REGISTRY_USER, password: REGISTRY_PASSWORD };

/** An app whose build runs a step on each platform and records the machine it ran on. */
const PLATFORM_APP = {
  Dockerfile: `FROM ${BASE_IMAGE}\nRUN uname -m > /built-on\nCOPY app.sh /app.sh\n`,
  'app.sh': '#!/bin/sh\necho app\n',
};

function platformsOf(index: Record<string, any>): string[] {
  return (index.manifests as { platform?: { os: string; architecture: string } }[])
    .filter((m) => m.platform && m.platform.os !== 'unknown')
    .map((m) => `${m.platform!.os}/${m.platform!.architecture}`)
    .sort();
}

describe('multi-platform images, tested on every platform', () => {
  it('builds both platforms, runs the test inside each image, pushes one index under every tag', async () => {
    const app = makeRepo(PLATFORM_APP);
    const repo = newRepo('multi');
    const run = await runAction({
      workspace: app.dir,
      event: pushEvent('refs/heads/main', app.sha),
      inputs: { image: `${REGISTRY}/${repo}`, ...credentials, platforms: 'linux/amd64,linux/arm64', 'test-command': 'echo "ran on $(uname -m), built on $(cat /built-on)"' },
    });
    expect(run.code, run.stdout).toBe(0);
    expect(run.stdout).toContain('::group::test-command (linux/amd64)');
    expect(run.stdout).toContain('::group::test-command (linux/arm64)');
    expect(run.stdout).toContain('ran on x86_64, built on x86_64');
    expect(run.stdout).toContain('ran on aarch64, built on aarch64');
    const tags = await registryTags(repo);
    expect(tags).toEqual(expect.arrayContaining(['latest', 'main']));
    for (const tag of tags) {
      const index = await registryManifest(repo, tag);
      expect(index.mediaType ?? index.schemaVersion).toMatch(/index|manifest\.list|^2$/);
      expect(platformsOf(index)).toEqual(['linux/amd64', 'linux/arm64']);
      expect(await registryDigest(repo, tag)).toBe(run.outputs.digest);
    }
    const metadata = JSON.parse(run.outputs.metadata!) as { builds: { tests: { name: string; platform?: string; passed: boolean }[] }[] };
    expect(metadata.builds[0]!.tests.map((t) => [t.platform, t.passed])).toEqual([
      ['linux/amd64', true],
      ['linux/arm64', true],
    ]);
    expect(run.summary).toContain('test-command (linux/arm64)');
  });

  it('a test that fails on arm64 only pushes nothing, and says which platform failed', async () => {
    const app = makeRepo(PLATFORM_APP);
    const repo = newRepo('multi-fail');
    const run = await runAction({
      workspace: app.dir,
      event: pushEvent('refs/heads/main', app.sha),
      inputs: { image: `${REGISTRY}/${repo}`, ...credentials, platforms: 'linux/amd64,linux/arm64', 'test-command': 'test "$(uname -m)" = x86_64' },
    });
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/::error::The test command failed \(exit 1\) inside .* for linux\/arm64; nothing was pushed\./);
    expect(await registryTags(repo)).toEqual([]);
    expect(run.outputs.pushed).toBe('false');
  });

  it('one platform that is not the engine\'s own: its files are that platform\'s, also with the base stored locally for the native one', async () => {
    const app = makeRepo(PLATFORM_APP);
    const repo = newRepo('one-arm64');
    const run = await runAction({
      workspace: app.dir,
      event: pushEvent('refs/heads/main', app.sha),
      inputs: { image: `${REGISTRY}/${repo}`, ...credentials, platforms: 'linux/arm64', 'test-command': 'test "$(cat /built-on)" = aarch64 && test "$(uname -m)" = aarch64' },
    });
    expect(run.code, run.stdout).toBe(0);
    expect(await registryTags(repo)).toEqual(expect.arrayContaining(['latest', 'main']));
  });

  it('a platform with no emulator fails before the build, naming it and the fixes', async () => {
    const app = makeRepo(PLATFORM_APP);
    const run = await runAction({
      workspace: app.dir,
      event: pushEvent('refs/heads/main', app.sha),
      inputs: { image: `${REGISTRY}/${newRepo('multi-missing')}`, platforms: 'linux/amd64,linux/mips64le' },
    });
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/::error::Input 'platforms': the builder \S+ cannot build or run linux\/mips64le \(it lists linux\/amd64/);
    expect(run.stdout).toContain('docker/setup-qemu-action');
    expect(run.stdout).not.toContain('::group::build');
  });
});
