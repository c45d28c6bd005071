import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { defaultTags } from '../../src/plan/defaults.js';
import { parseFlavor, parseTagRules as parseTagLines } from '../../src/plan/metadata.js';
import { describePlan } from '../../src/plan/describe.js';
import { makePlan, type PlanInputs } from '../../src/plan/plan.js';
import { parseRules } from '../../src/plan/rules.js';
import { dedupeTags, isValidTag, sanitizeTag } from '../../src/plan/tags.js';
import { facts, HEAD_SHA, pullRequest, push, schedule, SHA, tagPush } from './facts.js';

const sha7 = `sha-${SHA.slice(0, 7)}`;
const now = new Date('2026-03-04T05:06:07Z');

function plainInputs(more: Partial<PlanInputs> = {}): PlanInputs {
  return {
    images: [{ input: 'acme/app', registry: 'docker.io', path: 'acme/app', name: 'docker.io/acme/app', lowercased: false }],
    context: '/w',
    file: '',
    labels: [],
    rules: [],
    push: 'auto',
    prPreview: false,
    tags: [],
    flavor: parseFlavor(''),
    ...more,
  };
}

describe('default tags (no tags, no rules)', () => {
  it.each([
    ['push to the default branch', push('main'), ['latest', 'main', sha7], 'main'],
    ['push to master when master is the default', push('master', { defaultBranch: 'master' }), ['latest', 'master', sha7], 'master'],
    ['push to another branch', push('develop'), ['develop', sha7], 'develop'],
    ['push to a branch with a slash and capitals', push('feature/Login'), ['feature-login', sha7], 'feature-login'],
    ['tag v1.2.3', tagPush('v1.2.3'), ['1.2.3', '1.2', '1', 'latest', sha7], '1.2.3'],
    ['tag 1.2.3 (no v)', tagPush('1.2.3'), ['1.2.3', '1.2', '1', 'latest', sha7], '1.2.3'],
    ['tag V4.5.6 (capital V)', tagPush('V4.5.6'), ['4.5.6', '4.5', '4', 'latest', sha7], '4.5.6'],
    ['tag v0.3.1 (no major tag before 1.0.0)', tagPush('v0.3.1'), ['0.3.1', '0.3', 'latest', sha7], '0.3.1'],
    ['tag with build metadata', tagPush('v1.2.3+build.7'), ['1.2.3', '1.2', '1', 'latest', sha7], '1.2.3'],
    ['pre-release tag v2.0.0-rc.1', tagPush('v2.0.0-rc.1'), ['2.0.0-rc.1', sha7], '2.0.0-rc.1'],
    ['pre-release tag 1.0.0-beta', tagPush('1.0.0-beta'), ['1.0.0-beta', sha7], '1.0.0-beta'],
    ['non-semver tag', tagPush('release1'), ['release1', sha7], 'release1'],
    ['non-semver tag with two parts', tagPush('v1.2'), ['v1.2', sha7], 'v1.2'],
    ['non-semver tag with odd characters', tagPush('Nightly/2026 01'), ['nightly-2026-01', sha7], 'nightly-2026-01'],
    ['pull request (head commit, not merge commit; no sha- tag)', pullRequest(42), ['pr-42', `pr-42-${HEAD_SHA.slice(0, 7)}`], 'pr-42'],
    ['schedule', schedule(), ['nightly'], 'nightly'],
    ['workflow_dispatch on the default branch', push('main', { eventName: 'workflow_dispatch' }), ['latest', 'main', sha7], 'main'],
    ['release event on a tag', tagPush('v3.1.0', { eventName: 'release' }), ['3.1.0', '3.1', '3', 'latest', sha7], '3.1.0'],
    ['an event without a ref', facts('', { eventName: 'repository_dispatch' }), [sha7], sha7],
  ])('%s', (_name, f, tags, version) => {
    const plan = makePlan(f, plainInputs(), now);
    expect(plan.builds).toHaveLength(1);
    expect(plan.builds[0]!.tags.map((t) => t.tag)).toEqual(tags);
    expect(plan.builds[0]!.version).toBe(version);
    expect(plan.tagSource).toBe('defaults');
  });

  it('marks only the moving tags of a release, with the release version', () => {
    const r = defaultTags(tagPush('v1.2.3'));
    expect(r.tags.map((t) => [t.tag, t.moves, t.release])).toEqual([
      ['1.2.3', undefined, undefined],
      ['1.2', 'minor', '1.2.3'],
      ['1', 'major', '1.2.3'],
      ['latest', 'latest', '1.2.3'],
      [sha7, undefined, undefined],
    ]);
    expect(r.release).toMatchObject({ version: '1.2.3', scheme: 'semver', prerelease: false, forceLatest: false });
  });

  it('no commit SHA, no sha tag (never a bare sha-)', () => {
    const r = defaultTags({ ...push('main'), sha: '' });
    expect(r.tags.map((t) => t.tag)).toEqual(['latest', 'main']);
  });

  it('the default branch latest is not a release: nothing to guard', () => {
    const r = defaultTags(push('main'));
    expect(r.release).toBeUndefined();
    expect(r.tags.every((t) => !t.moves)).toBe(true);
  });

  it.each([
    ['latest=false drops latest from a release', tagPush('v1.2.3'), 'latest=false', ['1.2.3', '1.2', '1', sha7]],
    ['latest=false drops latest from the default branch', push('main'), 'latest=false', ['main', sha7]],
    ['latest=true adds latest to another branch', push('develop'), 'latest=true', ['latest', 'develop', sha7]],
    ['latest=true adds latest to a pre-release', tagPush('v2.0.0-rc.1'), 'latest=true', ['2.0.0-rc.1', 'latest', sha7]],
    ['suffix goes on every tag but latest', tagPush('v1.2.3'), 'suffix=-alpine', ['1.2.3-alpine', '1.2-alpine', '1-alpine', 'latest', `${sha7}-alpine`]],
    ['suffix with onlatest', tagPush('v1.2.3'), 'suffix=-alpine,onlatest=true', ['1.2.3-alpine', '1.2-alpine', '1-alpine', 'latest-alpine', `${sha7}-alpine`]],
    ['prefix keeps sha- and pr- as they are', push('main'), 'prefix=app-', ['latest', 'app-main', sha7]],
    ['prefix on a pull request', pullRequest(7), 'prefix=app-', ['pr-7', `pr-7-${HEAD_SHA.slice(0, 7)}`]],
    // {{...}} in the flavor is rendered on the defaults as on the tags lines.
    ['an expression in the suffix', push('develop'), 'suffix=-{{sha}}', [`develop-${SHA.slice(0, 7)}`, `${sha7}-${SHA.slice(0, 7)}`]],
    ['a date in the prefix', tagPush('v1.2.3'), "prefix={{date 'YYYYMMDD'}}-", ['20260304-1.2.3', '20260304-1.2', '20260304-1', 'latest', sha7]],
    ['an expression in prefix and suffix with onlatest', push('main'), 'prefix={{branch}}-,onlatest=true\nsuffix=-{{is_default_branch}},onlatest=true', ['main-latest-true', 'main-main-true', `${sha7}-true`]],
  ])('flavor: %s', (_name, f, flavor, tags) => {
    const plan = makePlan(f, plainInputs({ flavor: parseFlavor(flavor) }), now);
    expect(plan.builds[0]!.tags.map((t) => t.tag)).toEqual(tags);
  });

  describe('a pull request never gets latest or a moving release tag', () => {
    const head7 = HEAD_SHA.slice(0, 7);
    it.each([
      // tags input ('' = the defaults), flavor, tags of the pull request
      ['', 'latest=true', ['pr-7', `pr-7-${head7}`]],
      ['', 'latest=true\nsuffix=-slim,onlatest=true', ['pr-7-slim', `pr-7-${head7}-slim`]],
      ['type=ref,event=pr', 'latest=true', ['pr-7']],
      ['type=ref,event=pr\ntype=raw,value=latest', '', ['pr-7']],
      ['type=ref,event=pr\ntype=semver,pattern={{version}},value=1.2.3\ntype=semver,pattern={{major}}.{{minor}},value=1.2.3\ntype=semver,pattern={{major}},value=1.2.3', '', ['pr-7', '1.2.3']],
    ])('tags %j, flavor %j', (tags, flavor, expected) => {
      const plan = makePlan(pullRequest(7), plainInputs({ tags: parseTagLines(tags), flavor: parseFlavor(flavor), prPreview: true }), now);
      expect(plan.builds[0]!.tags.map((t) => t.tag)).toEqual(expected);
      expect(plan.notes?.some((n) => n.includes('a pull request never gets latest or a moving release tag'))).toBe(true);
      expect(describePlan(pullRequest(7), plan).join('\n')).toMatch(/note: .*'.*left out: a pull request never gets latest or a moving release tag/);
    });

    it('the latest=true line in the plan says it is never on pull requests', () => {
      const plan = makePlan(push('develop'), plainInputs({ flavor: parseFlavor('latest=true') }), now);
      const line = describePlan(push('develop'), plan).find((l) => l.includes('tag latest'));
      expect(line).toMatch(/<- flavor latest=true \(never on pull requests\)/);
    });
  });

  it('flavor latest=true marks latest as forced for the guard', () => {
    const plan = makePlan(tagPush('v1.4.9'), plainInputs({ flavor: parseFlavor('latest=true') }), now);
    expect(plan.builds[0]!.release?.forceLatest).toBe(true);
  });
});

describe('tag hygiene', () => {
  it.each([
    ['feature/Login', true, 'feature-login'],
    ['feature/Login', false, 'feature-Login'],
    ['.hidden', true, 'hidden'],
    ['--x', true, 'x'],
    ['-.-x', true, 'x'],
    ['_ok', true, '_ok'],
    ['a  b', true, 'a-b'],
    ['dependabot/npm_and_yarn/lodash-4.17.21', true, 'dependabot-npm_and_yarn-lodash-4.17.21'],
    ['ü', true, /^ref-[0-9a-f]{8}$/],
    ['...', true, /^ref-[0-9a-f]{8}$/],
    ['v1.0+build', false, 'v1.0-build'],
  ])('sanitizeTag(%j, lower=%s)', (input, lower, expected) => {
    const out = sanitizeTag(input, { lower });
    if (typeof expected === 'string') expect(out).toBe(expected);
    else expect(out).toMatch(expected);
    expect(isValidTag(out)).toBe(true);
  });

  it('cuts names over 128 characters with a stable hash, different for different names', () => {
    const a = sanitizeTag(`feature/${'x'.repeat(200)}-a`, { lower: true });
    const b = sanitizeTag(`feature/${'x'.repeat(200)}-b`, { lower: true });
    expect(a).toHaveLength(128);
    expect(a).toMatch(/^feature-x+-[0-9a-f]{8}$/);
    expect(a).not.toBe(b);
    expect(sanitizeTag(`feature/${'x'.repeat(200)}-a`, { lower: true })).toBe(a);
    expect(sanitizeTag('a'.repeat(128))).toBe('a'.repeat(128));
  });

  it.each([
    ['latest', true],
    ['1.2.3', true],
    ['_x', true],
    ['.x', false],
    ['-x', false],
    ['', false],
    ['a/b', false],
    ['a'.repeat(128), true],
    ['a'.repeat(129), false],
  ])('isValidTag(%j) = %s', (tag, ok) => {
    expect(isValidTag(tag)).toBe(ok);
  });

  it('removes duplicate tags, keeping the first reason', () => {
    expect(dedupeTags([{ tag: 'a', why: '1' }, { tag: 'b', why: '2' }, { tag: 'a', why: '3' }])).toEqual([
      { tag: 'a', why: '1' },
      { tag: 'b', why: '2' },
    ]);
  });

  it('a tag made from the branch name gives way, in its place, to the same tag from another rule', () => {
    expect(dedupeTags([{ tag: 'latest', why: 'branch', fromBranch: true }, { tag: 'x', why: 'x' }, { tag: 'latest', why: 'rule', moves: 'latest' }])).toEqual([
      { tag: 'latest', why: 'rule', moves: 'latest' },
      { tag: 'x', why: 'x' },
    ]);
  });

  it('a tags line that repeats another gives the tag once', () => {
    const plan = makePlan(push('main'), plainInputs({ tags: parseTagLines('type=ref,event=branch\ntype=raw,value=main') }), now);
    expect(plan.builds[0]!.tags.map((t) => t.tag)).toEqual(['main']);
  });
});

describe('properties', () => {
  // Anything git could call a branch or tag, and worse.
  const refName = fc.oneof(
    fc.string({ minLength: 1, maxLength: 300 }),
    fc.stringMatching(/^[A-Za-z0-9._\/+@-]{1,260}$/),
    fc.constantFrom('v1.2.3', 'v0.0.0-rc.1', '1.2', 'main', 'release/1.x', '-', '.', '..', 'v99999999999999999999.0.0'),
  );
  const event = fc.constantFrom('push', 'schedule', 'workflow_dispatch', 'release', 'create');
  const rules = parseRules(`
- source-type: branch
  source: /^(.*)$/
  tag: '{sourceref},b-{\\1}'
- source-type: tag
  source: /^v?([0-9.]+)(-.*)?$/
  tag: '{\\1}{\\2},latest'
- source-type: tag
  source: /(x)?(y)?/
  tag: 't{\\1}{\\2}'
`);
  const tagLines = parseTagLines(
    'type=schedule,pattern={{date \'YYYYMMDD\'}}\ntype=semver,pattern={{version}}\ntype=semver,pattern={{major}}.{{minor}}\ntype=pep440,pattern={{major}}\ntype=match,pattern=v(.*),group=1\ntype=edge\ntype=ref,event=branch\ntype=ref,event=tag\ntype=ref,event=pr\ntype=raw,value={{branch}}-{{tag}}\ntype=sha,format=long',
  );

  it('every produced tag is a valid Docker tag, and planning never throws, for any branch or tag name', () => {
    fc.assert(
      fc.property(refName, fc.boolean(), event, fc.constantFrom('defaults', 'tags', 'rules'), (name, isTag, eventName, mode) => {
        const f = isTag ? tagPush(name, { eventName }) : push(name, { eventName });
        const inputs = plainInputs(mode === 'tags' ? { tags: tagLines } : mode === 'rules' ? { rules, tags: tagLines } : {});
        const plan = makePlan(f, inputs, now);
        for (const b of plan.builds) {
          expect(b.tags.length).toBeGreaterThan(0);
          for (const t of b.tags) expect(isValidTag(t.tag), `${t.tag} from ${name}`).toBe(true);
          expect(new Set(b.tags.map((t) => t.tag)).size).toBe(b.tags.length);
        }
      }),
      { numRuns: 600 },
    );
  });

  it('sanitizeTag is idempotent and leaves valid tags alone', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 300 }), (s) => {
        const once = sanitizeTag(s);
        expect(isValidTag(once)).toBe(true);
        expect(sanitizeTag(once)).toBe(once);
        if (isValidTag(s)) expect(once).toBe(s);
      }),
      { numRuns: 1000 },
    );
  });

  it('a pull request never gets latest and never a moving tag, whatever its branch', () => {
    fc.assert(
      fc.property(refName, fc.integer({ min: 1, max: 99999 }), (head, n) => {
        const plan = makePlan(pullRequest(n, { branch: head, pr: { number: n, fork: false, headRef: head } }), plainInputs(), now);
        const tags = plan.builds[0]!.tags;
        expect(tags.map((t) => t.tag)).toEqual([`pr-${n}`, `pr-${n}-${HEAD_SHA.slice(0, 7)}`]);
        expect(plan.push.enabled).toBe(false);
      }),
    );
  });
});
