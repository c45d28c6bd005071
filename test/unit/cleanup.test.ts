import { describe, expect, it } from 'vitest';
import { selectPreviewDigests } from '../../src/phases/cleanup.js';
import { DEFAULT_FLAVOR } from '../../src/plan/metadata.js';
import { previewTagPattern } from '../../src/plan/plan.js';

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

  it('follows the flavor prefix and suffix', () => {
    const f = previewTagPattern(4, { ...DEFAULT_FLAVOR, prefix: 'app.', suffix: '-alpine' });
    expect(f.test('app.pr-4-alpine')).toBe(true);
    expect(f.test('appxpr-4-alpine')).toBe(false);
    expect(f.test('pr-4')).toBe(false);
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
