import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadLine } from '../../bench/machine.mjs';

describe('benchmark report', () => {
  it('names the cores this machine has, not a fixed number', () => {
    expect(loadLine([1.234, 0.5, 0], 8)).toBe('Load average at the end (other jobs share this engine and its 8 cores): 1.2 0.5 0.0.');
    expect(loadLine([0, 0, 0], 1)).toContain('its 1 core)');
    expect(loadLine()).toContain(`its ${os.availableParallelism()} core`);
  });

  it('run.mjs prints that line, with no core count written into it', () => {
    const run = fs.readFileSync(path.join(import.meta.dirname, '../../bench/run.mjs'), 'utf8');
    expect(run).toContain('loadLine()');
    expect(run).not.toMatch(/\d+ cores\b/);
  });
});
