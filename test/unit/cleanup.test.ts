import { describe, expect, it } from 'vitest';
import { selectPreviewDigests } from '../../src/phases/cleanup.js';
import { DEFAULT_FLAVOR, parseFlavor, parseTagRules } from '../../src/plan/metadata.js';
import { makePlan, previewTagPattern, type PlanInputs } from '../../src/plan/plan.js';
import { parseRules } from '../../src/plan/rules.js';
import { pullRequest } from './facts.js';

const now = new Date('2026-03-04T05:06:07Z');

describe('previewTagPattern', () => {
  const p = previewTagPattern(4, DEFAULT_FLAVOR);
  it.each([
    ['pr-4', true],
    ['pr-4-1a2b3c4', true],
    ['pr-4-rule2', true],
    ['pr-42', false],
    ['pr-40-abc', false],
    ['xpr-4', false],
    ['latest', false],
  ])('%s -> %s', (tag, yes) => expect(p.test(tag)).toBe(yes));

  it('follows the flavor suffix, not its prefix (the preview tags have pr- as their own prefix)', () => {
    const f = previewTagPattern(4, { ...DEFAULT_FLAVOR, prefix: 'app.', suffix: '-alpine' });
    expect(f.test('pr-4-alpine')).toBe(true);
    expect(f.test('pr-4-1a2b3c4-alpine')).toBe(true);
    expect(f.test('pr-4-rule2')).toBe(true);
    expect(f.test('app.pr-4-alpine')).toBe(false);
    expect(f.test('pr-42-alpine')).toBe(false);
    expect(f.test('pr-4-alpine-x')).toBe(false);
  });
});

describe('the cleanup of a closed pull request matches exactly what its preview pushed', () => {
  const images = [{ input: 'localhost:5000/acme/app', name: 'localhost:5000/acme/app', registry: 'localhost:5000', path: 'acme/app', lowercased: false }] as PlanInputs['images'];
  const inputs = (tags: string, flavor: string, rules = ''): PlanInputs => ({
    images,
    context: '.',
    file: '',
    labels: [],
    rules: parseRules(rules),
    push: 'auto',
    prPreview: true,
    tags: parseTagRules(tags),
    flavor: parseFlavor(flavor),
  });
  const twoRules = '- source-type: branch\n  source: main\n  tag: latest\n- source-type: branch\n  source: /^ma(.*)$/\n  tag: edge';
  it.each([
    // tags input, flavor, rules, what a preview push of #4 gives that starts with pr-
    ['', '', '', ['pr-4', 'pr-4-1e9249f']],
    ['', 'prefix=app-', '', ['pr-4', 'pr-4-1e9249f']],
    ['', 'prefix=app-\nsuffix=-alpine', '', ['pr-4-alpine', 'pr-4-1e9249f-alpine']],
    ['', 'suffix=-{{base_ref}}', '', ['pr-4-main', 'pr-4-1e9249f-main']],
    ['', 'suffix=+{{sha}}', '', ['pr-4-1e9249f', 'pr-4-1e9249f-1e9249f']],
    ['type=ref,event=pr', 'prefix=app-\nsuffix=-slim', '', ['pr-4-slim']],
    ['', 'prefix=app-\nsuffix=-slim', twoRules, ['pr-4', 'pr-4-rule2']],
  ])('tags %j, flavor %j, rules %j', (tags, flavor, rules, expected) => {
    const preview = makePlan(pullRequest(4), inputs(tags, flavor, rules), now);
    const pushed = preview.builds.flatMap((b) => b.tags.map((t) => t.tag));
    expect(pushed.filter((t) => t.startsWith('pr-'))).toEqual(expected);
    const closed = makePlan(pullRequest(4, { pr: { number: 4, fork: false, headRef: 'feature', action: 'closed' } }), inputs(tags, flavor, rules), now);
    const pattern = closed.cleanup!.pattern;
    expect(pushed.filter((t) => pattern.test(t))).toEqual(expected);
    // Another pull request's previews, and the same tags with the flavor prefix, are not this preview.
    for (const t of expected) {
      expect(pattern.test(t.replace('pr-4', 'pr-40'))).toBe(false);
      expect(pattern.test(`app-${t}`)).toBe(false);
    }
  });
});

describe('selectPreviewDigests', () => {
  const pattern = previewTagPattern(4, DEFAULT_FLAVOR);
  it('removes preview digests with the sha tags pushed alongside, and keeps digests other tags share', () => {
    const tags = new Map([
      ['pr-4', 'sha256:b'],
      ['pr-4-bbbbbbb', 'sha256:b'],
      ['sha-bbbbbbb', 'sha256:b'],
      ['pr-4-aaaaaaa', 'sha256:a'],
      ['pr-4-ccccccc', 'sha256:c'],
      ['main', 'sha256:c'],
      ['latest', 'sha256:d'],
    ]);
    const { remove, keep } = selectPreviewDigests(tags, pattern);
    expect([...remove.entries()]).toEqual([
      ['sha256:b', ['pr-4', 'pr-4-bbbbbbb', 'sha-bbbbbbb']],
      ['sha256:a', ['pr-4-aaaaaaa']],
    ]);
    expect(keep).toEqual([{ tag: 'pr-4-ccccccc', why: 'same image as main' }]);
  });

  it('touches nothing without preview tags', () => {
    const { remove, keep } = selectPreviewDigests(new Map([['sha-1', 'sha256:x'], ['latest', 'sha256:x']]), pattern);
    expect(remove.size).toBe(0);
    expect(keep).toEqual([]);
  });
});
