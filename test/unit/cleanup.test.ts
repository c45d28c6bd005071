import { describe, expect, it } from 'vitest';
import { selectPreviewDigests } from '../../src/phases/cleanup.js';
import { parseFlavor, parseTagRules } from '../../src/plan/metadata.js';
import { makePlan, previewTagPattern, type PlanInputs } from '../../src/plan/plan.js';
import { parseRules } from '../../src/plan/rules.js';
import { pullRequest } from './facts.js';

const now = new Date('2026-03-04T05:06:07Z');

/** The pattern the clean-up of closed pull request #pr uses, with this flavor. */
function closedPattern(pr: number, flavor: string): RegExp {
  const f = pullRequest(pr, { pr: { number: pr, fork: false, headRef: 'feature', action: 'closed' } });
  const plan = makePlan(f, { images: [], context: '.', file: '', labels: [], rules: [], push: 'auto', prPreview: true, tags: [], flavor: parseFlavor(flavor) }, now);
  return plan.cleanup!.pattern;
}

describe('previewTagPattern', () => {
  const matches = ['pr-4', 'pr-4-abc1234', 'pr-4-abc1234-alpine', 'pr-4-rule2', 'pr-4_slim', 'pr-4.1'];
  const others = ['pr-42', 'pr-4x', 'pr-42-abc1234', 'pr-40-abc', 'app.pr-4-alpine', 'xpr-4', 'sha-abc1234', 'latest'];
  it.each(['', 'suffix=-alpine', 'prefix=app.\nsuffix=-alpine', 'suffix={{sha}}', 'suffix=-{{branch}}'])(
    'flavor %j: pr-<N>, alone or followed by -, _ or . and more',
    (flavor) => {
      const p = closedPattern(4, flavor);
      expect(p.source).toBe(previewTagPattern(4).source);
      expect(p.source).toBe('^pr-4(?:[-_.].*)?$');
      expect(matches.filter((t) => !p.test(t))).toEqual([]);
      expect(others.filter((t) => p.test(t))).toEqual([]);
    },
  );
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

  // A suffix that starts with an expression renders right after the number: pr-4 + {{sha}}.
  it.each(['suffix={{sha}}', 'suffix={{branch}}', 'suffix={{base_ref}}'])('flavor %j: the clean-up of #4 leaves every tag of #42 alone', (flavor) => {
    const closed4 = makePlan(pullRequest(4, { pr: { number: 4, fork: false, headRef: 'feature', action: 'closed' } }), inputs('', flavor), now);
    const preview42 = makePlan(pullRequest(42), inputs('', flavor), now);
    const tags42 = preview42.builds.flatMap((b) => b.tags.map((t) => t.tag));
    expect(tags42.length).toBeGreaterThan(0);
    expect(tags42.filter((t) => closed4.cleanup!.pattern.test(t))).toEqual([]);
    // What #4's preview pushes, its clean-up deletes.
    const preview4 = makePlan(pullRequest(4), inputs('', flavor), now);
    const pushed4 = preview4.builds.flatMap((b) => b.tags.filter((t) => !t.local).map((t) => t.tag));
    expect(pushed4.length).toBeGreaterThan(0);
    expect(pushed4.every((t) => closed4.cleanup!.pattern.test(t))).toBe(true);
  });
});

describe('selectPreviewDigests', () => {
  // The pattern a closed #4 gets (previewTagPattern(4)).
  const pattern = closedPattern(4, '');
  it('removes digests only preview tags point at, and keeps digests other tags share', () => {
    const tags = new Map([
      ['pr-4', 'sha256:b'],
      ['pr-4-bbbbbbb', 'sha256:b'],
      ['pr-4-aaaaaaa', 'sha256:a'],
      ['pr-4-ccccccc', 'sha256:c'],
      ['main', 'sha256:c'],
      ['latest', 'sha256:d'],
    ]);
    const { remove, keep } = selectPreviewDigests(tags, pattern);
    expect([...remove.entries()]).toEqual([
      ['sha256:b', ['pr-4', 'pr-4-bbbbbbb']],
      ['sha256:a', ['pr-4-aaaaaaa']],
    ]);
    expect(keep).toEqual([{ tag: 'pr-4-ccccccc', why: 'same image as main' }]);
  });

  it('a sha- tag on the preview digest is not a preview tag: the digest, and so the sha- tag, stays', () => {
    const tags = new Map([
      ['pr-4', 'sha256:b'],
      ['pr-4-bbbbbbb', 'sha256:b'],
      ['sha-bbbbbbb', 'sha256:b'],
    ]);
    const { remove, keep } = selectPreviewDigests(tags, pattern);
    expect(remove.size).toBe(0);
    expect(keep).toEqual([
      { tag: 'pr-4', why: 'same image as sha-bbbbbbb' },
      { tag: 'pr-4-bbbbbbb', why: 'same image as sha-bbbbbbb' },
    ]);
  });

  it("leaves pull request #42's digests to #42, whatever the flavor", () => {
    const tags = new Map([['pr-42', 'sha256:x'], ['pr-42-abc1234', 'sha256:x'], ['pr-4x', 'sha256:y']]);
    const { remove, keep } = selectPreviewDigests(tags, closedPattern(4, 'suffix={{sha}}'));
    expect(remove.size).toBe(0);
    expect(keep).toEqual([]);
  });

  it('touches nothing without preview tags', () => {
    const { remove, keep } = selectPreviewDigests(new Map([['sha-1', 'sha256:x'], ['latest', 'sha256:x']]), pattern);
    expect(remove.size).toBe(0);
    expect(keep).toEqual([]);
  });
});
