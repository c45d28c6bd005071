import { describe, expect, it } from 'vitest';
import { eachLimited } from '../../src/phases/push.js';

describe('eachLimited', () => {
  it('runs every item, at most `limit` at a time, and keeps each result in order', async () => {
    let running = 0;
    let most = 0;
    const results = await eachLimited([30, 5, 20, 1, 10, 2], 2, async (ms) => {
      running++;
      most = Math.max(most, running);
      await new Promise((r) => setTimeout(r, ms));
      running--;
      if (ms === 20) throw new Error('twenty');
    });
    expect(most).toBe(2);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'fulfilled', 'rejected', 'fulfilled', 'fulfilled', 'fulfilled']);
    expect((results[2] as PromiseRejectedResult).reason).toEqual(new Error('twenty'));
  });

  it('does nothing for no items', async () => {
    expect(await eachLimited([], 4, async () => undefined)).toEqual([]);
  });
});
