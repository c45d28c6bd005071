import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { makeRepo, testRepositories } from './fixtures.js';
import { FAKE_TOKEN, pushEvent, runAction, shownLog } from './runner.js';
import { REGISTRY, REGISTRY_PASSWORD, REGISTRY_USER, registryDigest, registryManifest, registryTags } from './world.js';

const newRepo = testRepositories();

function credentials(): Record<string, string> {
  return { username: REGISTRY_USER, password: REGISTRY_PASSWORD };
}

describe('build, test inside the image, push', () => {
  it('pushes latest, the branch and sha-<7> for a push to the default branch, with the digest the registry holds', async () => {
    const app = makeRepo();
    const repo = newRepo('main');
    const run = await runAction({
      workspace: app.dir,
      event: pushEvent('refs/heads/main', app.sha),
      inputs: { image: `${REGISTRY}/${repo}`, ...credentials(), 'test-command': 'test "$(/app.sh)" = "hello from app" && echo TEST-RAN-OK' },
    });
    expect(run.code, run.stdout + run.stderr).toBe(0);
    expect(run.stdout).toContain('TEST-RAN-OK');
    const short = app.sha.slice(0, 7);
    expect(await registryTags(repo)).toEqual(['latest', 'main', `sha-${short}`].sort());
    expect(run.outputs.pushed).toBe('true');
    expect(run.outputs.tags!.split('\n').sort()).toEqual(
      [`${REGISTRY}/${repo}:latest`, `${REGISTRY}/${repo}:main`, `${REGISTRY}/${repo}:sha-${short}`].sort(),
    );
    expect(run.outputs.digest).toMatch(/^sha256:[a-f0-9]{64}$/);
    for (const tag of ['latest', 'main', `sha-${short}`]) expect(await registryDigest(repo, tag)).toBe(run.outputs.digest);
    // A single-platform image stays a plain image manifest (no provenance index with an unknown/unknown entry).
    const manifest = await registryManifest(repo, 'latest');
    expect(manifest.mediaType).toMatch(/^application\/vnd\.(oci\.image\.manifest\.v1|docker\.distribution\.manifest\.v2)\+json$/);
    expect(manifest.manifests).toBeUndefined();
    expect(run.outputs.imageid).toMatch(/^sha256:/);
    const metadata = JSON.parse(run.outputs.metadata!) as { builds: { tests: { passed: boolean }[] }[] };
    expect(metadata.builds[0]!.tests[0]!.passed).toBe(true);

    // The plan is the first log group, before any work.
    expect(run.stdout.indexOf('::group::Plan')).toBeGreaterThanOrEqual(0);
    expect(run.stdout.indexOf('::group::Plan')).toBeLessThan(run.stdout.indexOf('::group::build'));
    // The runner's own docker config is untouched, and the post step removed ours.
    expect(fs.readFileSync(path.join(run.home, '.docker', 'config.json'), 'utf8')).toBe('{"auths":{}}\n');
    expect(run.post.code).toBe(0);
    expect(run.state['docker-config']).toBeTruthy();
    expect(fs.existsSync(run.state['docker-config']!)).toBe(false);
    // No secret in any log.
    for (const text of [shownLog(run), shownLog(run.post), JSON.stringify(run.outputs), JSON.stringify(run.state), run.summary]) {
      expect(text).not.toContain(REGISTRY_PASSWORD);
      expect(text).not.toContain(FAKE_TOKEN);
    }
    expect(run.summary).toContain('autobuild: pushed');
  });

  it('pushes the branch name and sha for another branch, never latest', async () => {
    const app = makeRepo(undefined, 'feature/Login');
    const repo = newRepo('branch');
    const run = await runAction({
      workspace: app.dir,
      event: pushEvent('refs/heads/feature/Login', app.sha),
      inputs: { image: `${REGISTRY}/${repo}`, ...credentials() },
    });
    expect(run.code, run.stdout).toBe(0);
    expect(await registryTags(repo)).toEqual(['feature-login', `sha-${app.sha.slice(0, 7)}`]);
  });

  it('fails when the test fails, shows its output, and pushes nothing', async () => {
    const app = makeRepo();
    const repo = newRepo('failing');
    const run = await runAction({
      workspace: app.dir,
      event: pushEvent('refs/heads/main', app.sha),
      inputs: { image: `${REGISTRY}/${repo}`, ...credentials(), 'test-command': 'echo "assertion went wrong" >&2; exit 3' },
    });
    expect(run.code).not.toBe(0);
    expect(run.stdout + run.stderr).toContain('assertion went wrong');
    expect(run.stdout).toMatch(/::error::The test command failed \(exit 3\)/);
    expect(await registryTags(repo)).toEqual([]);
    expect(run.outputs.pushed).toBe('false');
    expect(run.outputs.imageid).toMatch(/^sha256:/);
    expect(run.post.code).toBe(0);
  });
});

