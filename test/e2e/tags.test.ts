/**
 * Tags against the real registry: a release fans out to 1.2.3, 1.2, 1 and latest on one digest,
 * and a release after a newer one moves only the tags that do not go backwards.
 */
import { describe, expect, it } from 'vitest';
import { RegistryClient } from '../../src/engine/registry.js';
import { makeRepo, testRepositories } from './fixtures.js';
import { pushEvent, runAction, type ActionRun } from './runner.js';
import { REGISTRY, REGISTRY_PASSWORD, REGISTRY_USER, registryDigest, registryManifest, registryTags } from './world.js';

const newRepo = testRepositories();

const credentials = { username: REGISTRY_USER, password: REGISTRY_PASSWORD };

async function digests(repo: string): Promise<Record<string, string | undefined>> {
  const out: Record<string, string | undefined> = {};
  for (const tag of await registryTags(repo)) out[tag] = await registryDigest(repo, tag);
  return out;
}

function ok(run: ActionRun): void {
  expect(run.code, `${run.stdout}\n${run.stderr}`).toBe(0);
}

describe('tags in the registry', () => {
  it('a tag push of v1.2.3 gives 1.2.3, 1.2, 1, latest and sha-<7>, all one digest', async () => {
    const app = makeRepo();
    const repo = newRepo('semver');
    const run = await runAction({
      workspace: app.dir,
      event: pushEvent('refs/tags/v1.2.3', app.sha),
      inputs: { image: `${REGISTRY}/${repo}`, ...credentials },
    });
    ok(run);
    const short = app.sha.slice(0, 7);
    const all = await digests(repo);
    expect(Object.keys(all).sort()).toEqual(['1', '1.2', '1.2.3', 'latest', `sha-${short}`]);
    expect(new Set(Object.values(all))).toEqual(new Set([run.outputs.digest]));
    expect(run.outputs.version).toBe('1.2.3');
    expect(run.outputs.labels).toContain('org.opencontainers.image.version=1.2.3');
    expect(run.outputs.labels).toContain(`org.opencontainers.image.revision=${app.sha}`);
    expect(run.outputs.labels).toContain('org.opencontainers.image.created=2026-01-02T03:04:05.000Z');
    // The OCI keys are also annotations of the pushed manifest (containerd image store: the
    // manifest BuildKit wrote is the one pushed), and its digest is still the reported one.
    const manifest = await registryManifest(repo, '1.2.3');
    expect(manifest.annotations).toMatchObject({
      'org.opencontainers.image.revision': app.sha,
      'org.opencontainers.image.version': '1.2.3',
      'org.opencontainers.image.created': '2026-01-02T03:04:05.000Z',
    });
    // The plan, first in the log, says where each tag comes from and that moving tags are checked.
    const plan = run.stdout.slice(run.stdout.indexOf('::group::Plan'), run.stdout.indexOf('::endgroup::'));
    expect(plan).toMatch(/tag latest +<- default: newest release \(follows the newest release: pushed only if the registry holds nothing newer\)/);
    expect(plan).toMatch(/tag 1\.2 +<- default: release, major\.minor/);
    // The first release finds no release in the repository (it may already hold the build cache).
    expect(run.stdout).toMatch(new RegExp(`${REGISTRY}/${repo} (does not exist yet: no release is newer than 1\\.2\\.3|holds \\d+ tag\\(s\\), no release)\\.`));
  });

  it('a release after a newer one: the version and its own line move, latest and 1 stay', async () => {
    const app = makeRepo();
    const repo = newRepo('backport');
    const image = `${REGISTRY}/${repo}`;
    const release = async (gitTag: string, content: string, more: Record<string, string> = {}): Promise<ActionRun> => {
      const sha = app.commit({ 'app.sh': `#!/bin/sh\necho "${content}"\n` }, `release ${gitTag}`);
      const run = await runAction({ workspace: app.dir, event: pushEvent(`refs/tags/${gitTag}`, sha), inputs: { image, ...credentials, ...more } });
      ok(run);
      return run;
    };

    const v200 = await release('v2.0.0', 'two');
    const v150 = await release('v1.5.0', 'one-five');
    let d = await digests(repo);
    expect(d.latest).toBe(v200.outputs.digest);
    expect(d['2']).toBe(v200.outputs.digest);
    expect(d['1']).toBe(v150.outputs.digest);
    expect(d['1.5']).toBe(v150.outputs.digest);
    expect(v150.stdout).toContain(`\nNot moving 'latest' to 1.5.0: 2.0.0 is a newer release than 1.5.0`);

    const v149 = await release('v1.4.9', 'one-four-nine');
    d = await digests(repo);
    expect(d['1.4.9']).toBe(v149.outputs.digest);
    expect(d['1.4']).toBe(v149.outputs.digest);
    expect(d[`sha-${app.sha.slice(0, 7)}`]).toBe(v149.outputs.digest);
    expect(d['1']).toBe(v150.outputs.digest);
    expect(d.latest).toBe(v200.outputs.digest);
    expect(d['2.0.0']).toBe(v200.outputs.digest);

    // Said in the log, the job summary, the outputs and the metadata.
    expect(v149.stdout).toContain(`\nNot moving '1' to 1.4.9: 1.5.0 is a newer 1.x release than 1.4.9.`);
    expect(v149.stdout).toContain(`\nNot moving 'latest' to 1.4.9: 2.0.0 is a newer release than 1.4.9`);
    // One annotation per tag held back, raised with the report.
    const held = v149.stdout.split('\n').filter((l) => /^::(notice|warning|error)\b.*Tag held back/.test(l) || /^::(notice|warning)::Not moving/.test(l));
    expect(held.map((l) => l.slice(0, l.indexOf('::', 2) + 2)).sort()).toEqual(['::warning title=Tag held back%3A 1::', '::warning title=Tag held back%3A latest::']);
    expect(v149.summary).toMatch(/\| `latest` \| default: newest release \| held back: 2\.0\.0 is a newer release than 1\.4\.9/);
    expect(v149.summary).toMatch(/\| `1` \| default: release, major \| held back: 1\.5\.0 is a newer 1\.x release than 1\.4\.9 \|/);
    expect(v149.outputs.tags!.split('\n').sort()).toEqual([`${image}:1.4`, `${image}:1.4.9`, `${image}:sha-${app.sha.slice(0, 7)}`]);
    const metadata = JSON.parse(v149.outputs.metadata!) as { builds: { tags: { tag: string; held?: string }[] }[] };
    expect(metadata.builds[0]!.tags.filter((t) => t.held).map((t) => t.tag).sort()).toEqual(['1', 'latest']);

    // flavor latest=true forces latest; the major line is still guarded.
    const v148 = await release('v1.4.8', 'forced', { flavor: 'latest=true' });
    d = await digests(repo);
    expect(d.latest).toBe(v148.outputs.digest);
    expect(d['1']).toBe(v150.outputs.digest);
    expect(d['1.4']).toBe(v149.outputs.digest);
  });

  it('the registry client lists the real registry with the run credentials', async () => {
    const app = makeRepo();
    const repo = newRepo('client');
    ok(await runAction({ workspace: app.dir, event: pushEvent('refs/heads/main', app.sha), inputs: { image: `${REGISTRY}/${repo}`, ...credentials } }));
    const client = new RegistryClient({ registry: REGISTRY, credentials: { username: REGISTRY_USER, password: REGISTRY_PASSWORD } });
    expect((await client.listTags(repo))!.filter((t) => !t.startsWith('buildcache-')).sort()).toEqual(['latest', 'main', `sha-${app.sha.slice(0, 7)}`]);
    expect(await client.manifestDigest(repo, 'latest')).toBe(await registryDigest(repo, 'latest'));
    expect(await client.listTags(`${repo}-never-pushed`)).toBeUndefined();
    const wrong = new RegistryClient({ registry: REGISTRY, credentials: { username: REGISTRY_USER, password: 'not-the-password' } });
    await expect(wrong.listTags(repo)).rejects.toMatchObject({ status: 401 });
  });
});
