import * as core from '@actions/core';
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { UserError } from '../errors.js';
import { yamlLib } from '../yaml.js';
import { ComposeProject, failed, pointAtImage, projectName, readAutotestFile } from '../engine/compose.js';
import { tail } from '../engine/exec.js';
import { execFormatHint } from '../engine/platforms.js';
import { runTestCommand } from '../engine/run.js';
import type { Inputs } from '../inputs.js';
import type { BuildPlan } from '../plan/plan.js';
import { untrusted } from '../plan/trust.js';
import { saveState } from '../state.js';
import { testOptionArgs } from '../test-options.js';
import { unitEnv, type HookSet } from './hooks.js';
import type { BuildUnit, RunContext } from './run-context.js';

/** Docker Hub's autotest file names: docker-compose.test.yml, *.test.yml, *-test.yml. */
const AUTOTEST = /[.-]test\.yml$/;

/**
 * The compose test files of a build: the `test-compose` paths, or (auto) every autotest file next
 * to its Dockerfile, docker-compose.test.yml first, then by name. With auto, hooks/test replaces them.
 */
export function autotestsFor(build: Pick<BuildPlan, 'file'>, mode: Inputs['testCompose'], hooks: HookSet): string[] {
  if (mode === 'off') return [];
  if (Array.isArray(mode)) return mode;
  if (hooks.has('test')) return [];
  const dir = path.dirname(build.file);
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir)
    .filter((name) => AUTOTEST.test(name) && fs.statSync(path.join(dir, name)).isFile())
    .sort((a, b) => Number(b === 'docker-compose.test.yml') - Number(a === 'docker-compose.test.yml') || a.localeCompare(b))
    .map((name) => path.join(dir, name));
}

/** Reads every autotest file before any work: a file without `sut` fails here, naming the file. */
export function checkAutotests(files: string[], workspace: string): void {
  for (const file of files) readAutotestFile(file, path.relative(workspace, file));
}

/**
 * The default test step: `test-command` inside the image just built, then each compose
 * autotest file. Each runs in a log group of its own; throws when a test fails.
 */
export async function testImage(ctx: RunContext, unit: BuildUnit, autotests: string[] = []): Promise<void> {
  // Each platform's image is tested inside itself, one platform after the other (an emulated one
  // under its emulator); one that fails stops the run before anything is pushed.
  for (const [p, platform] of testPlatforms(ctx.inputs.platforms).entries()) {
    const on = platform ? ` (${platform})` : '';
    if (ctx.inputs.testCommand) await core.group(`test-command${on}`, () => runCommand(ctx, unit, platform, p));
    for (const [i, file] of autotests.entries()) {
      await core.group(`autotest ${path.relative(ctx.facts.workspace, file)}${on}`, () => runAutotest(ctx, unit, file, i, platform));
    }
  }
}

/**
 * The test container of a build: named after the run's id (Docker.runId), so two runs on one
 * engine (runners sharing a host, concurrent jobs) never take each other's name, and a timeout
 * that removes the container by name removes only this run's. Pure.
 */
export function testContainerName(runId: string | undefined, index: number, platformIndex = 0): string {
  return `autobuild-test-${runId ?? process.pid}-${index}${platformIndex ? `-p${platformIndex}` : ''}`;
}

/**
 * The platforms to test on: each of `platforms` (also a single one, which may not be the
 * engine's own), or the engine's own platform (undefined) when none is given. Pure.
 */
export function testPlatforms(platforms: string[]): (string | undefined)[] {
  return platforms.length ? platforms : [undefined];
}

async function runCommand(ctx: RunContext, unit: BuildUnit, platform?: string, platformIndex = 0): Promise<void> {
  const { report: br, index } = unit;
  const command = ctx.inputs.testCommand;
  const started = Date.now();
  // Until the container is known to be gone, the post step looks for it (a cancelled or crashed run).
  const options = testOptionArgs(ctx.inputs.testOptions, !untrusted(ctx.plan.trust));
  if (options.dropped.length && platformIndex === 0) {
    core.info(`test-options: ${options.dropped.join(', ')} left out: code that is not a writer's gets none of the runner's variables, network, shared memory or devices (${ctx.plan.trust.why}).`);
  }
  saveState({ testContainers: 'true' });
  const r = await runTestCommand(ctx.docker, br.imageId!, command, testContainerName(ctx.docker.runId, index, platformIndex), undefined, platform, options.args);
  // `docker run --rm` returns once the container is removed; 125 is docker's own failure, where it may not be.
  if (r.code !== 125) saveState({ testContainers: '' });
  const passed = r.code === 0;
  const on = platform ? ` (${platform})` : '';
  br.tests.push({ name: `test-command${on}: ${command}`, platform, passed, seconds: (Date.now() - started) / 1000, tail: passed ? undefined : tail(r, 10) });
  if (!passed) {
    const hint = execFormatHint(`${r.stdout}\n${r.stderr}`, platform ? [platform] : []);
    throw new UserError(`The test command failed (exit ${r.code}) inside ${br.refs[0]}${platform ? ` for ${platform}` : ''}; nothing was pushed.${hint ? ` ${hint}` : ''}`);
  }
}

