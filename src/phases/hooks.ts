import * as core from '@actions/core';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Facts } from '../context.js';
import { UserError } from '../errors.js';
import { customCompression } from '../engine/compression.js';
import { currentDeadline, PhaseTimeout, withinPhase } from '../engine/deadline.js';
import { execCommand, tail, type ExecResult } from '../engine/exec.js';
import { imageId } from '../engine/image.js';
import { DOCKER_HUB, type ImageRef } from '../plan/images.js';
import type { BuildPlan } from '../plan/plan.js';
import { tagLocalName } from './build.js';
import { callsComposeV1, prepareHookTools, type HookTools } from './hook-tools.js';
import { timed, type BuildUnit, type RunContext } from './run-context.js';

/** Docker Hub's hooks, in the order Docker Hub ran them. */
export const HOOK_NAMES = [
  'post_checkout',
  'pre_build',
  'build',
  'post_build',
  'pre_test',
  'test',
  'post_test',
  'pre_push',
  'push',
  'post_push',
] as const;
export type HookName = (typeof HOOK_NAMES)[number];

/**
 * The phase whose time limit (input `timeout`) a hook runs under: the hooks around and in place
 * of a step belong to that step. Pure.
 */
export function hookPhase(name: HookName): 'build' | 'test' | 'push' {
  const i = HOOK_NAMES.indexOf(name);
  return i < HOOK_NAMES.indexOf('pre_test') ? 'build' : i < HOOK_NAMES.indexOf('pre_push') ? 'test' : 'push';
}

/** The hooks that run once per repository, only when pushing. */
const PUSH_HOOKS: readonly HookName[] = ['pre_push', 'push', 'post_push'];

/** The hooks of one build that exist on disk: name -> absolute path. */
export type HookSet = Map<HookName, string>;

/** `hooks/` next to the Dockerfile, as on Docker Hub (whatever the build context is). */
export function hooksDir(build: Pick<BuildPlan, 'file'>): string {
  return path.join(path.dirname(build.file), 'hooks');
}

export function findHooks(build: Pick<BuildPlan, 'file'>, mode: 'auto' | 'off'): HookSet {
  const found: HookSet = new Map();
  if (mode === 'off') return found;
  const dir = hooksDir(build);
  for (const name of HOOK_NAMES) {
    const file = path.join(dir, name);
    if (fs.existsSync(file) && fs.statSync(file).isFile()) found.set(name, file);
  }
  return found;
}

/** DOCKER_REPO as Docker Hub gave it: the repository with its registry (index.docker.io/acme/app). */
export function dockerRepo(image: Pick<ImageRef, 'registry' | 'path' | 'name'>): string {
  return image.registry === DOCKER_HUB ? `index.docker.io/${image.path}` : image.name;
}

export interface EnvSource {
  facts: Pick<Facts, 'branch' | 'tag' | 'sha' | 'commitMessage'>;
  build: Pick<BuildPlan, 'context' | 'file' | 'tags'>;
  image: Pick<ImageRef, 'registry' | 'path' | 'name'>;
  /** The `build-env` input: applied last, so it can override (DOCKER_BUILDKIT=0). */
  buildEnv: Record<string, string>;
}

/** The environment Docker Hub gave hooks and autotests. Pure. */
export function dockerHubEnv({ facts, build, image, buildEnv }: EnvSource): Record<string, string> {
  const repo = dockerRepo(image);
  const tag = build.tags[0]?.tag ?? '';
  return {
    SOURCE_BRANCH: facts.tag ?? facts.branch ?? '',
    SOURCE_COMMIT: facts.sha,
    // Docker Hub's builder also exported the commit as GIT_SHA1 (build hooks pass it as VCS_REF).
    GIT_SHA1: facts.sha,
    COMMIT_MSG: facts.commitMessage,
    DOCKER_REPO: repo,
    DOCKERFILE_PATH: path.relative(build.context, build.file),
    DOCKER_TAG: tag,
    IMAGE_NAME: `${repo}:${tag}`,
    CACHE_TAG: '',
    DOCKER_BUILDKIT: '1',
    // A hook's `docker build` makes a plain image, as Docker Hub's builder did: with the default
    // provenance attestation, the containerd image store pushes an index, which `docker manifest
    // create` (the per-architecture repositories' post_push) refuses as a part of a list.
    BUILDX_NO_DEFAULT_ATTESTATIONS: '1',
    ...buildEnv,
  };
}

