/** `autobuild plan`: the plan's own lines (Docker Hub files, push, cache), and the Plan group it shares with the run. */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { placeholderImage, planExtras, printPlan } from '../../src/cli-plan.js';
import { readLocalFacts, type Facts } from '../../src/context.js';
import { readInputs } from '../../src/inputs.js';
import { describeCacheOutlook } from '../../src/plan/cache-outlook.js';
import { makePlan } from '../../src/plan/plan.js';
import { dockerHubFiles, planGroupLines } from '../../src/phases/plan-group.js';

const GIT_ENV = { GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@example.com', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@example.com' };

/** A git repository in a temp folder with these files committed on `main`. */
function repo(files: Record<string, string> = { Dockerfile: 'FROM scratch\n' }): { dir: string; git: (...args: string[]) => string } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'autobuild-plan-'));
  const git = (...args: string[]): string => execFileSync('git', args, { cwd: dir, env: { ...process.env, ...GIT_ENV }, encoding: 'utf8' }).trim();
  git('init', '-q', '-b', 'main');
  for (const [name, content] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), content, { mode: name.startsWith('hooks/') ? 0o755 : 0o644 });
  }
  git('add', '-A');
  git('commit', '-q', '-m', 'first');
  return { dir, git };
}

/** The plan `autobuild plan` prints for these inputs (name -> value). */
async function planText(facts: Facts, given: Record<string, string>): Promise<string> {
  const lines: string[] = [];
  await printPlan(facts, (name) => given[name] ?? '', (line) => lines.push(line));
  return lines.join('\n');
}

function planOf(facts: Facts, given: Record<string, string>) {
  const inputs = readInputs(facts.workspace, (name) => given[name] ?? '');
  return { inputs, plan: makePlan(facts, inputs) };
}

describe('placeholderImage', () => {
  it('is the repository name, made a valid repository name', () => {
    const of = (fullName: string): string => placeholderImage({ repository: { owner: '', name: '', fullName, url: '' } });
    expect(of('Acme/Web_App')).toBe('acme/web-app');
    expect(of('local/My Project (copy)')).toBe('local/my-project-copy');
    expect(of('local/___')).toBe('local/app');
  });
});

describe('describeCacheOutlook', () => {
  it('auto: what it picks on each kind of runner, with this ref’s refs and scopes, and says it is decided at run time', async () => {
    const facts = await readLocalFacts(repo().dir, { ref: 'refs/tags/v1.2.3' });
    const { inputs, plan } = planOf(facts, { image: 'localhost:5000/acme/app' });
    const lines = describeCacheOutlook(facts, inputs, plan);
    expect(lines[0]).toMatch(/^Cache: auto, decided at run time against the engine/);
    expect(lines.slice(1).map((l) => l.trim().split(' ')[0])).toEqual(['gha', 'registry', 'inline', 'off']);
    expect(lines[2]).toContain('registry cache localhost:5000/acme/app:buildcache-tag-v1 (mode=max), read from buildcache-tag-v1, buildcache-main');
    expect(lines[3]).toContain('GitHub-hosted runners out of the box): inline cache in the pushed image, read from 1.2.3, 1.2, main');
    expect(lines[4]).toBe('  off without buildx');
  });

  it('a pull request that pushes nothing writes no registry cache, and says so', async () => {
    const facts = await readLocalFacts(repo().dir, { ref: 'refs/pull/7/merge' });
    const { inputs, plan } = planOf(facts, { image: 'localhost:5000/acme/app' });
    const registry = describeCacheOutlook(facts, inputs, plan).find((l) => l.startsWith('  registry'))!;
    expect(registry).toContain('registry cache (read only), read from buildcache-pr-7, buildcache-main; nothing is pushed');
  });

  it('a forced backend: its refs, and what the run checks for it', async () => {
    const facts = await readLocalFacts(repo().dir, { ref: 'main' });
    const lines = (cache: string): string[] => {
      const { inputs, plan } = planOf(facts, { image: 'acme/app', cache });
      return describeCacheOutlook(facts, inputs, plan);
    };
    expect(lines('registry')).toEqual([
      'Cache: registry (cache: registry): registry cache docker.io/acme/app:buildcache-main (mode=max), read from buildcache-main',
      '  note: needs a builder that can export cache (the containerd image store, docker-container, remote); the run checks that against the engine before login and build, and fails there without it',
    ]);
    expect(lines('gha')[0]).toBe('Cache: gha (cache: gha): GitHub Actions cache, scope autobuild/docker.io-acme-app/main (mode=max), read from main');
    expect(lines('off')).toEqual(['Cache: off (cache: off)']);
  });

  it('several builds: a line each, named', async () => {
    const facts = await readLocalFacts(repo({ Dockerfile: 'FROM scratch\n', 'alt/Dockerfile': 'FROM scratch\n' }).dir, { ref: 'main' });
    const rules = "- source-type: branch\n  source: main\n  tag: latest\n- source-type: branch\n  source: main\n  tag: alt\n  dockerfile: alt/Dockerfile";
    const { inputs, plan } = planOf(facts, { image: 'acme/app', rules, cache: 'registry' });
    const lines = describeCacheOutlook(facts, inputs, plan);
    expect(lines[0]).toBe('Cache: registry (cache: registry):');
    expect(lines[1]).toMatch(/^  rule 1 .*: registry cache docker\.io\/acme\/app:buildcache-main /);
    expect(lines[2]).toMatch(/^  rule 2 .*: registry cache docker\.io\/acme\/app:buildcache-alt-main /);
  });
});

