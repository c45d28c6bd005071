import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import type { Facts } from '../../src/context.js';
import { INPUT_NAMES, readInputs, SECRET_INPUTS } from '../../src/inputs.js';
import { dockerHubEnv } from '../../src/phases/hooks.js';
import { outputsOf } from '../../src/phases/report.js';
import { defaultTags } from '../../src/plan/defaults.js';
import { evaluateTagRules, parseFlavor, parseTagRules } from '../../src/plan/metadata.js';
import { EVENTS } from '../../src/plan/trust.js';
import { pullRequest, push, schedule, tagPush } from './facts.js';

const action = parse(fs.readFileSync(path.resolve(import.meta.dirname, '../../action.yml'), 'utf8')) as {
  inputs: Record<string, { default?: string; description: string }>;
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

describe('the tags description lists exactly the default tags', () => {
  // "default branch main -> latest, main, sha-<7>; ..." with `<7>` for the commit's 7 hex digits and <N> for the PR number.
  const clauses = new Map(
    action.inputs.tags!.description
      .replace(/\s*\([^)]*\)/g, '')
      .replace(/\.$/, '')
      .split(';')
      .filter((c) => c.includes('->'))
      .map((c) => c.split('->').map((side) => side.trim()) as [string, string]),
  );
  const events: [string, Facts][] = [
    ['default branch main', push('main')],
    ['branch feature/x', push('feature/x')],
    ['tag v1.2.3', tagPush('v1.2.3')],
    ['tag v2.0.0-rc.1', tagPush('v2.0.0-rc.1')],
    ['other tag release1', tagPush('release1')],
    ['pull request N', pullRequest(42)],
    ['schedule', schedule()],
  ];

  it.each(events)('%s', (event, facts) => {
    const sha7 = facts.sha.slice(0, 7);
    const tags = defaultTags(facts).tags.map((t) => t.tag.replaceAll(sha7, '<7>').replace(/^pr-42/, 'pr-<N>'));
    expect(clauses.get(event)?.split(',').map((t) => t.trim())).toEqual(tags);
  });

  it('describes no other event', () => {
    expect([...clauses.keys()].sort()).toEqual(events.map(([e]) => e).sort());
  });
});

describe('README says what the CLI takes', () => {
  const readme = fs.readFileSync(path.resolve(import.meta.dirname, '../../README.md'), 'utf8');
  const local = /## Run it locally\n([\s\S]*?)\n## /.exec(readme)?.[1] ?? '';

  it('every input as --NAME VALUE but the secrets, and where the password comes from instead', () => {
    expect(local).not.toMatch(/every action input is accepted/i);
    const except = /Every action input except ([\s\S]*?)\sis accepted as `--NAME VALUE`/.exec(local)?.[1] ?? '';
    expect([...except.matchAll(/`([a-z-]+)`/g)].map((m) => m[1]).sort()).toEqual([...SECRET_INPUTS].sort());
    expect(local).toContain('`AUTOBUILD_PASSWORD`');
    expect(local).toContain('`--password-stdin`');
  });
});

describe('README says what a pull request preview pushes and what a build hook gets', () => {
  const readme = fs.readFileSync(path.resolve(import.meta.dirname, '../../README.md'), 'utf8');

  it('the preview row of the pull-request table names every default tag of a pull request', () => {
    const row = readme.split('\n').find((l) => /^\| same repository \| yes \| `true` \|/.test(l)) ?? '';
    const facts = pullRequest(42);
    const head7 = facts.sha.slice(0, 7);
    const tags = defaultTags(facts).tags.map((t) => t.tag.replaceAll(head7, '<head7>').replace(/^pr-42/, 'pr-<N>'));
    expect(tags).toEqual(['pr-<N>', 'pr-<N>-<head7>']);
    const named = [...row.matchAll(/`((?:pr|sha)-[^`]*)`/g)].map((m) => m[1]);
    expect(named).toEqual(tags);
  });

  it('a hooks/build build gets no layer cache from autobuild: CACHE_TAG is empty, DOCKER_CONFIG is the run\'s', () => {
    const env = dockerHubEnv({
      facts: { branch: 'main', sha: 'a'.repeat(40), commitMessage: '' },
      build: { context: '/w', file: '/w/Dockerfile', tags: [{ tag: 'latest', why: '' }] },
      image: { registry: 'docker.io', path: 'acme/app', name: 'docker.io/acme/app' },
      buildEnv: {},
    });
    expect(env.CACHE_TAG).toBe('');
    const hooks = /\*\*A `hooks\/build` build gets no layer cache from autobuild\.\*\*([\s\S]*?)\n- \*\*/.exec(readme)?.[1] ?? '';
    expect(hooks).toContain('`CACHE_TAG` is empty');
    expect(hooks).toContain('no `--cache-from` / `--cache-to`');
    expect(hooks).toMatch(/`DOCKER_CONFIG` is the run's docker config, logged in/);
  });
});

describe('README states the trust model', () => {
  it('its events table is the one the plan uses, row for row', () => {
    const readme = fs.readFileSync(path.resolve(import.meta.dirname, '../../README.md'), 'utf8');
    const start = readme.indexOf('| event | code built | its author | `push: auto` pushes |');
    expect(start).toBeGreaterThan(0);
    const rows = readme.slice(start).split('\n').slice(2).filter((l) => l.startsWith('|'));
    const cut = readme.slice(start).split('\n').slice(2).findIndex((l) => !l.startsWith('|'));
    const table = rows.slice(0, cut);
    expect(table).toEqual(EVENTS.map((e) => `| ${e.event === 'any other' ? e.event : `\`${e.event}\``} | ${e.code} | ${e.author} | ${e.push} |`));
  });
});
