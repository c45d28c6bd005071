import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { makeRepo, testRepositories } from './fixtures.js';
import { pushEvent, ROOT, runAction } from './runner.js';
import { PYTHON_IMAGE, REGISTRY, REGISTRY_PASSWORD, REGISTRY_URL, REGISTRY_USER, registryDigest, registryManifest, registryTags } from './world.js';

// examples/ml-app, as a user copies it: a build stage that makes /venv, a runtime stage that
// copies it, a port, and a Docker Hub autotest that imports the app and asks it over the network,
// on a real Python base.

const newRepo = testRepositories();
const credentials = { username: REGISTRY_USER, password: REGISTRY_PASSWORD };
const auth = `Basic ${Buffer.from(`${REGISTRY_USER}:${REGISTRY_PASSWORD}`).toString('base64')}`;
const EXAMPLE = path.join(ROOT, 'examples/ml-app');

/** Every file of the example folder, by its path inside it. */
function exampleFiles(): Record<string, string> {
  const files: Record<string, string> = {};
  for (const name of fs.readdirSync(EXAMPLE, { recursive: true, encoding: 'utf8' })) {
    const file = path.join(EXAMPLE, name);
    if (fs.statSync(file).isFile()) files[name] = fs.readFileSync(file, 'utf8');
  }
  return files;
}

function group(log: string, title: string): string {
  const start = log.indexOf(`::group::${title}\n`);
  if (start < 0) return '';
  const end = log.indexOf('::endgroup::', start);
  return log.slice(start, end < 0 ? undefined : end);
}

/** The image config the registry holds for repo:tag. */
async function imageConfig(repo: string, tag: string): Promise<{ config: { ExposedPorts?: Record<string, object>; Env?: string[]; Cmd?: string[]; WorkingDir?: string } }> {
  const manifest = await registryManifest(repo, tag);
  const r = await fetch(`${REGISTRY_URL}/v2/${repo}/blobs/${manifest.config.digest}`, { headers: { authorization: auth } });
  if (!r.ok) throw new Error(`config of ${repo}:${tag}: HTTP ${r.status}`);
  return (await r.json()) as never;
}

describe('examples/ml-app', () => {
  it('builds the venv in one stage and copies it into the runtime image, passes its autotest inside the image and pushes it', async () => {
    const repo = newRepo('ml-app');
    const app = makeRepo(exampleFiles());
    const result = await runAction({
      workspace: app.dir,
      event: pushEvent('refs/heads/main', app.sha),
      inputs: { image: `${REGISTRY}/${repo}`, ...credentials, 'build-args': `BASE_IMAGE=${PYTHON_IMAGE}` },
    });
    expect(result.code, result.stdout).toBe(0);
    // The autotest ran sut in the image just built, beside web: the model loaded in the test's own
    // process, and web served the same prediction over the compose network.
    const autotest = group(result.stdout, 'autotest docker-compose.test.yml');
    expect(autotest).toContain('not rebuilt, not pulled');
    expect(autotest).toContain('ok: toy-logistic-v1 predicts 0.5498 for [1, 2], in-process and over HTTP');
    expect(autotest).toContain('sut exited with 0.');

    const short = `sha-${app.sha.slice(0, 7)}`;
    expect(await registryTags(repo)).toEqual(['latest', 'main', short].sort());
    const digest = result.outputs.digest!;
    for (const tag of ['latest', 'main', short]) expect(await registryDigest(repo, tag)).toBe(digest);
    // The pushed config: the port, the venv first on PATH, the app's command.
    const { config } = await imageConfig(repo, 'latest');
    expect(Object.keys(config.ExposedPorts ?? {})).toEqual(['8000/tcp']);
    expect(config.Env?.find((e) => e.startsWith('PATH='))).toMatch(/^PATH=\/venv\/bin:/);
    expect(config.Cmd).toEqual(['python3', 'app.py']);
    expect(config.WorkingDir).toBe('/app');

    // The runtime image (the one pushed) has the venv with the dependency, and not the build stage's sources.
    const image = `${REGISTRY}/${repo}:latest`;
    expect(execFileSync('docker', ['image', 'inspect', '--format', '{{.Id}}', image], { encoding: 'utf8' }).trim()).toBe(result.outputs.imageid);
    const seen = execFileSync(
      'docker',
      ['run', '--rm', image, 'sh', '-c', 'command -v python3; python3 -c "import tinymodel; print(tinymodel.__file__)"; test ! -e /deps && echo "no /deps"'],
      { encoding: 'utf8' },
    );
    expect(seen.split('\n')).toEqual(['/venv/bin/python3', expect.stringMatching(/^\/venv\/lib\/python3\.\d+\/site-packages\/tinymodel\/__init__\.py$/), 'no /deps', '']);
  });

  it('fails the autotest of a copy whose model file is missing, and pushes nothing', async () => {
    const repo = newRepo('ml-app-broken');
    const files = exampleFiles();
    delete files['app/model.json'];
    const app = makeRepo(files);
    const result = await runAction({
      workspace: app.dir,
      event: pushEvent('refs/heads/main', app.sha),
      inputs: { image: `${REGISTRY}/${repo}`, ...credentials, 'build-args': `BASE_IMAGE=${PYTHON_IMAGE}` },
    });
    expect(result.code).not.toBe(0);
    // It built (COPY app/ takes what is there); the app could not load its model.
    expect(result.stdout).toMatch(/Built sha256:[a-f0-9]{64}/);
    expect(group(result.stdout, 'autotest docker-compose.test.yml')).toContain("FileNotFoundError: [Errno 2] No such file or directory: '/app/model.json'");
    expect(result.stdout).toContain('----- web (exit 1) -----');
    expect(result.stdout).toContain('Nothing was pushed.');
    expect(result.stdout).not.toContain('::group::push');
    expect(result.outputs.pushed).toBe('false');
    expect(await registryTags(repo)).toEqual([]);
  });
});
