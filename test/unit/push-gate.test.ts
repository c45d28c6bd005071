import { describe, expect, it } from 'vitest';
import { parseImage, type ImageRef } from '../../src/plan/images.js';
import { gatePush } from '../../src/phases/push-gate.js';

const images = (...names: string[]): ImageRef[] => names.map((n) => parseImage(n) as ImageRef);
const preview = { enabled: true, reason: 'pr-preview: true for pull request #7' };
const pr = { pr: { number: 7, fork: false, headRef: 'feature' } };

describe('gatePush', () => {
  it.each([
    ['a same-repository pull request with credentials', pr, 'auto', ['localhost:5000'], true, 'pr-preview: true for pull request #7'],
    ['a same-repository pull request without credentials', pr, 'auto', [], false, 'no credentials for localhost:5000: pull request #7 is built and tested, not pushed'],
    ['an explicit push: true without credentials', pr, 'true', [], true, 'pr-preview: true for pull request #7'],
    ['a branch push without credentials', {}, 'auto', [], true, 'pr-preview: true for pull request #7'],
  ] as const)('%s', (_, facts, push, registries, enabled, reason) => {
    const d = gatePush(preview, facts, { push }, images('localhost:5000/acme/app'), registries.map((registry) => ({ registry })));
    expect(d.enabled).toBe(enabled);
    expect(d.reason).toContain(reason);
  });

  it('names every registry without credentials, and keeps a decision not to push', () => {
    const d = gatePush(preview, pr, { push: 'auto' }, images('acme/app', 'ghcr.io/acme/app', 'quay.io/acme/app'), [{ registry: 'ghcr.io' }]);
    expect(d).toEqual({
      enabled: false,
      reason: expect.stringMatching(/^no credentials for docker\.io, quay\.io: /),
    });
    const off = { enabled: false, reason: 'pull request #7 comes from a fork: build and test only, never push' };
    expect(gatePush(off, pr, { push: 'auto' }, images('acme/app'), [])).toBe(off);
  });
});
