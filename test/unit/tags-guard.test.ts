/** The moving-tag guard: `latest`, `1`, `1.2` never go backwards. */
import { describe, expect, it } from 'vitest';
import { defaultTags } from '../../src/plan/defaults.js';
import { evaluateTagRules, parseFlavor, parseTagRules } from '../../src/plan/metadata.js';
import { heldMovingTags, releasesIn, type Listing } from '../../src/plan/semver.js';
import { tagPush } from './facts.js';

function held(gitTag: string, registry: Listing, flavor = ''): Record<string, string> {
  const r = defaultTags(tagPush(gitTag), parseFlavor(flavor));
  return Object.fromEntries(heldMovingTags(r.tags, r.release, registry));
}

describe('default tags of a release against what the registry holds', () => {
  it.each([
    ['a new repository', 'v1.0.0', [], []],
    ['an older release', 'v1.4.9', ['1.4.8', '1.4', '1', 'latest'], []],
    ['the same release again (re-run)', 'v1.4.9', ['1.4.9', '1.4', '1', 'latest'], []],
    ['v1.4.9 after v2.0.0', 'v1.4.9', ['2.0.0', '2.0', '2', 'latest', '1.4.8'], ['latest']],
    ['v1.4.9 after v2.0.0 and v1.5.0', 'v1.4.9', ['2.0.0', '1.5.0', '1.4.8'], ['1', 'latest']],
    ['v1.4.9 after v1.4.10', 'v1.4.9', ['1.4.10'], ['1.4', '1', 'latest']],
    ['a pre-release of a higher version does not count', 'v1.4.9', ['2.0.0-rc.1', '1.4.8'], []],
    ['v-prefixed tags in the registry count', 'v1.4.9', ['v2.0.0'], ['latest']],
    ['sha, branch and date tags do not count', 'v1.4.9', ['sha-1234567', 'main', '20990101', '9', '9.9', 'latest'], []],
    ['a suffixed tag of another flavour is not a plain release', 'v1.4.9', ['2.0.0-alpine'], []],
  ])('%s', (_name, gitTag, existing, expected) => {
    expect(Object.keys(held(gitTag, { tags: existing })).sort()).toEqual(expected.sort());
  });

  it('says which release is newer', () => {
    expect(held('v1.4.9', { tags: ['2.0.0', '1.5.0', '1.4.8'] })).toEqual({
      '1': '1.5.0 is a newer 1.x release than 1.4.9',
      latest: '2.0.0 is a newer release than 1.4.9 (flavor latest=true pushes it anyway)',
    });
  });

  it('flavor latest=true forces latest, never the major and minor tags', () => {
    expect(Object.keys(held('v1.4.9', { tags: ['2.0.0', '1.5.0', '1.4.10'] }, 'latest=true')).sort()).toEqual(['1', '1.4']);
  });

  it('a registry that cannot be listed holds every moving tag, not the version or sha', () => {
    const h = held('v1.4.9', { error: 'HTTP 500' });
    expect(Object.keys(h).sort()).toEqual(['1', '1.4', 'latest']);
    expect(h.latest).toContain("the registry's tags could not be listed (HTTP 500)");
  });

  it('a registry that cannot be listed still lets flavor latest=true push latest', () => {
    expect(Object.keys(held('v1.4.9', { error: 'HTTP 500' }, 'latest=true')).sort()).toEqual(['1', '1.4']);
  });

  it('a pre-release has no moving tags to hold', () => {
    expect(held('v2.0.0-rc.1', { tags: ['3.0.0'] })).toEqual({});
  });

  it('a forced latest on a pre-release stays behind a newer release', () => {
    // flavor latest=true forces latest past the guard: that is what it is for.
    expect(held('v2.0.0-rc.1', { tags: ['2.0.0'] }, 'latest=true')).toEqual({});
  });
});

describe('tags rules with suffixes and pep440', () => {
  it('reads releases with the build suffix, and the plain form', () => {
    const r = evaluateTagRules(tagPush('v1.4.9'), parseTagRules('type=semver,pattern={{version}}\ntype=semver,pattern={{major}}'), parseFlavor('suffix=-alpine'), new Date());
    expect(releasesIn(['2.0.0-alpine', '1.9.0', 'v3.0.0', 'x-4.0.0'], r.release!).sort()).toEqual(['1.9.0', '2.0.0', '3.0.0']);
    expect(Object.fromEntries(heldMovingTags(r.tags, r.release, { tags: ['1.5.0-alpine'] }))).toEqual({
      '1-alpine': '1.5.0 is a newer 1.x release than 1.4.9',
      latest: '1.5.0 is a newer release than 1.4.9 (flavor latest=true pushes it anyway)',
    });
  });

  it('compares PEP 440 versions as PEP 440', () => {
    const r = evaluateTagRules(tagPush('1.4.9'), parseTagRules('type=pep440,pattern={{version}}\ntype=pep440,pattern={{major}}.{{minor}}'), parseFlavor(''), new Date());
    expect(r.release?.scheme).toBe('pep440');
    expect(Object.keys(Object.fromEntries(heldMovingTags(r.tags, r.release, { tags: ['1.4.10', '1.5rc1'] }))).sort()).toEqual(['1.4', 'latest']);
    expect(heldMovingTags(r.tags, r.release, { tags: ['1.4.8', '1.5.dev1'] }).size).toBe(0);
  });

  it('a build without a release guards nothing', () => {
    expect(heldMovingTags([{ tag: 'latest', why: 'x' }], undefined, { tags: ['9.9.9'] }).size).toBe(0);
  });
});
