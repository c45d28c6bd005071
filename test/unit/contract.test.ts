import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { INPUT_NAMES, readInputs } from '../../src/inputs.js';
import { outputsOf } from '../../src/phases/report.js';

const action = parse(fs.readFileSync(path.resolve(import.meta.dirname, '../../action.yml'), 'utf8')) as {
  inputs: Record<string, { default?: string }>;
  outputs: Record<string, unknown>;
  runs: Record<string, string>;
};

describe('action.yml is the contract', () => {
  it('lists exactly the inputs the action reads', () => {
    const read = new Set<string>();
    const workspace = fs.mkdtempSync(path.join(os.tmpdir(), 'autobuild-contract-'));
    readInputs(workspace, (name) => {
      read.add(name);
      return name === 'image' ? 'acme/app' : '';
    });
    expect([...read].sort()).toEqual(Object.keys(action.inputs).sort());
    expect([...INPUT_NAMES].sort()).toEqual(Object.keys(action.inputs).sort());
  });

  it('lists exactly the outputs the action sets', () => {
    expect(Object.keys(outputsOf({ builds: [], timings: {}, pushed: false })).sort()).toEqual(Object.keys(action.outputs).sort());
  });

  it('runs on node24, main and post from the bundle', () => {
    expect(action.runs).toEqual({ using: 'node24', main: 'dist/index.js', post: 'dist/index.js' });
  });

  it('gives defaults the parser accepts', () => {
    const workspace = fs.mkdtempSync(path.join(os.tmpdir(), 'autobuild-contract-'));
    const defaults = Object.fromEntries(Object.entries(action.inputs).map(([k, v]) => [k, v.default === '${{ github.token }}' ? 'token' : (v.default ?? '')]));
    expect(() => readInputs(workspace, (name) => (name === 'image' ? 'acme/app' : (defaults[name] ?? '')))).not.toThrow();
  });
});