/** The Docker Hub environment of a unit, plus DOCKER_CONFIG of the run (so `docker push` is logged in). */
export function unitEnv(ctx: RunContext, unit: BuildUnit, image: ImageRef = ctx.plan.images[0]!): Record<string, string> {
  const env: Record<string, string> = dockerHubEnv({ facts: ctx.facts, build: unit.build, image, buildEnv: ctx.inputs.buildEnv });
  for (const [k, v] of Object.entries(ctx.docker.env())) if (v !== undefined) env[k] = v;
  return env;
}

/** The hooks of a set that run Compose v1's `docker-compose` (read from their text). */
export function composeV1Hooks(hooks: HookSet): HookName[] {
  return [...hooks].filter(([, file]) => {
    try {
      return callsComposeV1(fs.readFileSync(file, 'utf8'));
    } catch {
      return false;
    }
  }).map(([name]) => name);
}

/**
 * Lines for the Plan group: the hooks and autotest files a build will run, or, with `notRun`, why
 * none of them runs, and which hooks call Compose v1's `docker-compose` (read from the hooks).
 */
export function describeDockerHub(build: string, hooks: HookSet, autotests: string[], workspace: string, notRun?: string): string[] {
  const lines: string[] = [];
  const off = notRun ? ` (not run: ${notRun})` : '';
  if (hooks.size) {
    const dir = path.relative(workspace, path.dirname([...hooks.values()][0]!)) || '.';
    const names = [...hooks.keys()].map((n) => (!notRun && (n === 'build' || n === 'test' || n === 'push') ? `${n} (replaces the default ${n === 'test' ? 'autotest' : n})` : n));
    lines.push(`Hooks of ${build} (${dir}): ${names.join(', ')}${off}`);
    const v1 = notRun ? [] : composeV1Hooks(hooks);
    if (v1.length) {
      lines.push(
        `${v1.map((n) => path.join(dir, n)).join(', ')} call${v1.length === 1 ? 's' : ''} docker-compose (Compose v1): it runs as docker compose (v2) through autobuild's v1-compatible docker-compose on the hooks' PATH (v1 container names, ps lists exited containers as "Exit 0").`,
      );
    }
  }
  if (autotests.length) lines.push(`Autotest of ${build}: ${autotests.map((f) => path.relative(workspace, f)).join(', ')}${off}`);
  return lines;
}

function hasShebang(file: string): boolean {
  const fd = fs.openSync(file, 'r');
  try {
    const head = Buffer.alloc(2);
    return fs.readSync(fd, head, 0, 2, 0) === 2 && head.toString() === '#!';
  } finally {
    fs.closeSync(fd);
  }
}

/** Runs the hooks of each build, in Docker Hub's order, each in a log group of its own. */
export class HookRunner {
  /** The hooks' PATH shims and buildx state (see HookTools), made before the first hook runs. */
  private tools?: HookTools;

  constructor(
    private readonly ctx: RunContext,
    private readonly sets: HookSet[],
  ) {}

  has(unit: BuildUnit, name: HookName): boolean {
    return this.sets[unit.index]?.has(name) ?? false;
  }

