import { execFileSync } from 'node:child_process';
import * as path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { APP_FILES, makeRepo, testRepositories } from './fixtures.js';
import { pushEvent, ROOT, runAction, shownLog } from './runner.js';
import { REGISTRY, REGISTRY_PASSWORD, REGISTRY_USER, registryManifest, registryTags } from './world.js';

const newRepo = testRepositories();
const credentials = { username: REGISTRY_USER, password: REGISTRY_PASSWORD };
let classicHost = '';

beforeAll(() => {
  classicHost = execFileSync('bash', [path.join(ROOT, 'scripts/test-world.sh'), 'classic'], { encoding: 'utf8' }).trim().split('\n').pop()!;
});

describe('compression', () => {
  it('zstd: every layer of the pushed image is zstd with OCI media types, and the test ran on that image', async () => {
    const app = makeRepo(APP_FILES);
    const repo = newRepo('zstd');
    const run = await runAction({
      workspace: app.dir,
      event: pushEvent('refs/heads/main', app.sha),
      inputs: { image: `${REGISTRY}/${repo}`, ...credentials, compression: 'zstd:12', 'test-command': 'test "$(/app.sh)" = "hello from app"' },
    });
    expect(run.code, shownLog(run)).toBe(0);
    expect(run.stdout).toContain('compression=zstd,compression-level=12,force-compression=true,oci-mediatypes=true');
    const manifest = await registryManifest(repo, 'latest');
    expect(manifest.mediaType).toBe('application/vnd.oci.image.manifest.v1+json');
    const types = (manifest.layers as { mediaType: string }[]).map((l) => l.mediaType);
    expect(types.length).toBeGreaterThan(1);
    expect(new Set(types)).toEqual(new Set(['application/vnd.oci.image.layer.v1.tar+zstd']));
  });

  it('on the classic image store: refused before any login or build, naming the fix', async () => {
    const app = makeRepo(APP_FILES);
    const repo = newRepo('zstd-classic');
    const run = await runAction({
      workspace: app.dir,
      event: pushEvent('refs/heads/main', app.sha),
      env: { DOCKER_HOST: classicHost },
      inputs: { image: `${REGISTRY}/${repo}`, ...credentials, compression: 'zstd' },
    });
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/::error::Input 'compression': zstd needs the containerd image store, .*"containerd-snapshotter": true/);
    expect(run.stdout).not.toMatch(/::debug::exec: docker (login|buildx build)/);
    expect(await registryTags(repo)).toEqual([]);
  });
});
