import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { INPUT_NAMES, readInputs } from '../../src/inputs.js';
import { outputsOf } from '../../src/phases/report.js';
import { evaluateTagRules, parseFlavor, parseTagRules } from '../../src/plan/metadata.js';
import { tagPush } from './facts.js';

const action = parse(fs.readFileSync(path.resolve(import.meta.dirname, '../../action.yml'), 'utf8')) as {
  inputs: Record<string, { default?: string }>;
  outputs: Record<string, { description: string }>;
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

  it.each([
    // The output descriptions say what the outputs really hold.
    ['tags', /held back by the registry check is not pushed and is left out/],
    ['version', /With `tags`, the first tag the highest-priority line with a value gives, prefix and suffix included/],
  ])('describes the %s output as it is', (name, words) => {
    expect(action.outputs[name]!.description).toMatch(words);
  });

  it('the version with tags is the first tag, prefix included; held-back tags are not in the tags output', () => {
    const f = tagPush('v1.2.3');
    const r = evaluateTagRules(f, parseTagRules('type=ref,event=tag\ntype=semver,pattern={{major}}'), parseFlavor('prefix=app-'), new Date());
    expect(r.version).toBe('app-1');
    const tags = [{ tag: '1.2.3', why: 'x' }, { tag: '1', why: 'x', held: 'newer 1.x' }];
    const out = outputsOf({ builds: [{ name: 'default', tags, refs: ['acme/app:1.2.3', 'acme/app:1'], pushedRefs: [], version: '1.2.3', labels: {}, tests: [] }], timings: {}, pushed: true } as never);
    expect(out.tags).toBe('acme/app:1.2.3');
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