  /**
   * Runs a hook when the build has one; returns whether it ran. `image` selects DOCKER_REPO
   * (push hooks run once per repository). A non-zero exit fails the build, naming the hook.
   *
   * The hook runs under the time limit of its phase (hookPhase). The pipeline runs each phase's
   * hooks inside that phase, so they share its budget with the step they surround; a hook called
   * outside its phase gets a budget of its own.
   */
  async run(unit: BuildUnit, name: HookName, image?: ImageRef, platform?: string): Promise<boolean> {
    const file = this.sets[unit.index]?.get(name);
    if (!file) return false;
    // post_checkout, too, runs once per build (rule) with that build's variables, as on Docker
    // Hub, where each rule was a checkout of its own. Here the builds share one checkout: the
    // git shim (HookTools) lets a second `git fetch --unshallow` on it pass.
    const shown = path.relative(this.ctx.facts.workspace, file);
    const label = `${shown}${platform ? ` (${platform})` : ''}`;
    const env = unitEnv(this.ctx, unit, image);
    if (platform) env.DOCKER_DEFAULT_PLATFORM = platform;
    this.tools ??= prepareHookTools(this.ctx.docker.configDir ?? this.ctx.workDir);
    // The shims first on PATH (a PATH from build-env included); a BUILDX_CONFIG from build-env is kept.
    env.PATH = `${this.tools.bin}${path.delimiter}${env.PATH ?? process.env.PATH ?? ''}`;
    env.BUILDX_CONFIG ??= this.tools.buildxConfig;
    const phase = name === 'build' || name === 'test' || name === 'push' ? name : 'hooks';
    const limited = hookPhase(name);
    const exec = (): Promise<ExecResult> => this.exec(file, shown, env);
    const bounded = currentDeadline()?.phase === limited ? exec : () => withinPhase(limited, this.ctx.inputs.timeout[limited], exec);
    const started = Date.now();
    const r = await timed(this.ctx.report, phase, bounded, `${label}${image && this.ctx.plan.images.length > 1 ? ` (${env.DOCKER_REPO})` : ''}`);
    (unit.report.hooks ??= []).push(name);
    if (name === 'test') unit.report.tests.push({ name: label, platform, passed: r.code === 0, seconds: (Date.now() - started) / 1000, tail: r.code === 0 ? undefined : tail(r, 10) });
    if (r.code !== 0) {
      const before = HOOK_NAMES.indexOf(name) < HOOK_NAMES.indexOf('pre_push');
      throw new UserError(`The hook ${label} failed (exit ${r.code})${before ? '; nothing was pushed' : ''}.`);
    }
    return true;
  }

  private async exec(file: string, shown: string, env: Record<string, string>): Promise<ExecResult> {
    const runnable = (fs.statSync(file).mode & 0o111) !== 0;
    if (!runnable) {
      core.warning(`${shown} is not executable: running it with bash. Make it executable with: git update-index --chmod=+x ${shown}`);
    }
    const direct = runnable && hasShebang(file);
    // Docker Hub ran hooks from the Dockerfile's folder, whatever the build context.
    try {
      return await execCommand(direct ? file : 'bash', direct ? [] : [file], { cwd: path.dirname(path.dirname(file)), env, stream: true, isolated: true });
    } catch (error) {
      // Out of time: say which hook, and (PhaseTimeout's message) which `timeout` value raises the limit.
      if (error instanceof PhaseTimeout) throw new PhaseTimeout(error.phase, error.limitMs, `the hook ${shown}`, error.stopped);
      throw error;
    }
  }

  /**
   * Before the push hooks of one repository: the tested image carries that repository's
   * $IMAGE_NAME, so `docker push "$IMAGE_NAME"` (hooks/push) or `docker tag "$IMAGE_NAME" ...`
   * (pre_push, post_push) acts on it for every repository of `image`, not only the first. Tagged
   * from the image id, so a name another run moved meanwhile points back at this run's image.
   * The name is one of the build's own references (as the pushes leave them), not a run-local one.
   */
  async nameForPush(unit: BuildUnit, image: ImageRef): Promise<void> {
    // A hooks/build that made other names (unit.report.hookImages) leaves its push hooks the names it made.
    if (!PUSH_HOOKS.some((name) => this.has(unit, name)) || !unit.report.imageId) return;
    await this.ctx.docker.tag(unit.report.imageId, unitEnv(this.ctx, unit, image).IMAGE_NAME!);
  }