describe('planExtras', () => {
  it('names a build without hooks or autotests, and says when the hooks are off', async () => {
    const facts = await readLocalFacts(repo().dir, { ref: 'main' });
    for (const [given, text] of [
      [{}, 'Hooks and autotests of default: none found next to the Dockerfile (.)'],
      [{ hooks: 'off' }, 'Hooks and autotests of default: none found next to the Dockerfile (.), hooks: off'],
      [{ hooks: 'off', 'test-compose': 'off' }, 'Hooks and autotests of default: hooks: off, test-compose: off'],
    ] as const) {
      const { inputs, plan } = planOf(facts, { image: 'acme/app', ...given });
      expect(planExtras(facts, inputs, plan, dockerHubFiles(plan, inputs))[0]).toBe(text);
    }
  });

  it('a pull request preview: pushed only with credentials the run has', async () => {
    const facts = await readLocalFacts(repo().dir, { ref: 'refs/pull/7/merge' });
    const { inputs, plan } = planOf(facts, { image: 'acme/app', 'pr-preview': 'true' });
    expect(plan.push).toMatchObject({ enabled: true });
    expect(planExtras(facts, inputs, plan, dockerHubFiles(plan, inputs))).toContain(
      'Push at run time without credentials: no, no credentials for docker.io: pull request #7 is built and tested, not pushed (give username and password, or registry-auth, to push previews)',
    );
    const mainFacts = await readLocalFacts(facts.workspace, { ref: 'main' });
    const branch = planOf(mainFacts, { image: 'acme/app' });
    expect(planExtras(mainFacts, branch.inputs, branch.plan, dockerHubFiles(branch.plan, branch.inputs)).join('\n')).not.toContain('without credentials');
  });
});

describe('planExtras: a hooks/build build', () => {
  it('says autobuild gives it no cache; a fork, whose hooks do not run, is not told so', async () => {
    const dir = repo({ Dockerfile: 'FROM scratch\n', 'hooks/build': '#!/bin/sh\n' }).dir;
    const note = 'note: hooks/build replaces the build of default: it gets no cache from autobuild';
    const own = await readLocalFacts(dir, { ref: 'main' });
    const o = planOf(own, { image: 'acme/app' });
    expect(planExtras(own, o.inputs, o.plan, dockerHubFiles(o.plan, o.inputs)).join('\n')).toContain(note);
    const fork = await readLocalFacts(dir, { ref: 'refs/pull/2/merge', fork: true });
    const f = planOf(fork, { image: 'acme/app' });
    expect(planExtras(fork, f.inputs, f.plan, dockerHubFiles(f.plan, f.inputs)).join('\n')).not.toContain(note);
  });
});

