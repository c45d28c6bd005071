import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { APP_FILES, makeRepo, testRepositories, type Repo } from './fixtures.js';
import { pullRequestEvent, pushEvent, ROOT, runAction, shownLog, type Event, type StepResult } from './runner.js';
import { REGISTRY, REGISTRY_PASSWORD, REGISTRY_USER, registryTags } from './world.js';

/**
 * `autobuild init` (the bundled dist/cli.js) writes a workflow for a repository shaped like a
 * Docker Hub autobuild one; the workflow's autobuild step is then run as GitHub would run it for
 * an event: the job whose `if:` holds for the event, its `with:` with the workflow's expressions
 * given the test registry's credentials, through the runner emulation (dist/index.js).
 */
const repos = testRepositories();
const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
});

const WORKFLOW = '.github/workflows/image.yml';

/** A Docker Hub autobuild repository: Dockerfile, hooks/pre_build and post_push, an autotest with sut. */
function dockerHubRepo(more: Record<string, string> = {}): Repo {
  const repo = makeRepo({
    ...APP_FILES,
    'hooks/pre_build': '#!/bin/sh\necho "pre_build hook for $DOCKER_TAG"\n',
    'hooks/post_push': '#!/bin/sh\nset -e\ndocker tag "$IMAGE_NAME" "$DOCKER_REPO:$SOURCE_COMMIT"\ndocker push "$DOCKER_REPO:$SOURCE_COMMIT"\n',
    'docker-compose.test.yml': 'services:\n  sut:\n    build: .\n    entrypoint: ["sh", "-c", "/app.sh | grep -q \'hello from app\'"]\n',
    ...more,
  });
  dirs.push(repo.dir);
  return repo;
}

/** Runs dist/cli.js as a user's shell would (no runner variables, standard input not a terminal). */
function cli(args: string[], cwd = os.tmpdir()): Promise<StepResult> {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!/^(GITHUB_|RUNNER_|INPUT_|STATE_|ACTIONS_)/.test(k)) env[k] = v;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(ROOT, 'dist/cli.js'), ...args], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}

type Step = { uses?: string; with?: Record<string, unknown> };
interface Workflow {
  on: { push: { branches?: string[]; tags?: string[] }; pull_request: unknown; schedule: { cron: string }[] };
  jobs: Record<string, { if?: string; steps: Step[] }>;
}

const readWorkflow = (repo: Repo): Workflow => parse(fs.readFileSync(path.join(repo.dir, WORKFLOW), 'utf8')) as Workflow;

/** The values the repository's secrets and variables hold in this test world. */
const SETTINGS: Record<string, string> = { 'vars.REGISTRY_USERNAME': REGISTRY_USER, 'secrets.REGISTRY_PASSWORD': REGISTRY_PASSWORD };

/** A value with its ${{ }} expressions resolved as GitHub would; an expression the test world has no value for fails. */
function resolve(value: unknown): string {
  return String(value).replace(/\$\{\{\s*([^}]*?)\s*\}\}/g, (_, expr: string) => {
    const v = SETTINGS[expr];
    if (v === undefined) throw new Error(`the workflow uses \${{ ${expr} }}, which the test world gives no value`);
    return v;
  });
}

/** A job's `if:` for an event: the workflow's conditions compare github.event_name only. */
function jobRuns(condition: string | undefined, event: Event): boolean {
  if (!condition) return true;
  const m = /^github\.event_name (==|!=) '([a-z_]+)'$/.exec(condition);
  if (!m) throw new Error(`an if: the test does not read: ${condition}`);
  return (m[1] === '==') === (event.name === m[2]);
}

/** The one job that runs for the event, its steps checkout then autobuild, and the autobuild step's inputs resolved. */
function stepFor(wf: Workflow, event: Event): { job: string; inputs: Record<string, string> } {
  const jobs = Object.entries(wf.jobs).filter(([, job]) => jobRuns(job.if, event));
  expect(jobs.map(([name]) => name)).toHaveLength(1);
  const [job, { steps }] = jobs[0]!;
  expect(steps.map((s) => s.uses)).toEqual(['actions/checkout@v5', 'OWNER/autobuild@v1']);
  const inputs = Object.fromEntries(Object.entries(steps[1]!.with ?? {}).map(([k, v]) => [k, resolve(v)]));
  return { job, inputs };
}

