import { describe, expect, it } from 'vitest';
import type { Facts } from '../../src/context.js';
import type { Capabilities } from '../../src/engine/capabilities.js';
import type { CacheMode } from '../../src/inputs.js';
import { buildSlug, cacheScopes, describeCache, planCache, registryCacheRef, tagSeries, type CacheRead } from '../../src/plan/cache.js';
import { parseImage, type ImageRef } from '../../src/plan/images.js';
import type { Plan } from '../../src/plan/plan.js';
import { decideTrust } from '../../src/plan/trust.js';

type Caps = Pick<Capabilities, 'buildx' | 'driver' | 'containerdStore' | 'cacheExport' | 'cacheService'>;

const noService = { token: false, gha: false, ghaReason: 'no runner cache service' };
const CAPS: Record<string, Caps> = {
  // A self-hosted runner with a plain engine, containerd image store.
  containerd: { buildx: '0.13.1', driver: 'docker', containerdStore: true, cacheExport: true, cacheService: noService },
  // A GitHub-hosted runner: classic image store, default docker driver, cache service v2.
  hosted: {
    buildx: '0.29.1',
    driver: 'docker',
    containerdStore: false,
    cacheExport: false,
    cacheService: { version: 'v2', token: true, gha: false, ghaReason: 'the builder cannot export cache (docker driver with the classic image store)' },
  },
  // A hosted runner after setup-buildx-action: docker-container builder, gha usable.
  hostedContainer: {
    buildx: '0.29.1',
    driver: 'docker-container',
    containerdStore: false,
    cacheExport: true,
    cacheService: { version: 'v2', token: true, gha: true, ghaReason: 'runner cache service v2' },
  },
  // A plain engine without buildx.
  nobuildx: { buildx: undefined, driver: undefined, containerdStore: false, cacheExport: false, cacheService: noService },
  // A self-hosted runner, classic store, connected to a cache service (local cannot work without export).
  classic: { buildx: '0.13.1', driver: 'docker', containerdStore: false, cacheExport: false, cacheService: noService },
};

function facts(over: Partial<Facts> = {}): Facts {
  return {
    source: 'github',
    eventName: 'push',
    ref: 'refs/heads/main',
    refType: 'branch',
    branch: 'main',
    sha: 'abcdef1234567890abcdef1234567890abcdef12',
    defaultBranch: 'main',
    isDefaultBranch: true,
    commitMessage: '',
    repository: { owner: 'acme', name: 'webapp', fullName: 'acme/webapp', url: '' },
    serverUrl: '',
    apiUrl: '',
    workspace: '/w',
    ...over,
  };
}

const image = (name: string): ImageRef => parseImage(name) as ImageRef;

/** A plan; its trust, when not given, is the one the facts it is run with give. */
function plan(over: Partial<Plan> = {}, tags = ['main', 'latest', 'sha-abcdef1']): Pick<Plan, 'images' | 'builds' | 'push'> & Partial<Pick<Plan, 'trust'>> {
  return {
    images: [image('localhost:5000/acme/app'), image('ghcr.io/acme/app')],
    builds: [{ name: 'default', context: '/w', file: '/w/Dockerfile', tags: tags.map((tag) => ({ tag, why: 'x' })), labels: {}, version: 'main' }],
    push: { enabled: true, reason: 'push event' },
    ...over,
  };
}

const env = { homeDir: '/home/runner' };
const trusted = (f: Facts, p: ReturnType<typeof plan>): Pick<Plan, 'images' | 'builds' | 'push' | 'trust'> => ({ ...p, trust: p.trust ?? decideTrust(f) });
const run = (caps: Caps, cache: CacheMode = 'auto', f = facts(), p = plan()) => planCache(caps, f, { cache, target: '', platforms: [] }, trusted(f, p), env);

