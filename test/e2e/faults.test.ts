import { execFileSync } from 'node:child_process';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { FaultProxy, newRepo, proxiedImage, removeLocalImages, type ProxiedImage } from './fault-proxy.js';
import { APP_FILES, makeRepo } from './fixtures.js';
import { PROGRESS_SECONDS_ENV } from '../../src/engine/push-progress.js';
import { pushEvent, runAction, shownLog, type ActionRun } from './runner.js';
import { BASE_IMAGE, deleteRepository, REGISTRY_PASSWORD, REGISTRY_URL, REGISTRY_USER, registryDigest, registryManifest, registryTags } from './world.js';

const repos: string[] = [];
const proxies: FaultProxy[] = [];
afterEach(async () => {
  for (const p of proxies.splice(0)) await p.close();
});
afterAll(async () => {
  for (const repo of repos) await deleteRepository(repo);
  removeLocalImages(/^127\.0\.0\.1:\d+\/e2e\/faults-/);
});

async function setup(prefix: string, files: Record<string, string> = APP_FILES): Promise<ProxiedImage & { app: ReturnType<typeof makeRepo> }> {
  const proxy = await FaultProxy.start();
  proxies.push(proxy);
  const repo = newRepo(repos, `faults-${prefix}`);
  return { ...proxiedImage(proxy, repo), app: makeRepo(files) };
}

function run(s: Awaited<ReturnType<typeof setup>>, inputs: Record<string, string> = {}, env: Record<string, string> = {}): Promise<ActionRun> {
  return runAction({
    env,
    workspace: s.app.dir,
    event: pushEvent('refs/heads/main', s.app.sha),
    // No layer cache: the faults are meant for login and push, not for a cache export through the same proxy.
    inputs: { image: s.image, username: REGISTRY_USER, password: REGISTRY_PASSWORD, cache: 'off', ...inputs },
  });
}

/** Every tag the run reported points, in the registry, at the digest the run reported. */
async function expectPushedAsReported(runResult: ActionRun, repo: string): Promise<void> {
  expect(runResult.outputs.digest).toMatch(/^sha256:[a-f0-9]{64}$/);
  const tags = runResult.outputs.tags!.split('\n').map((ref) => ref.slice(ref.lastIndexOf(':') + 1));
  expect(await registryTags(repo)).toEqual([...tags].sort());
  for (const tag of tags) expect(await registryDigest(repo, tag)).toBe(runResult.outputs.digest);
}

function retryLines(r: ActionRun, what: string): string[] {
  return r.stdout.split('\n').filter((l) => l.startsWith(what) && l.includes('; retrying in '));
}

const seconds = (from: number): number => (Date.now() - from) / 1000;