describe('autobuild init: a workflow the runner emulation runs green', () => {
  it('a Docker Hub repository: push to main builds, runs the autotest and the hooks, and pushes; a pull request pushes nothing', async () => {
    const repo = dockerHubRepo();
    const name = repos('init');
    const r = await cli(['init', '--image', `${REGISTRY}/${name}`, repo.dir]);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toContain(`Wrote ${path.relative(os.tmpdir(), path.join(repo.dir, WORKFLOW))}`);
    expect(r.stdout).toContain('Dockerfile: hooks pre_build, post_push; autotest docker-compose.test.yml');
    expect(r.stdout).toMatch(/variable REGISTRY_USERNAME +your user name on localhost:\d+/);
    expect(r.stdout).toMatch(/secret +REGISTRY_PASSWORD +a password or access token/);
    expect(r.stdout).toContain('gh secret set REGISTRY_PASSWORD');

    const wf = readWorkflow(repo);
    expect(wf.on.push).toEqual({ branches: ['main'], tags: ['v*'] });
    expect(wf.on).toHaveProperty('pull_request');
    expect(wf.on.schedule[0]!.cron).toMatch(/^\d+ \d+ \* \* \d$/);
    // The scheduled job: the same step with rebuild: base-changed (only its shape is checked here).
    const scheduled = stepFor(wf, { name: 'schedule', ref: 'refs/heads/main', sha: repo.sha, payload: {} });
    expect(scheduled.job).toBe('rebuild');
    expect(scheduled.inputs.rebuild).toBe('base-changed');

    // The workflow is committed, then pushed to main: the push filter lets it in.
    const sha = repo.commit({}, 'Build the image with autobuild');
    const push = pushEvent('refs/heads/main', sha);
    expect(wf.on.push.branches).toContain('main');
    const { job, inputs } = stepFor(wf, push);
    expect(job).toBe('image');
    expect(inputs).toEqual({ image: `${REGISTRY}/${name}`, username: REGISTRY_USER, password: REGISTRY_PASSWORD });
    const run = await runAction({ workspace: repo.dir, inputs, event: push });
    const log = shownLog(run);
    expect(run.code, log).toBe(0);
    expect(run.outputs.pushed).toBe('true');
    expect(log).toContain('pre_build hook for latest');
    expect(log).toMatch(/autotest docker-compose\.test\.yml/);
    expect((await registryTags(name)).sort()).toEqual(['latest', 'main', `sha-${sha.slice(0, 7)}`, sha].sort());

    // A pull request: the same job, built and tested, nothing pushed.
    const pr = pullRequestEvent(3, sha);
    const prRun = await runAction({ workspace: repo.dir, inputs: stepFor(wf, pr).inputs, event: pr });
    expect(prRun.code, shownLog(prRun)).toBe(0);
    expect(prRun.outputs.pushed).toBe('false');
    expect((await registryTags(name)).sort()).toEqual(['latest', 'main', `sha-${sha.slice(0, 7)}`, sha].sort());
  });

  it('two Dockerfiles: rules, one build each, pushed under their own tags', async () => {
    const repo = dockerHubRepo({ 'slim/Dockerfile': APP_FILES.Dockerfile!, 'slim/app.sh': '#!/bin/sh\necho slim\n' });
    const name = repos('init');
    const r = await cli(['init', '--image', `${REGISTRY}/${name}`], repo.dir);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toContain('Build rules: 4, one pair a Dockerfile (review their tags)');
    const wf = readWorkflow(repo);
    expect(wf.on.push).toEqual({ branches: ['main'], tags: ['**'] });
    const push = pushEvent('refs/heads/main', repo.commit({}, 'Build the images with autobuild'));
    const { inputs } = stepFor(wf, push);
    expect(inputs.rules).toContain('source: /^v([0-9.]+)$/');
    const run = await runAction({ workspace: repo.dir, inputs, event: push });
    expect(run.code, shownLog(run)).toBe(0);
    expect((await registryTags(name)).filter((t) => !/^[0-9a-f]{40}$/.test(t)).sort()).toEqual(['latest', 'slim']);
  });
});

describe('autobuild init: what it refuses', () => {
  it('an existing workflow is not overwritten without --force; --force overwrites it', async () => {
    const repo = dockerHubRepo();
    const file = path.join(repo.dir, WORKFLOW);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, 'name: mine\n');
    const refused = await cli(['init', '--image', 'acme/app', '.'], repo.dir);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(`autobuild init: ${WORKFLOW} already exists; nothing was written. Give --force to overwrite it`);
    expect(fs.readFileSync(file, 'utf8')).toBe('name: mine\n');

    const printed = await cli(['init', '--image', 'acme/app', '--stdout', '.'], repo.dir);
    expect(printed.code, printed.stderr).toBe(0);
    expect(fs.readFileSync(file, 'utf8')).toBe('name: mine\n');

    const forced = await cli(['init', '--image', 'acme/app', '--force', '.'], repo.dir);
    expect(forced.code, forced.stderr).toBe(0);
    expect(fs.readFileSync(file, 'utf8')).toBe(printed.stdout);
    expect(readWorkflow(repo).jobs.image!.steps[1]!.with).toMatchObject({ image: 'acme/app', password: '${{ secrets.DOCKERHUB_TOKEN }}' });
  });

  it('no --image and no terminal to ask on: fails naming --image, writes nothing', async () => {
    const repo = dockerHubRepo();
    const r = await cli(['init', repo.dir]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('give --image NAME');
    expect(fs.existsSync(path.join(repo.dir, WORKFLOW))).toBe(false);
  });

  it('a rule table with a mistake: the line is named, nothing is written', async () => {
    const repo = dockerHubRepo();
    fs.writeFileSync(path.join(repo.dir, 'rules.tsv'), 'Source Type\tSource\tDocker Tag\nBranch\tmain\tlatest\nTag\t/^v([0-9.]+)$/\t{\\2}\n');
    const r = await cli(['init', '--image', 'acme/app', '--rules', 'rules.tsv'], repo.dir);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("autobuild init: rules.tsv line 3: tag '{\\2}' uses {\\2} but source /^v([0-9.]+)$/ has 1 capture group");
    expect(fs.existsSync(path.join(repo.dir, WORKFLOW))).toBe(false);

    fs.writeFileSync(path.join(repo.dir, 'rules.tsv'), 'Source Type\tSource\tDocker Tag\nBranch\tmain\tlatest\nTag\t/^v([0-9.]+)$/\t{\\1}\n');
    const ok = await cli(['init', '--image', 'acme/app', '--rules', 'rules.tsv'], repo.dir);
    expect(ok.code, ok.stderr).toBe(0);
    expect(readWorkflow(repo).on.push).toEqual({ branches: ['main'], tags: ['**'] });
  });
});