describe('cache scopes', () => {
  it.each([
    ['push to main', facts(), { write: 'main', read: ['main'] }],
    ['push to a branch', facts({ branch: 'feature/Login', ref: 'refs/heads/feature/Login' }), { write: 'feature-login', read: ['feature-login', 'main'] }],
    ['a release tag', facts({ refType: 'tag', branch: undefined, tag: 'v1.4.2' }), { write: 'tag-v1', read: ['tag-v1', 'main'] }],
    ['a pre-release tag', facts({ refType: 'tag', branch: undefined, tag: '2.0.0-rc.1' }), { write: 'tag-2', read: ['tag-2', 'main'] }],
    ['a same-repository pull request', facts({ refType: 'pull', branch: 'feat', baseRef: 'develop', pr: { number: 7, fork: false, headRef: 'feat' } }), { write: 'feat', read: ['feat', 'develop', 'main'] }],
    ['a fork pull request', facts({ refType: 'pull', branch: 'main', baseRef: 'main', pr: { number: 9, fork: true, headRef: 'main' } }), { write: 'pr-9', read: ['main'] }],
    ['another ref', facts({ refType: 'other', branch: undefined, ref: 'refs/notes/x' }), { write: 'main', read: ['main'] }],
  ])('%s', (_name, f, expected) => {
    expect(cacheScopes(f)).toEqual(expected);
  });

  it.each([
    ['v1.4.2', 'v1'],
    ['1.4.2', '1'],
    ['V3.0.0', 'v3'],
    ['release-2024.05', 'release-N.N'],
    ['stable', 'stable'],
  ])('tag %s belongs to the series %s', (tag, series) => {
    expect(tagSeries(tag)).toBe(series);
  });
});

describe('build slugs keep several Dockerfiles of one repository apart', () => {
  it.each([
    ['/w', '/w/Dockerfile', '', ''],
    ['/w', '/w/Dockerfile', 'prod', 'prod'],
    ['/w/api', '/w/api/Dockerfile', '', 'api'],
    ['/w', '/w/docker/web.Dockerfile', '', 'docker-web.dockerfile-in-root'],
    ['/w/x', '/w/x/Dockerfile.dev', '', 'x-dockerfile.dev'],
  ])('context %s, file %s, target %s -> %s', (context, file, target, slug) => {
    expect(buildSlug('/w', context, file, target)).toBe(slug);
  });

  it.each([
    [[], ''],
    [['linux/arm64'], 'linux-arm64'],
    [['linux/arm64', 'linux/amd64'], 'linux-amd64-linux-arm64'],
    [['linux/amd64', 'linux/arm64'], 'linux-amd64-linux-arm64'],
  ])('platforms %j -> %s (per-architecture jobs of one image keep apart caches)', (platforms, slug) => {
    expect(buildSlug('/w', '/w', '/w/Dockerfile', '', platforms)).toBe(slug);
  });

  it('stays short and distinct for long paths', () => {
    const a = buildSlug('/w', '/w', `/w/${'very-long-folder-name/'.repeat(5)}a/Dockerfile`, '');
    const b = buildSlug('/w', '/w', `/w/${'very-long-folder-name/'.repeat(5)}b/Dockerfile`, '');
    expect(a.length).toBeLessThanOrEqual(40);
    expect(a).not.toBe(b);
  });

  it('registry cache refs are valid tags', () => {
    expect(registryCacheRef('docker.io/acme/app', '', 'main')).toBe('docker.io/acme/app:buildcache-main');
    expect(registryCacheRef('docker.io/acme/app', 'api', 'feature-x')).toBe('docker.io/acme/app:buildcache-api-feature-x');
    const long = registryCacheRef('docker.io/acme/app', 'a'.repeat(40), 'b'.repeat(60));
    expect(long.split(':')[1]!.length).toBeLessThanOrEqual(128);
  });
});

