/** Reserved tag names: which branch tags are renamed, and how. */
import { describe, expect, it } from 'vitest';
import { DEFAULT_FLAVOR } from '../../src/plan/metadata.js';
import { reservedBranchTag } from '../../src/plan/reserved.js';

describe('reservedBranchTag', () => {
  it.each([
    ['latest', 'branch-latest'],
    ['7', 'branch-7'],
    ['V2.0', 'branch-V2.0'],
    ['1.2-beta', 'branch-1.2-beta'],
    ['pr-7_x', 'branch-pr-7_x'],
    ['sha-0123456789abcdef0123456789abcdef01234567', 'branch-sha-0123456789abcdef0123456789abcdef01234567'],
  ])('%s -> %s', (tag, renamed) => expect(reservedBranchTag(tag, DEFAULT_FLAVOR)?.tag).toBe(renamed));

  // Names that only look close: an issue-number branch, a short or non-hex sha, other cases.
  it.each(['main', '123-fix-login', 'v2-redesign', '1.x', 'release-1.2', 'latest-foo', 'pr-x', 'pr42', 'PR-42', 'sha-abc123', 'sha-abcdefg', 'sha-abc1234-x'])(
    '%s keeps its name',
    (tag) => expect(reservedBranchTag(tag, DEFAULT_FLAVOR)).toBeUndefined(),
  );

  it('latest counts between the affixes only when the flavor puts them on latest', () => {
    expect(reservedBranchTag('latest-slim', { ...DEFAULT_FLAVOR, suffix: '-slim' })).toBeUndefined();
    expect(reservedBranchTag('latest-slim', { ...DEFAULT_FLAVOR, suffix: '-slim', suffixLatest: true })?.tag).toBe('branch-latest-slim');
    expect(reservedBranchTag('app-1.2', { ...DEFAULT_FLAVOR, prefix: 'app-' })?.tag).toBe('app-branch-1.2');
  });

  it('a long name stays a valid tag', () => {
    const name = `pr-1-${'a'.repeat(123)}`;
    const renamed = reservedBranchTag(name, DEFAULT_FLAVOR)!.tag;
    expect(renamed.length).toBeLessThanOrEqual(128);
    expect(renamed.startsWith('branch-pr-1-')).toBe(true);
  });
});
