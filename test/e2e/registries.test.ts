/**
 * Several registries at once: the one tested image reaches every registry of `image`, and a
 * registry that refuses the credentials does not hide (or hold back) what reached the others.
 * The second registry is the same real registry behind a fault proxy on another port, so it is
 * a registry of its own to the engine (its own host, its own login).
 */
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { FaultProxy, removeLocalImages } from './fault-proxy.js';
import { makeRepo, testRepositories } from './fixtures.js';
import { pushEvent, runAction, shownLog } from './runner.js';
import { REGISTRY, REGISTRY_PASSWORD, REGISTRY_USER, registryDigest, registryTags } from './world.js';

const newRepo = testRepositories();
const proxies: FaultProxy[] = [];
afterEach(async () => {
  for (const p of proxies.splice(0)) await p.close();
});
afterAll(() => removeLocalImages(/^127\.0\.0\.1:\d+\/e2e\/registries-/));

async function twoRegistries(name: string): Promise<{ proxy: FaultProxy; first: string; second: string; image: string }> {
  const proxy = await FaultProxy.start();
  proxies.push(proxy);
  const first = newRepo(`registries-${name}`);
  const second = newRepo(`registries-${name}-mirror`);
  return { proxy, first, second, image: `${REGISTRY}/${first}, ${proxy.host}/${second}` };
}

describe('several registries', () => {
  it('pushes the one tested image to both registries, every tag on one digest', async () => {
    const s = await twoRegistries('both');
    const app = makeRepo();
    const r = await runAction({
      workspace: app.dir,
      event: pushEvent('refs/tags/v2.1.0', app.sha),
      inputs: { image: s.image, username: REGISTRY_USER, password: REGISTRY_PASSWORD, cache: 'off' },
    });
    expect(r.code, shownLog(r)).toBe(0);
    const tags = ['2', '2.1', '2.1.0', 'latest', `sha-${app.sha.slice(0, 7)}`].sort();
    for (const repo of [s.first, s.second]) {
      expect(await registryTags(repo)).toEqual(tags);
      for (const tag of tags) expect(await registryDigest(repo, tag)).toBe(r.outputs.digest);
    }
    expect(r.outputs.tags!.split('\n')).toHaveLength(tags.length * 2);
  });

  it('a second registry that refuses the credentials: the first gets every tag of the release, both are reported, the step fails', async () => {
    const s = await twoRegistries('refused');
    s.proxy.setFaults({ fault: { kind: 'status', status: 401 } });
    const app = makeRepo();
    const r = await runAction({
      workspace: app.dir,
      event: pushEvent('refs/tags/v1.4.0', app.sha),
      inputs: { image: s.image, username: REGISTRY_USER, password: REGISTRY_PASSWORD, cache: 'off' },
    });
    expect(r.code).not.toBe(0);
    const log = shownLog(r);
    expect(log).not.toContain(REGISTRY_PASSWORD);
    // The refusal is named once as its own error, and again in the final report.
    expect(r.stdout).toContain(`::error title=Login to ${s.proxy.host.replace(':', '%3A')} failed::${s.proxy.host} refused the credentials for user '${REGISTRY_USER}'`);
    // The release reached the registry that took the login, moving tags included: the refused
    // registry's listing (a 401) does not hold back 1, 1.4 or latest there.
    const tags = ['1', '1.4', '1.4.0', 'latest', `sha-${app.sha.slice(0, 7)}`].sort();
    expect(await registryTags(s.first)).toEqual(tags);
    for (const tag of tags) expect(await registryDigest(s.first, tag)).toBe(r.outputs.digest);
    expect(r.stdout).not.toMatch(/Not moving '(1|1\.4|latest)'/);
    expect(await registryTags(s.second)).toEqual([]);
    // Nothing but the login reached the refusing registry.
    expect(s.proxy.requests.every((q) => q.path === '/v2/' || q.path.startsWith('/v2/?') || q.path.startsWith('/token'))).toBe(true);
    const final = r.stdout.split('\n').find((l) => l.startsWith('::error::Pushing failed for one repository'));
    expect(final, log).toBeDefined();
    expect(final).toContain(`- ${s.proxy.host}/${s.second}: not pushed, ${s.proxy.host} refused the credentials`);
    expect(final).toContain('These references were pushed:');
    for (const tag of tags) expect(final).toContain(`- ${REGISTRY}/${s.first}:${tag}`);
    expect(r.outputs.pushed).toBe('true');
    expect(r.outputs.digest).toMatch(/^sha256:[a-f0-9]{64}$/);
  });
});