describe('cache: auto picks the best the runner allows', () => {
  it('a plain engine with the containerd store: registry cache, mode=max, this branch then the default branch', () => {
    const p = run(CAPS.containerd!, 'auto', facts({ branch: 'feature', ref: 'refs/heads/feature', isDefaultBranch: false }), plan({}, ['feature', 'sha-abcdef1']));
    expect(p.backend).toBe('registry');
    expect(p.builds[0]!.args).toEqual([
      '--cache-from', 'type=registry,ref=localhost:5000/acme/app:buildcache-feature',
      '--cache-from', 'type=registry,ref=localhost:5000/acme/app:buildcache-main',
      '--cache-to', 'type=registry,ref=localhost:5000/acme/app:buildcache-feature,mode=max,ignore-error=true',
    ]);
    expect(p.reason).toContain('can export cache');
    expect(describeCache(p)).toMatch(/^auto -> registry: /);
  });

  it('a build for other platforms (a per-architecture job) has a cache of its own', () => {
    const p = planCache(CAPS.containerd!, facts(), { cache: 'auto', target: '', platforms: ['linux/arm64'] }, trusted(facts(), plan()), env);
    expect(p.builds[0]!.args).toEqual([
      '--cache-from', 'type=registry,ref=localhost:5000/acme/app:buildcache-linux-arm64-main',
      '--cache-to', 'type=registry,ref=localhost:5000/acme/app:buildcache-linux-arm64-main,mode=max,ignore-error=true',
    ]);
  });

  it('a GitHub-hosted runner with the default builder: inline cache from this branch and the default branch', () => {
    const p = run(CAPS.hosted!, 'auto', facts({ branch: 'feature', ref: 'refs/heads/feature', isDefaultBranch: false }), plan({}, ['feature', 'sha-abcdef1']));
    expect(p.backend).toBe('inline');
    expect(p.builds[0]!.args).toEqual([
      '--cache-from', 'type=registry,ref=localhost:5000/acme/app:feature',
      '--cache-from', 'type=registry,ref=localhost:5000/acme/app:main',
      '--cache-from', 'type=registry,ref=localhost:5000/acme/app:latest',
      '--cache-to', 'type=inline',
    ]);
    expect(p.reason).toContain('inline');
  });

  it('a runner with the cache service and a builder that can export: gha, scoped per image, build and branch', () => {
    const p = run(CAPS.hostedContainer!, 'auto', facts({ refType: 'tag', branch: undefined, tag: 'v2.1.0', ref: 'refs/tags/v2.1.0' }));
    expect(p.backend).toBe('gha');
    expect(p.builds[0]!.args).toEqual([
      '--cache-from', 'type=gha,scope=autobuild/localhost-5000-acme-app/tag-v2',
      '--cache-from', 'type=gha,scope=autobuild/localhost-5000-acme-app/main',
      '--cache-to', 'type=gha,scope=autobuild/localhost-5000-acme-app/tag-v2,mode=max,ignore-error=true',
    ]);
  });

  it('no buildx: no cache, and says why', () => {
    const p = run(CAPS.nobuildx!);
    expect(p.backend).toBe('off');
    expect(p.builds[0]!.args).toEqual([]);
    expect(p.reason).toContain('buildx is not installed');
  });

  it('two builds into one repository get separate caches', () => {
    const two = plan({
      builds: [
        { name: 'a', context: '/w/api', file: '/w/api/Dockerfile', tags: [{ tag: 'main', why: '' }], labels: {}, version: '' },
        { name: 'b', context: '/w/web', file: '/w/web/Dockerfile', tags: [{ tag: 'main', why: '' }], labels: {}, version: '' },
      ],
    });
    const p = run(CAPS.containerd!, 'auto', facts(), two);
    expect(p.builds.map((b) => b.to)).toEqual([
      'type=registry,ref=localhost:5000/acme/app:buildcache-api-main,mode=max,ignore-error=true',
      'type=registry,ref=localhost:5000/acme/app:buildcache-web-main,mode=max,ignore-error=true',
    ]);
  });
});

describe('what is exported', () => {
  it('a fork pull request reads the cache and never writes it', () => {
    const f = facts({ refType: 'pull', branch: 'main', baseRef: 'main', pr: { number: 9, fork: true, headRef: 'main' } });
    const p = run(CAPS.containerd!, 'auto', f, plan({ push: { enabled: false, reason: 'fork' } }));
    expect(p.exports).toBe(false);
    expect(p.builds[0]!.args).toEqual(['--cache-from', 'type=registry,ref=localhost:5000/acme/app:buildcache-main']);
    expect(p.exportNote).toContain('fork');
    const gha = run(CAPS.hostedContainer!, 'auto', f);
    expect(gha.builds[0]!.to).toBeUndefined();
  });

  it('no registry cache image is written when nothing is pushed', () => {
    const p = run(CAPS.containerd!, 'registry', facts(), plan({ push: { enabled: false, reason: 'push: false' } }));
    expect(p.builds[0]!.to).toBeUndefined();
    expect(p.exportNote).toContain('push: false');
  });

  it('cache: off gives no arguments', () => {
    expect(run(CAPS.containerd!, 'off').builds[0]!.args).toEqual([]);
  });

  it('cache: local keeps a directory, saved per branch and commit, restored from the branch then the default branch', () => {
    const svc = { ...CAPS.containerd!, cacheService: { version: 'v2' as const, token: true, gha: false, ghaReason: 'x' } };
    const p = run(svc, 'local', facts({ branch: 'dev', ref: 'refs/heads/dev', isDefaultBranch: false }));
    const local = p.builds[0]!.local!;
    expect(local).toEqual({
      dir: '/home/runner/.cache/autobuild/localhost-5000-acme-app',
      cachePath: '~/.cache/autobuild/localhost-5000-acme-app',
      newDir: '/home/runner/.cache/autobuild/localhost-5000-acme-app-new',
      key: 'autobuild/localhost-5000-acme-app/dev/abcdef1234567890abcdef1234567890abcdef12',
      restoreKeys: ['autobuild/localhost-5000-acme-app/dev/', 'autobuild/localhost-5000-acme-app/main/'],
    });
    // Reads the restored directory, writes a fresh one (swapped in after: old blobs are dropped).
    expect(p.builds[0]!.args).toEqual([
      '--cache-from', `type=local,src=${local.dir}`,
      '--cache-to', `type=local,dest=${local.newDir},mode=max,ignore-error=true`,
    ]);
  });
});