describe('transient registry faults are retried', () => {
  it('logs in and pushes through 503s, a 429 and a reset connection; the registry holds the reported digest', async () => {
    const s = await setup('transient');
    s.proxy.setFaults(
      // Login: the engine's ping and the login request both get 503: one failed attempt.
      { method: 'GET', path: /^\/v2\/$/, times: 2, fault: { kind: 'status', status: 503 } },
      // Push: the manifest upload is rate-limited once, then its connection is reset once.
      { method: 'PUT', path: /\/manifests\//, times: 1, fault: { kind: 'status', status: 429, headers: { 'retry-after': '1' } } },
      { method: 'PUT', path: /\/manifests\//, times: 1, fault: { kind: 'reset' } },
    );
    const r = await run(s);
    expect(r.code, shownLog(r)).toBe(0);
    expect(s.proxy.faulted()).toHaveLength(4);
    expect(retryLines(r, `Login to ${s.proxy.host}`)).toEqual([
      `Login to ${s.proxy.host}: HTTP 503 Service Unavailable; retrying in ${retryLines(r, 'Login to')[0]!.split('retrying in ')[1]}`,
    ]);
    // The engine itself retries a 429 on the manifest, then meets the reset; we retry the push.
    const pushRetries = retryLines(r, 'Push of ');
    expect(pushRetries.length).toBeGreaterThanOrEqual(1);
    for (const line of pushRetries) {
      expect(line).toMatch(new RegExp(`^Push of ${s.image.replace(/\./g, '\\.')}:latest: (connection closed|connection closed early \\(EOF\\)|connection reset|rate limited \\(HTTP 429\\)); retrying in [\\d.]+s \\(attempt \\d of 5\\)$`));
    }
    expect(r.stdout).toContain(`Pushed ${s.image}:latest@${r.outputs.digest} (after ${pushRetries.length + 1} attempts)`);
    await expectPushedAsReported(r, s.repo);
    expect(r.outputs.pushed).toBe('true');
  });

  it('pushes through a registry outage (503 on every layer upload for 1.2 s): retried with a line naming the status', async () => {
    const s = await setup('push-503');
    // However often the engine retries an upload within one push (Docker 28 does, Docker 26 does
    // not), the first push meets only 503s; autobuild's retry, about 2 s later, goes through.
    s.proxy.setFaults({ method: 'POST', path: /\/blobs\/uploads\//, forMs: 1200, fault: { kind: 'status', status: 503 } });
    const r = await run(s);
    expect(r.code, shownLog(r)).toBe(0);
    expect(s.proxy.faulted().length).toBeGreaterThanOrEqual(1);
    expect(s.proxy.faulted().every((q) => q.method === 'POST' && q.status === 503)).toBe(true);
    const pushRetries = retryLines(r, 'Push of ');
    // The same words on both generations (a status line on Docker 26, the registry's message on Docker 28).
    expect(pushRetries).toEqual([expect.stringMatching(new RegExp(`^Push of ${s.image.replace(/\./g, '\\.')}:latest: HTTP 503 Service Unavailable; retrying in [\\d.]+s \\(attempt 2 of 5\\)$`))]);
    expect(r.stdout).toContain(`Pushed ${s.image}:latest@${r.outputs.digest} (after 2 attempts)`);
    await expectPushedAsReported(r, s.repo);
  });

  it('a registry that refuses to tag the pushed manifest directly: those names go up with docker push', async () => {
    const s = await setup('tag-refused');
    // The first name goes up with docker push; the direct tagging of main is refused once.
    s.proxy.setFaults({ method: 'PUT', path: /\/manifests\/main$/, times: 1, fault: { kind: 'status', status: 500 } });
    const r = await run(s);
    expect(r.code, shownLog(r)).toBe(0);
    expect(s.proxy.faulted().map((q) => `${q.method} ${q.path} ${q.status}`)).toEqual([`PUT /v2/${s.repo}/manifests/main 500`]);
    expect(r.stdout).toMatch(new RegExp(`^Tagging sha256:[0-9a-f]{64} in ${s.image.replace(/\./g, '\\.')} did not work for every name \\(.*HTTP 500.*\\): pushing the others with docker push\\.$`, 'm'));
    expect(r.stdout).toContain(`Pushed ${s.image}:sha-${s.app.sha.slice(0, 7)}@${r.outputs.digest} (tagged in the registry)`);
    expect(r.stdout).toContain(`Pushed ${s.image}:main@${r.outputs.digest}\n`);
    await expectPushedAsReported(r, s.repo);
  });

  it('a release lists the tags through a 503: the moving-tag guard retries, and 1, 1.2 and latest move', async () => {
    const s = await setup('release');
    // Only the guard's query: the first tags/list answers 503; login and push go through.
    s.proxy.setFaults({ method: 'GET', path: /\/tags\/list/, times: 1, fault: { kind: 'status', status: 503 } });
    const r = await runAction({
      workspace: s.app.dir,
      event: pushEvent('refs/tags/v1.2.3', s.app.sha),
      inputs: { image: s.image, username: REGISTRY_USER, password: REGISTRY_PASSWORD, cache: 'off' },
    });
    expect(r.code, shownLog(r)).toBe(0);
    expect(s.proxy.faulted().map((q) => `${q.method} ${q.path} ${q.status}`)).toEqual([`GET /v2/${s.repo}/tags/list?n=1000 503`]);
    // Retried: the 503, then the registry's challenge, then the listing.
    expect(s.proxy.requests.filter((q) => q.path.includes('/tags/list')).map((q) => q.status)).toEqual([503, 401, 404]);
    expect(retryLines(r, 'Listing the tags of')).toEqual([
      expect.stringMatching(new RegExp(`^Listing the tags of ${s.repo} on ${s.proxy.host.replace(/\./g, '\\.')}: HTTP 503 Service Unavailable; retrying in [\\d.]+s \\(attempt 2 of 5\\)$`)),
    ]);
    expect(r.stdout).toContain(`${s.image} does not exist yet: no release is newer than 1.2.3.`);
    expect(r.stdout).not.toContain('Could not list the tags');
    expect(r.stdout).not.toContain('Not moving');
    const sha = `sha-${s.app.sha.slice(0, 7)}`;
    expect(await registryTags(s.repo)).toEqual(['1', '1.2', '1.2.3', 'latest', sha]);
    await expectPushedAsReported(r, s.repo);
  });

  it('writes the layer cache through 503s on its manifest: the export is tried again, the image is pushed once', async () => {
    const s = await setup('cache-export');
    // Two 503s: BuildKit 0.2x tries a manifest PUT twice by itself, BuildKit 0.13 once; either
    // way the build's export fails and autobuild must try it again.
    s.proxy.setFaults({ method: 'PUT', path: /\/manifests\/buildcache-/, times: 2, fault: { kind: 'status', status: 503 } });
    const r = await run(s, { cache: 'registry' });
    expect(r.code, shownLog(r)).toBe(0);
    const put = `PUT /v2/${s.repo}/manifests/buildcache-main`;
    expect(s.proxy.faulted().map((q) => `${q.method} ${q.path} ${q.status}`)).toEqual([`${put} 503`, `${put} 503`]);
    expect(s.proxy.requests.filter((q) => `${q.method} ${q.path}` === put).map((q) => q.status)).toEqual([503, 503, 201]);
    const retries = retryLines(r, 'Cache export');
    expect(retries.length).toBeGreaterThanOrEqual(1);
    for (const [i, line] of retries.entries()) expect(line).toMatch(new RegExp(`^Cache export: HTTP 503 Service Unavailable; retrying in [\\d.]+s \\(attempt ${i + 2} of 3\\)$`));
    expect(r.stdout).not.toContain('The cache export failed');
    expect(await registryTags(s.repo, { all: true })).toEqual(['buildcache-main', 'latest', 'main', `sha-${s.app.sha.slice(0, 7)}`]);
    const meta = JSON.parse(r.outputs.metadata!) as { builds: { cache: { exportAttempts?: number; exportError?: string; notes: string[] } }[] };
    const attempts = retries.length + 1;
    expect(meta.builds[0]!.cache).toMatchObject({ exportAttempts: attempts, notes: expect.arrayContaining([`cache export: written after ${attempts} attempts`]) });
    expect(meta.builds[0]!.cache.exportError).toBeUndefined();
    await expectPushedAsReported(r, s.repo);
  });

  it('pushes again after a blob upload is cut half-way, and the registry holds every layer whole', async () => {
    // A layer of its own (random bytes, unique to this test), big enough to be cut.
    const s = await setup('cut', {
      ...APP_FILES,
      Dockerfile: `FROM ${BASE_IMAGE}\nRUN echo ${Math.random()} > /id && head -c 1500000 /dev/urandom > /blob\nCOPY app.sh /app.sh\n`,
    });
    s.proxy.setFaults({ method: 'PUT', path: /\/blobs\/uploads\//, times: 1, fault: { kind: 'cut-upload', afterBytes: 300_000 } });
    const r = await run(s);
    expect(r.code, shownLog(r)).toBe(0);
    expect(s.proxy.faulted()).toHaveLength(1);
    expect(retryLines(r, 'Push of ')).toHaveLength(1);
    await expectPushedAsReported(r, s.repo);
    const manifest = await registryManifest(s.repo, 'latest');
    const layers = manifest.layers as { digest: string; size: number }[];
    expect(layers.some((l) => l.size > 1_000_000)).toBe(true);
    for (const layer of layers) {
      const blob = await fetch(`${REGISTRY_URL}/v2/${s.repo}/blobs/${layer.digest}`, {
        method: 'HEAD',
        headers: { authorization: `Basic ${Buffer.from(`${REGISTRY_USER}:${REGISTRY_PASSWORD}`).toString('base64')}` },
      });
      expect(blob.status).toBe(200);
      expect(Number(blob.headers.get('content-length'))).toBe(layer.size);
    }
  });

  it('a long push says how far it is: bytes, rate and time left at a steady interval; the image goes up whole', async () => {
    const s = await setup('progress', {
      ...APP_FILES,
      Dockerfile: `FROM ${BASE_IMAGE}\nRUN echo ${Math.random()} > /id && head -c 24000000 /dev/urandom > /blob\nCOPY app.sh /app.sh\n`,
    });
    // A 4 MB/s uplink: the 24 MB layer takes about 6 s; a line each second.
    s.proxy.setFaults({ path: /\/blobs\/uploads\//, fault: { kind: 'slow-upload', bytesPerSecond: 4_000_000 } });
    const r = await run(s, {}, { [PROGRESS_SECONDS_ENV]: '1' });
    expect(r.code, shownLog(r)).toBe(0);
    await expectPushedAsReported(r, s.repo);
    const mb = (text: string): number => Number.parseFloat(text) * { B: 1e-6, kB: 1e-3, MB: 1, GB: 1e3 }[text.split(' ')[1]!]!;
    const head = `^Pushing ${s.image.replace(/\./g, '\\.')}:latest: `;
    const tail = '; (\\d) of (\\d) layers done \\((\\d+)s so far\\)$';
    const moving = new RegExp(`${head}([\\d.]+ k?M?B) of ([\\d.]+ MB) \\((\\d+)%\\), ([\\d.]+ k?M?B)/s(?:, about (\\d+)s left)?${tail}`);
    const sent = new RegExp(`${head}([\\d.]+ MB) sent, waiting for the registry to confirm${tail}`);
    const lines = r.stdout.split('\n').filter((l) => l.startsWith('Pushing '));
    for (const l of lines) expect(moving.test(l) || sent.test(l), `a progress line with the bytes, the rate and the layers: ${l}`).toBe(true);
    const mid = lines.map((l) => moving.exec(l)).filter((m) => m !== null).map((m) => ({ sent: mb(m[1]!), total: mb(m[2]!), rate: mb(m[4]!), left: m[5], elapsed: Number(m[8]) }));
    const layers = ((await registryManifest(s.repo, 'latest')).layers as { size: number }[]).reduce((sum, l) => sum + l.size, 0) / 1e6;
    expect(mid.filter((g) => g.sent < g.total).length, lines.join('\n')).toBeGreaterThanOrEqual(2);
    for (const g of mid) {
      expect(g.total).toBeGreaterThanOrEqual(24);
      expect(g.total).toBeLessThanOrEqual(layers * 1.01);
      expect(g.sent).toBeLessThanOrEqual(g.total);
    }
    // After the first second (when the engine fills the socket's buffers), no faster than the uplink allows.
    for (const g of mid.slice(1)) expect(g.rate).toBeLessThan(10);
    expect(mid.some((g) => g.left !== undefined && g.sent < g.total)).toBe(true);
    // Steady: the bytes and the time only go forward, about a second apart.
    for (let i = 1; i < mid.length; i++) {
      expect(mid[i]!.sent).toBeGreaterThanOrEqual(mid[i - 1]!.sent);
      expect(mid[i]!.elapsed).toBeGreaterThan(mid[i - 1]!.elapsed - 1);
    }
    expect(lines.length).toBeLessThanOrEqual(Number(/\((\d+)s so far\)$/.exec(lines.at(-1)!)![1]) + 1);
  });

  it('gives up when the push phase has no time left for another attempt, and says so', async () => {
    const s = await setup('exhausted');
    s.proxy.setFaults({ method: 'POST', path: /\/blobs\/uploads\//, fault: { kind: 'status', status: 503 } });
    const started = Date.now();
    const r = await run(s, { timeout: 'push=8s' });
    expect(r.code).not.toBe(0);
    expect(seconds(started)).toBeLessThan(60);
    const error = r.stdout.split('\n').find((l) => l.startsWith('::error::'));
    expect(error).toMatch(new RegExp(`^::error::Pushing ${s.image.replace(/\./g, '\\.')}:latest failed: after [23] attempts in [\\d.]+s \\(no time left to retry\\); the last error was transient: HTTP 503 Service Unavailable\\. Docker said: `));
    expect(await registryTags(s.repo)).toEqual([]);
    expect(r.outputs.pushed).toBe('false');
  });
});

describe('permanent faults fail at once', () => {
  it('refused credentials: names the registry and the cause, and never builds', async () => {
    const s = await setup('denied');
    s.proxy.setFaults({ fault: { kind: 'status', status: 401 } });
    const started = Date.now();
    const r = await run(s);
    expect(r.code).not.toBe(0);
    expect(seconds(started)).toBeLessThan(10);
    expect(r.stdout).toContain(
      `::error::${s.proxy.host} refused the credentials for user '${REGISTRY_USER}' (from username/password): unauthorized (HTTP 401): wrong or missing credentials.`,
    );
    // One attempt, checked once more at once (the engine reports any failed first answer as 401): no backoff.
    expect(retryLines(r, 'Login to')).toHaveLength(1);
    expect(retryLines(r, 'Login to')[0]).toContain('retrying in 0.0s');
    // The login's own requests; beside them, the disk check's one read of the previous image's
    // manifest (refused too, and not tried again).
    const manifestReads = s.proxy.requests.filter((q) => q.path.includes('/manifests/'));
    expect(s.proxy.requests.length - manifestReads.length).toBeLessThanOrEqual(4);
    expect(manifestReads.length).toBeLessThanOrEqual(2);
    expect(r.stdout).not.toContain('::group::build');
    expect(shownLog(r)).not.toContain(REGISTRY_PASSWORD);
  });

  it('a push refused half-way reports exactly which tags reached the registry', async () => {
    const s = await setup('halfway');
    s.proxy.setFaults({ method: 'PUT', path: /\/manifests\/main$/, fault: { kind: 'status', status: 401 } });
    const r = await run(s);
    expect(r.code).not.toBe(0);
    const sha = `sha-${s.app.sha.slice(0, 7)}`;
    expect(r.stdout).toContain(`::error::Pushing ${s.image}:main failed: ${s.proxy.host} refused it: unauthorized (HTTP 401): wrong or missing credentials.`);
    // The first tag goes up on its own (it uploads the layers); the others go side by side, so the
    // one after the refused tag is pushed too.
    expect(r.stdout).toContain(
      `The push stopped half-way: 2 of 3 references reached the registry.%0A${s.proxy.host}: pushed ${s.repo}:latest, ${s.repo}:${sha}; not pushed ${s.repo}:main`,
    );
    expect(retryLines(r, 'Push of')).toEqual([]);
    expect(await registryTags(s.repo)).toEqual(['latest', sha].sort());
    // Outputs and summary tell the same story.
    expect(r.outputs.digest).toBe(await registryDigest(s.repo, 'latest'));
    expect(r.summary).toContain(`| \`latest\` | default: default branch (main) | \`${s.image}:latest\` |`);
    expect(r.summary).toContain('| `main` | default: branch name | - |');
  });

  it.each([
    ['an invalid manifest (400 MANIFEST_INVALID)', { method: 'PUT', path: /\/manifests\//, fault: { kind: 'status' as const, status: 400, code: 'MANIFEST_INVALID' } }, /HTTP 400|invalid manifest/],
    ['access denied (403)', { method: 'POST', path: /\/blobs\/uploads\//, fault: { kind: 'status' as const, status: 403 } }, /access denied \(HTTP 403\)/],
    ['an unknown repository (404)', { method: 'POST', path: /\/blobs\/uploads\//, fault: { kind: 'status' as const, status: 404 } }, /not found \(HTTP 404\)/],
  ])('%s', async (_name, rule, cause) => {
    const s = await setup('permanent');
    s.proxy.setFaults(rule);
    const r = await run(s);
    expect(r.code).not.toBe(0);
    const error = r.stdout.split('\n').find((l) => l.startsWith('::error::'))!;
    expect(error).toContain(`::error::Pushing ${s.image}:latest failed: ${s.proxy.host} refused it: `);
    expect(error).toMatch(cause);
    expect(retryLines(r, 'Push of')).toEqual([]);
    expect(await registryTags(s.repo)).toEqual([]);
  });
});

describe('time limits', () => {
  it('kills and removes a hung test container at the test timeout, and pushes nothing', async () => {
    const s = await setup('hung-test');
    const started = Date.now();
    const r = await run(s, { 'test-command': 'echo TEST-$((6*7))-STARTED; sleep 600', timeout: 'test=3s' });
    expect(r.code).not.toBe(0);
    // The container is removed at the limit: no grace period for a CLI that ignores SIGTERM.
    expect(seconds(started)).toBeLessThan(30);
    expect(r.stdout).toContain('TEST-42-STARTED');
    expect(r.stdout).toMatch(
      /::error::The test phase did not finish within 3s \('docker run' was stopped\)\. Raise the limit with the 'timeout' input, e\.g\. timeout: test=6s\. The test container autobuild-test-[0-9a-f]+-0 was killed and removed; nothing was pushed\./,
    );
    const left = execFileSync('docker', ['ps', '--all', '--quiet', '--filter', `label=autobuild.run=${r.state['run-id']}`], { encoding: 'utf8' });
    expect(r.state['run-id']).toMatch(/^[0-9a-f]{8}$/);
    expect(left.trim()).toBe('');
    expect(await registryTags(s.repo)).toEqual([]);
    expect(r.post.code).toBe(0);
  });

  it('stops a push to a registry that stalls at the push timeout: the step never hangs', async () => {
    const s = await setup('stalled');
    s.proxy.setFaults({ method: 'PUT', path: /\/manifests\//, fault: { kind: 'delay', ms: 120_000 } });
    const started = Date.now();
    const r = await run(s, { timeout: 'push=5s' });
    expect(r.code).not.toBe(0);
    expect(seconds(started)).toBeLessThan(45);
    expect(r.stdout).toContain(
      `::error::The push phase did not finish within 5s ('docker push ${s.image}:latest' was stopped). Raise the limit with the 'timeout' input, e.g. timeout: push=10s.`,
    );
    expect(r.outputs.pushed).toBe('false');
  });
});