/** Compose projects started and not yet removed, kept in the state so the post step can remove them. */
const open = new Map<string, string>();

function remember(project: string, file?: string): void {
  if (file === undefined) open.delete(project);
  else open.set(project, file);
  saveState({ composeProjects: JSON.stringify([...open].map(([name, f]) => ({ name, file: f }))) });
}

/** One autotest file, Docker Hub style: start sut and its dependencies; sut's exit code decides. */
async function runAutotest(ctx: RunContext, unit: BuildUnit, file: string, i: number, platform?: string): Promise<void> {
  const br = unit.report;
  const shown = path.relative(ctx.facts.workspace, file);
  const project = projectName('autobuild', ctx.docker.runId ?? process.pid, unit.index, i, crypto.randomBytes(3).toString('hex'));
  const started = Date.now();
  let passed = false;
  const parsed = readAutotestFile(file, shown);
  fs.mkdirSync(ctx.workDir, { recursive: true });
  let source = file;
  if (parsed.legacy) {
    source = path.join(ctx.workDir, `${project}.v2.yml`);
    fs.writeFileSync(source, yamlLib().stringify(parsed.doc), { mode: 0o600 });
    core.info(`${shown} is in Compose v1 format (services at the top level): running it as Compose v2.`);
  }
  // $IMAGE_NAME keeps its Docker Hub meaning (repository:tag): `image: ${IMAGE_NAME}` then names one
  // of the planned repositories, and pointAtImage moves such services to the run-local name, which
  // no other run on this engine can re-tag (br.refs[0] can be, by a run of the same branch).
  const tested = unit.localRef ?? br.refs[0]!;
  let compose = new ComposeProject(ctx.docker, project, path.dirname(file), [source], unitEnv(ctx, unit));
  remember(project, source);
  try {
    // A hooks/build that made other names than $IMAGE_NAME (HookRunner.build): the file runs as written.
    const { model, services } = unit.report.hookImages ? { model: await compose.config(), services: [] } : pointAtImage(await compose.config(), {
      ref: tested,
      context: unit.build.context,
      file: unit.build.file,
      target: ctx.inputs.target,
      repositories: ctx.plan.images.map((image) => image.name),
      platform,
    });
    if (unit.report.hookImages) {
      core.info(`hooks/build made no $IMAGE_NAME: ${shown} runs as written; Compose builds and pulls what it names.`);
    } else if (services.length) {
      core.info(`Services on the image just built (${br.imageId ?? tested} as ${tested}, not rebuilt, not pulled): ${services.join(', ')}`);
    } else {
      core.warning(`No service of ${shown} uses the image just built: write 'build: .' or 'image: \${IMAGE_NAME}' for the service to test.`);
    }
    const resolved = path.join(ctx.workDir, `${project}.json`);
    fs.writeFileSync(resolved, JSON.stringify(model, null, 2), { mode: 0o600 });
    compose = compose.withFiles([resolved]);
    remember(project, resolved);

    core.info(`Compose project ${project}: starting sut and what it depends on.`);
    const up = await compose.up('sut');
    const sut = (await compose.ps()).find((c) => c.service === 'sut');
    if (up.code !== 0 || !sut) {
      await compose.logs(await compose.ps());
      throw new UserError(`Autotest ${shown}: sut could not start: ${tail(up, 2)}. Nothing was pushed.`);
    }
    const code = await compose.wait(sut.id);
    const containers = await compose.ps();
    const broken = containers.filter((c) => c.service !== 'sut' && failed(c));
    await compose.logs([...containers.filter((c) => c.service === 'sut'), ...broken]);
    if (broken.length) core.info(`Failed dependencies: ${broken.map((c) => c.service).join(', ')}.`);
    core.info(`sut exited with ${code}.`);
    passed = code === 0;
    if (!passed) throw new UserError(`Autotest ${shown}${platform ? ` (${platform})` : ''} failed: sut exited with ${code}. Nothing was pushed.`);
  } finally {
    br.tests.push({ name: `autotest ${shown}${platform ? ` (${platform})` : ''}`, platform, passed, seconds: (Date.now() - started) / 1000 });
    const down = await compose.down();
    if (down.code === 0) remember(project);
    else core.warning(`Could not remove compose project ${project}: ${tail(down, 2)}`);
  }
}