describe('reading the cache needs read access to its registry', () => {
  const forkPr = facts({ refType: 'pull', branch: 'main', baseRef: 'main', pr: { number: 11, fork: true, headRef: 'main' } });
  const ownPr = facts({ refType: 'pull', branch: 'feat', baseRef: 'main', pr: { number: 12, fork: false, headRef: 'feat' } });
  const notPushed = plan({ push: { enabled: false, reason: 'pull request' } });
  const local = 'localhost:5000';
  const withRead = (caps: Caps, mode: CacheMode, f: Facts, p: ReturnType<typeof plan>, read?: CacheRead) => planCache(caps, f, { cache: mode, target: '', platforms: [] }, trusted(f, p), { ...env, read });

  it.each<[string, Caps, CacheMode, Facts, CacheRead | undefined, string[]]>([
    ['credentials: read', CAPS.containerd!, 'auto', forkPr, { registry: local, access: 'credentials' }, ['--cache-from', 'type=registry,ref=localhost:5000/acme/app:buildcache-main']],
    ['a public repository, read anonymously', CAPS.containerd!, 'auto', forkPr, { registry: local, access: 'anonymous', answer: 'no latest' }, ['--cache-from', 'type=registry,ref=localhost:5000/acme/app:buildcache-main']],
    ['the registry could not be asked: read anyway', CAPS.containerd!, 'auto', forkPr, { registry: local, access: 'unknown', answer: 'timeout' }, ['--cache-from', 'type=registry,ref=localhost:5000/acme/app:buildcache-main']],
    ['nothing known: read (as before)', CAPS.containerd!, 'auto', forkPr, undefined, ['--cache-from', 'type=registry,ref=localhost:5000/acme/app:buildcache-main']],
    ['refused: not read', CAPS.containerd!, 'auto', forkPr, { registry: local, access: 'refused', answer: 'HTTP 401' }, []],
    ['refused, forced registry cache: not read either', CAPS.containerd!, 'registry', forkPr, { registry: local, access: 'refused', answer: 'HTTP 401' }, []],
    ['refused, inline cache (reads the image tags): not read', CAPS.classic!, 'auto', ownPr, { registry: local, access: 'refused', answer: 'HTTP 401' }, ['--cache-to', 'type=inline']],
    ['refused, but gha reads no registry', CAPS.hostedContainer!, 'auto', forkPr, { registry: local, access: 'refused' }, ['--cache-from', 'type=gha,scope=autobuild/localhost-5000-acme-app/main']],
    ['refused by another registry than the cache\'s', CAPS.containerd!, 'auto', forkPr, { registry: 'ghcr.io', access: 'refused' }, ['--cache-from', 'type=registry,ref=localhost:5000/acme/app:buildcache-main']],
  ])('%s', (_name, caps, mode, f, read, args) => {
    expect(withRead(caps, mode, f, notPushed, read).builds[0]!.args).toEqual(args);
  });

  it('a fork pull request to a private registry: says why the cache is not read, and that nothing is written', () => {
    const p = withRead(CAPS.containerd!, 'auto', forkPr, notPushed, { registry: local, access: 'refused', answer: 'HTTP 401' });
    const why = 'the cache is not read: pull request #11 comes from a fork, so no credentials are used, and localhost:5000 refuses anonymous reads of acme/app (HTTP 401)';
    expect(p.importNote).toBe(why);
    expect(p.builds[0]!.description).toBe(`no cache: ${why}`);
    expect(p.exportNote).toBe('pull request #11 comes from a fork: no cache is written');
    expect(describeCache(p)).toContain(`auto -> registry: the builder can export cache (docker driver, containerd image store); not on a runner with a cache service; ${why}; pull request #11`);
  });

  it('a same-repository pull request without credentials: names the missing credentials', () => {
    const p = withRead(CAPS.classic!, 'auto', ownPr, notPushed, { registry: local, access: 'refused', answer: 'HTTP 401' });
    expect(p.builds[0]!.description).toBe(
      'inline cache in the pushed image (write only): the cache is not read: this run has no credentials for localhost:5000, and localhost:5000 refuses anonymous reads of acme/app (HTTP 401)',
    );
  });

  it('pushing without read access (push: true, credentials the registry takes for writes only): writes, does not read', () => {
    const p = withRead(CAPS.containerd!, 'registry', facts(), plan(), { registry: local, access: 'refused', answer: 'HTTP 403' });
    expect(p.builds[0]!.from).toEqual([]);
    expect(p.builds[0]!.to).toBe('type=registry,ref=localhost:5000/acme/app:buildcache-main,mode=max,ignore-error=true');
    expect(p.builds[0]!.description).toMatch(/^registry cache localhost:5000\/acme\/app:buildcache-main \(mode=max, write only\): the cache is not read: /);
  });

  it('a read cache keeps its description and has no import note', () => {
    const p = withRead(CAPS.containerd!, 'auto', forkPr, notPushed, { registry: local, access: 'anonymous' });
    expect(p.importNote).toBeUndefined();
    expect(p.builds[0]!.description).toBe('registry cache (read only), read from buildcache-main');
    expect(p.exportNote).toBe('pull request #11 comes from a fork: cache is read, never written');
  });
});