describe('clear errors, nothing pushed', () => {
  it('names the Dockerfile path it tried', async () => {
    const app = makeRepo({ 'README.md': 'no Dockerfile here\n' });
    const repo = newRepo('nofile');
    const run = await runAction({ workspace: app.dir, event: pushEvent('refs/heads/main', app.sha), inputs: { image: `${REGISTRY}/${repo}`, ...credentials() } });
    expect(run.code).not.toBe(0);
    expect(run.stdout).toContain(`No Dockerfile at '${path.join(app.dir, 'Dockerfile')}'`);
    expect(run.stdout).not.toContain('::group::build');
    expect(run.stdout).not.toContain('Logged in');
    expect(await registryTags(repo)).toEqual([]);
  });

  it.each([
    ['', "Input 'image' is required"],
    ['acme/app:1.0', "Input 'image' has an invalid value 'acme/app:1.0': it contains a tag"],
    ['acme/Bad Name', "Input 'image' has an invalid value 'acme/Bad Name': it contains white space"],
    ['localhost:5000/acme/-app', "is not a valid path component"],
  ])('explains what a valid image looks like for %j', async (image, message) => {
    const app = makeRepo();
    const run = await runAction({ workspace: app.dir, event: pushEvent('refs/heads/main', app.sha), inputs: { image } });
    expect(run.code).not.toBe(0);
    expect(run.stdout).toContain(message);
    if (image) expect(run.stdout).toContain('acme/app (Docker Hub), ghcr.io/acme/app or localhost:5000/acme/app');
    expect(run.stdout).not.toContain('::group::build');
  });

  it('says which registry refused the credentials', async () => {
    const app = makeRepo();
    const repo = newRepo('badcreds');
    const run = await runAction({
      workspace: app.dir,
      event: pushEvent('refs/heads/main', app.sha),
      inputs: { image: `${REGISTRY}/${repo}`, username: REGISTRY_USER, password: 'wrong-password-123' },
    });
    expect(run.code).not.toBe(0);
    expect(run.stdout).toContain(`::error::${REGISTRY} refused the credentials for user '${REGISTRY_USER}'`);
    expect(run.stdout).toContain('::add-mask::wrong-password-123');
    expect(shownLog(run)).not.toContain('wrong-password-123');
    expect(run.stdout).not.toContain('::group::build');
    expect(await registryTags(repo)).toEqual([]);
  });

  it('says in one line that the engine is not reachable', async () => {
    const app = makeRepo();
    const run = await runAction({
      workspace: app.dir,
      event: pushEvent('refs/heads/main', app.sha),
      inputs: { image: `${REGISTRY}/${newRepo('noengine')}`, ...credentials() },
      env: { DOCKER_HOST: 'unix:///nonexistent/docker.sock' },
    });
    expect(run.code).not.toBe(0);
    const error = run.stdout.split('\n').find((l) => l.startsWith('::error::'));
    expect(error).toMatch(/^::error::The Docker engine at DOCKER_HOST=unix:\/\/\/nonexistent\/docker.sock is not reachable: /);
    expect(run.stdout).not.toMatch(/at .*\.js:\d+/);
  });
});

describe('the image is the one tested', () => {
  it('pushes the image whose id the test ran against', async () => {
    const app = makeRepo();
    const repo = newRepo('same');
    const run = await runAction({
      workspace: app.dir,
      event: pushEvent('refs/heads/main', app.sha),
      inputs: { image: `${REGISTRY}/${repo}`, ...credentials(), 'test-command': 'true' },
    });
    expect(run.code, run.stdout).toBe(0);
    const localId = execFileSync('docker', ['image', 'inspect', '--format', '{{.Id}}', `${REGISTRY}/${repo}:latest`], { encoding: 'utf8' }).trim();
    expect(localId).toBe(run.outputs.imageid);
  });
});