  /**
   * hooks/build in place of the default build. The image it tagged as $IMAGE_NAME is the one
   * tested and pushed: its id is read back from the engine. Returns false when there is no hook.
   *
   * A hook may build other names instead ($IMAGE_NAME-amd64 and $IMAGE_NAME-arm64, or a buildx
   * build that pushes and loads nothing) when hooks/push pushes what it built, as Docker Hub
   * allowed: the build then has no image of autobuild's. The autotest files run as written
   * (Compose builds and pulls what they say), no test-command runs, and the push hooks act alone.
   */
  async build(unit: BuildUnit): Promise<boolean> {
    if (!this.has(unit, 'build')) return false;
    const { buildArgs, target, secrets, platforms, compression } = this.ctx.inputs;
    const custom = compression !== undefined && customCompression(compression);
    const ignored = [buildArgs.length && 'build-args', target && 'target', secrets.length && 'secrets', platforms.length && 'platforms', custom && 'compression'].filter(Boolean);
    if (ignored.length) core.warning(`hooks/build builds the image itself: the inputs ${ignored.join(', ')} are not applied (pass them in the hook, e.g. from build-env).`);
    const br = unit.report;
    const env = unitEnv(this.ctx, unit);
    const wanted = env.IMAGE_NAME!;
    const shown = path.relative(this.ctx.facts.workspace, this.sets[unit.index]!.get('build')!);
    // Whatever carries the name now (an earlier run on this runner) must not pass for the hook's result.
    await this.ctx.docker.removeImages([wanted], { noPrune: true });
    const before = await repositoryImages(this.ctx, env.DOCKER_REPO!);
    await this.run(unit, 'build');
    const id = await imageId(this.ctx.docker, wanted);
    if (!id) {
      const made = [...(await repositoryImages(this.ctx, env.DOCKER_REPO!))].filter(([name, image]) => before.get(name) !== image).map(([name]) => name).sort();
      const madeText = made.length ? `it made ${made.join(', ')}` : `it left no image of ${env.DOCKER_REPO} in the engine (a buildx build without --load, or one that pushed)`;
      if (!this.has(unit, 'push')) {
        throw new UserError(
          `${shown} finished but there is no image ${wanted} (${madeText}): a build hook must tag what it builds as $IMAGE_NAME ` +
            `(docker build -f $DOCKERFILE_PATH -t $IMAGE_NAME .), which autobuild tests and pushes, or come with a hooks/push that pushes what it built. Nothing was pushed.`,
        );
      }
      if (this.ctx.inputs.testCommand) {
        throw new UserError(`${shown} made no image ${wanted} (${madeText}), and test-command runs inside that image: tag it as $IMAGE_NAME in the hook, or test in hooks/test or an autotest file. Nothing was pushed.`);
      }
      unit.report.hookImages = made;
      core.info(`${shown} made no ${wanted}; ${madeText}. hooks/push pushes what it built, as on Docker Hub: autobuild runs the autotest files as they are written, and reports no image id or digest of its own.`);
      return true;
    }
    const local = br.refs[0]!;
    if ((await imageId(this.ctx.docker, local)) !== id) await this.ctx.docker.tag(id, local);
    // The name only this run owns, as the default build gives it: the autotests run on it.
    await tagLocalName(this.ctx, unit, id);
    br.imageId = id;
    core.info(`hooks/build built ${id} as ${wanted}: this image is tested and pushed.`);
    return true;
  }

  /**
   * After hooks/test and post_test: a hook that built $IMAGE_NAME again (docker build -t
   * $IMAGE_NAME --target test) does not change what is pushed. Docker Hub pushed whatever the name
   * held by then; autobuild pushes the image of the build step, which its tests ran on, and says so.
   */
  async checkNameAfterTests(unit: BuildUnit): Promise<void> {
    const id = unit.report.imageId;
    if (!id || !(this.has(unit, 'test') || this.has(unit, 'post_test'))) return;
    const wanted = unitEnv(this.ctx, unit).IMAGE_NAME!;
    const now = await imageId(this.ctx.docker, wanted);
    if (now === id) return;
    const hooks = (['test', 'post_test'] as const).filter((n) => this.has(unit, n)).map((n) => `hooks/${n}`).join(' or ');
    core.warning(
      `${hooks} ${now ? `built ${wanted} again (now ${now})` : `removed ${wanted}`}: autobuild pushes the image of the build step, ${id}, not ${now ? 'that one' : 'nothing'}. ` +
        `Docker Hub pushed whatever $IMAGE_NAME held after the tests; to push an image a hook builds, build it in hooks/build, and give a test image a name of its own ($IMAGE_NAME-test).`,
      { title: 'The tests changed $IMAGE_NAME' },
    );
  }
}

/** The images of a repository in the engine: tagged name -> image id. Empty when the engine does not answer. */
async function repositoryImages(ctx: RunContext, repo: string): Promise<Map<string, string>> {
  const r = await ctx.docker.run(['images', '--no-trunc', '--format', '{{.Repository}}:{{.Tag}} {{.ID}}', repo]).catch(() => undefined);
  const found = new Map<string, string>();
  for (const line of r?.code === 0 ? r.stdout.split('\n') : []) {
    const [name, id] = line.trim().split(' ');
    if (name && id && !name.endsWith(':<none>')) found.set(name, id);
  }
  return found;
}