describe('forced modes fail clearly when the runner cannot do them', () => {
  it.each([
    ['registry', 'classic', /'cache' is 'registry'.*cannot export cache.*containerd image store/],
    ['local', 'classic', /'cache' is 'local'.*cannot export cache/],
    ['gha', 'containerd', /'cache' is 'gha'.*GitHub's cache service cannot be used: no runner cache service/],
    ['gha', 'hosted', /'cache' is 'gha'.*classic image store/],
    ['local', 'containerd', /'cache' is 'local'.*cache service.*cannot be used/],
    ['inline', 'nobuildx', /'cache' is 'inline' but buildx is not installed/],
  ] as const)('cache: %s on %s', (mode, caps, message) => {
    expect(() => run(CAPS[caps]!, mode)).toThrow(message);
  });

  const service = (version: 'v1' | 'v2' | undefined, token: boolean): Caps => ({ ...CAPS.containerd!, cacheService: { version, token, gha: false, ghaReason: 'x' } });
  it.each([
    [
      'a cache service without its token (ACTIONS_RUNTIME_TOKEN)',
      service('v2', false),
      "Input 'cache' is 'local' but the runner's cache service, which keeps the cache directory between runs, cannot be used: ACTIONS_RUNTIME_TOKEN (its token) is not set. Run it as a step of a GitHub Actions job (the runner sets both), use cache: registry or cache: inline, or use cache: auto to take the best this runner allows.",
    ],
    [
      'no cache service at all',
      service(undefined, false),
      "Input 'cache' is 'local' but the runner's cache service, which keeps the cache directory between runs, cannot be used: ACTIONS_RESULTS_URL or ACTIONS_CACHE_URL (its URL) and ACTIONS_RUNTIME_TOKEN (its token) are not set. Run it as a step of a GitHub Actions job (the runner sets both), use cache: registry or cache: inline, or use cache: auto to take the best this runner allows.",
    ],
    [
      'a token but no service URL',
      service(undefined, true),
      "Input 'cache' is 'local' but the runner's cache service, which keeps the cache directory between runs, cannot be used: ACTIONS_RESULTS_URL or ACTIONS_CACHE_URL (its URL) is not set. Run it as a step of a GitHub Actions job (the runner sets both), use cache: registry or cache: inline, or use cache: auto to take the best this runner allows.",
    ],
  ] as const)('cache: local with %s fails before any work', (_name, caps, message) => {
    expect(() => run(caps, 'local')).toThrow(message);
  });

  it.each([
    ['v1', true],
    ['v2', true],
  ] as const)('cache: local with a %s cache service and its token is planned', (version, token) => {
    expect(run(service(version, token), 'local').builds[0]!.local).toBeDefined();
  });

  it.each([
    ['registry', 'containerd'],
    ['inline', 'hosted'],
    ['inline', 'containerd'],
    ['gha', 'hostedContainer'],
    ['off', 'nobuildx'],
  ] as const)('cache: %s works on %s', (mode, caps) => {
    expect(run(CAPS[caps]!, mode).backend).toBe(mode);
  });
});