describe('the Plan group shared with the run', () => {
  const dockerHub = { Dockerfile: 'FROM scratch\n', 'hooks/pre_build': '#!/bin/sh\n', 'hooks/push': '#!/bin/sh\n', 'docker-compose.test.yml': 'services:\n  sut:\n    image: x\n' };

  it("lists the hooks and autotest files found, and for a fork's code that they do not run", async () => {
    const dir = repo(dockerHub).dir;
    const own = planOf(await readLocalFacts(dir, { ref: 'main' }), { image: 'acme/app' });
    const ownFiles = dockerHubFiles(own.plan, own.inputs);
    expect(ownFiles.hooks[0]!.size).toBe(2);
    expect(ownFiles.autotests[0]).toEqual([path.join(dir, 'docker-compose.test.yml')]);
    const ownLines = planGroupLines(await readLocalFacts(dir, { ref: 'main' }), own.inputs, own.plan, ownFiles);
    expect(ownLines).toContain('Hooks of default (hooks): pre_build, push (replaces the default push)');
    expect(ownLines).toContain('Autotest of default: docker-compose.test.yml');

    const forkFacts = await readLocalFacts(dir, { ref: 'refs/pull/3/merge', fork: true });
    const fork = planOf(forkFacts, { image: 'acme/app' });
    const forkFiles = dockerHubFiles(fork.plan, fork.inputs);
    expect(forkFiles.found[0]!.size).toBe(2);
    expect(forkFiles.hooks[0]!.size).toBe(0);
    expect(forkFiles.autotests[0]).toEqual([]);
    expect(planGroupLines(forkFacts, fork.inputs, fork.plan, forkFiles)).toContain('Hooks of default (hooks): pre_build, push (not run: pull request #3 comes from a fork)');
  });
});

describe('printPlan', () => {
  it('prints the tags, the push decision, the Docker Hub files and the cache, for the repository name when no image is given', async () => {
    const facts = await readLocalFacts(repo({ Dockerfile: 'FROM scratch\n', 'hooks/post_push': '#!/bin/sh\n' }).dir, { ref: 'refs/tags/v1.2.3' });
    const text = await planText(facts, {});
    expect(text).toContain(`note: no --image given: planned for ${placeholderImage(facts)}, the repository's name`);
    for (const tag of ['1.2.3', '1.2', '1', 'latest']) expect(text).toMatch(new RegExp(`^  tag ${tag.replace(/\./g, '\\.')} +<- `, 'm'));
    expect(text).toContain('Push: yes, push event on refs/tags/v1.2.3');
    expect(text).toContain('Hooks of default (hooks): post_push');
    expect(text).toContain('Cache: auto, decided at run time');
  });

  it('bad input throws the run’s own error; a missing Dockerfile and an autotest without sut fail after the plan is shown', async () => {
    const facts = await readLocalFacts(repo({ Dockerfile: 'FROM scratch\n', 'docker-compose.test.yml': 'services:\n  app:\n    image: x\n' }).dir, { ref: 'main' });
    await expect(planText(facts, { cache: 's3' })).rejects.toThrow("Input 'cache' has an invalid value 's3': expected one of auto, registry, gha, local, inline, off.");
    await expect(planText(facts, { image: 'acme/app', file: 'nope/Dockerfile' })).rejects.toThrow("No Dockerfile at '");
    await expect(planText(facts, { image: 'acme/app' })).rejects.toThrow(/docker-compose\.test\.yml.*sut/);
  });
});
