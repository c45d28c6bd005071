import * as core from '@actions/core';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { UserError } from '../errors.js';
import { yamlLib } from '../yaml.js';
import { parseImage } from '../plan/images.js';
import type { Docker } from './docker.js';
import { tail, type ExecResult } from './exec.js';

/** A compose model as `docker compose config --format json` prints it. */
export type ComposeModel = { services?: Record<string, Record<string, unknown>> } & Record<string, unknown>;

/** What a compose test may refer to as "the image just built". */
export interface BuiltImage {
  /** Local reference of the tested image (tagged in the engine; never pulled, never rebuilt). */
  ref: string;
  /** Build context and Dockerfile of the build (absolute). */
  context: string;
  file: string;
  /** The build's --target, or ''. */
  target: string;
  /** Normalised names of the planned repositories (docker.io/acme/app, localhost:5000/x/y). */
  repositories: string[];
  /** The platform tested, of a multi-platform image: the services on it run that platform's image. */
  platform?: string;
}

/** An autotest file, read and checked: the YAML it holds, made a Compose v2 document if needed. */
export interface AutotestFile {
  file: string;
  doc: Record<string, unknown>;
  /** The file was in Compose v1 format (services at the top level), as Docker Hub allowed. */
  legacy: boolean;
}

const V1_NET = /^(none|host|bridge|container:.+)$/;

/**
 * Compose v1 (services at the top level, no `services:` key) as a v2 document: Docker Hub
 * still ran such files; Compose v2 refuses them. `net:` and a service-level `dockerfile:`
 * are translated; everything else is kept as written.
 */
export function toComposeV2(doc: Record<string, unknown>): Record<string, unknown> {
  const services: Record<string, unknown> = {};
  for (const [name, raw] of Object.entries(doc)) {
    const service = { ...(raw as Record<string, unknown>) };
    if (typeof service.net === 'string' && V1_NET.test(service.net)) {
      service.network_mode = service.net;
      delete service.net;
    }
    if (typeof service.dockerfile === 'string' && typeof service.build === 'string') {
      service.build = { context: service.build, dockerfile: service.dockerfile };
      delete service.dockerfile;
    }
    services[name] = service;
  }
  return { services };
}

function isMapping(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Parses an autotest file and checks that it defines `sut`. Throws a UserError naming the file. */
export function readAutotestFile(file: string, shownAs = file): AutotestFile {
  let doc: unknown;
  try {
    doc = yamlLib().parse(fs.readFileSync(file, 'utf8'));
  } catch (error) {
    throw new UserError(`The autotest file ${shownAs} is not valid YAML: ${(error as Error).message.split('\n')[0]}.`);
  }
  if (!isMapping(doc)) throw new UserError(`The autotest file ${shownAs} is not a compose file (expected a mapping with services).`);
  const legacy = !('services' in doc) && !('version' in doc) && Object.values(doc).length > 0 && Object.values(doc).every(isMapping);
  const services = legacy ? doc : doc.services;
  if (!isMapping(services) || !isMapping(services.sut)) {
    const names = isMapping(services) ? Object.keys(services) : [];
    throw new UserError(
      `The autotest file ${shownAs} defines no service named 'sut' (it has ${names.length ? names.join(', ') : 'no services'}). ` +
        `Docker Hub autotests start 'sut' and what it depends on, and its exit code decides; rename the test service to sut, or set test-compose: off.`,
    );
  }
  return { file, doc: legacy ? toComposeV2(doc) : doc, legacy };
}

/** The repository part of an image reference, normalised (docker.io/acme/app), or undefined. */
export function repositoryOf(image: string): string | undefined {
  let ref = image.trim().split('@')[0]!;
  const slash = ref.lastIndexOf('/');
  const colon = ref.lastIndexOf(':');
  if (colon > slash) ref = ref.slice(0, colon);
  const parsed = parseImage(ref);
  return typeof parsed === 'string' ? undefined : parsed.name;
}

function builtHere(build: unknown, image: BuiltImage): boolean | undefined {
  if (build === undefined || build === null) return undefined;
  const b: Record<string, unknown> = typeof build === 'string' ? { context: build } : isMapping(build) ? build : {};
  const context = typeof b.context === 'string' ? b.context : '';
  if (!path.isAbsolute(context) || b.dockerfile_inline !== undefined) return false;
  const dockerfile = path.resolve(context, typeof b.dockerfile === 'string' ? b.dockerfile : 'Dockerfile');
  const ctx = path.resolve(context);
  const sameContext = ctx === path.resolve(image.context) || ctx === path.dirname(path.resolve(image.file));
  const sameTarget = typeof b.target !== 'string' || b.target === image.target;
  return sameContext && dockerfile === path.resolve(image.file) && sameTarget;
}

/**
 * Points every service that means "the image of this repository" at the image just built:
 * services built from the build's Dockerfile (`build: .`), and services whose `image:` names one
 * of the planned repositories (`image: ${IMAGE_NAME}`, `image: acme/app`). They get
 * `image: <ref>`, `pull_policy: never` and no `build`, so Compose neither rebuilds nor pulls.
 * Pure: returns a new model and the services it changed.
 */
export function pointAtImage(model: ComposeModel, image: BuiltImage): { model: ComposeModel; services: string[] } {
  const services: Record<string, Record<string, unknown>> = {};
  const changed: string[] = [];
  for (const [name, original] of Object.entries(model.services ?? {})) {
    const service = { ...original };
    const built = builtHere(service.build, image);
    const repo = typeof service.image === 'string' ? repositoryOf(service.image) : undefined;
    const namesOurs = repo !== undefined && image.repositories.includes(repo);
    if (built === true || (built === undefined && namesOurs)) {
      delete service.build;
      service.image = image.ref;
      service.pull_policy = 'never';
      if (image.platform) service.platform = image.platform;
      changed.push(name);
    } else if (built === false && namesOurs) {
      // Another Dockerfile whose result would be tagged as our repository: let Compose name it
      // after the project instead, so the tested image keeps its name.
      delete service.image;
    }
    services[name] = service;
  }
  return { model: { ...model, services }, services: changed };
}

/** One container of a compose project, as `docker compose ps --format json` lists it. */
export interface ComposeContainer {
  id: string;
  service: string;
  state: string;
  exitCode: number;
  health: string;
}

/** Parses `docker compose ps --format json`: one JSON object a line (2.21+) or one array (older). */
export function parsePs(stdout: string): ComposeContainer[] {
  const text = stdout.trim();
  if (!text) return [];
  const rows: Record<string, unknown>[] = text.startsWith('[')
    ? (JSON.parse(text) as Record<string, unknown>[])
    : text.split('\n').filter((l) => l.trim()).map((l) => JSON.parse(l) as Record<string, unknown>);
  return rows.map((r) => ({
    id: String(r.ID ?? ''),
    service: String(r.Service ?? ''),
    state: String(r.State ?? ''),
    exitCode: Number(r.ExitCode ?? 0),
    health: String(r.Health ?? ''),
  }));
}

/** A container that failed: exited non-zero, unhealthy, dead or restarting. */
export function failed(c: ComposeContainer): boolean {
  return (c.state === 'exited' && c.exitCode !== 0) || c.health === 'unhealthy' || c.state === 'dead' || c.state === 'restarting';
}

/** A compose project name: lower-case letters, digits, '-' and '_', starting with a letter or digit. */
export function projectName(...parts: (string | number)[]): string {
  return parts
    .map(String)
    .join('-')
    .toLowerCase()
    .replace(/[^a-z0-9_-]+/g, '-')
    .replace(/^[^a-z0-9]+/, '');
}

/**
 * One `docker compose` project, always addressed by its unique name, so everything it creates
 * carries the label com.docker.compose.project=<name> and `down` finds all of it.
 */
export class ComposeProject {
  constructor(
    private readonly docker: Docker,
    readonly name: string,
    /** Relative paths in the compose files resolve against this folder. */
    readonly dir: string,
    readonly files: string[],
    private readonly env: Record<string, string> = {},
  ) {}

  private argv(...rest: string[]): string[] {
    return ['compose', '--ansi', 'never', '--project-name', this.name, '--project-directory', this.dir, ...this.files.flatMap((f) => ['--file', f]), ...rest];
  }

  private run(rest: string[], stream = false, timeoutMs?: number): Promise<ExecResult> {
    // Compose files interpolate variables from the environment: only the allow-listed part of it.
    return this.docker.run(this.argv(...rest), { env: this.env, stream, timeoutMs, isolated: true });
  }

  /** The same project with other compose files. */
  withFiles(files: string[]): ComposeProject {
    return new ComposeProject(this.docker, this.name, this.dir, files, this.env);
  }

  /** The fully resolved model (interpolated with this project's environment, paths absolute). */
  async config(): Promise<ComposeModel> {
    const r = await this.run(['config', '--format', 'json']);
    if (r.code !== 0 && /is not a docker command|unknown (shorthand )?flag|unknown command/i.test(r.stderr)) {
      throw new UserError(
        `Docker Compose v2 (docker compose) is needed for the autotest files but this docker has no usable compose plugin: ${tail(r, 1)}. Install it on the runner, or set test-compose: off.`,
      );
    }
    if (r.code !== 0) throw new UserError(`docker compose could not read ${this.files.join(', ')}:\n${tail(r, 6)}`);
    return JSON.parse(r.stdout) as ComposeModel;
  }

  /** Starts `service` and what it depends on, detached; the output streams to the log. */
  up(service: string, timeoutMs?: number): Promise<ExecResult> {
    return this.run(['up', '--detach', '--quiet-pull', service], true, timeoutMs);
  }

  async ps(): Promise<ComposeContainer[]> {
    const r = await this.run(['ps', '--all', '--format', 'json']);
    return r.code === 0 ? parsePs(r.stdout) : [];
  }

  /** Waits for a container to stop; its exit code. */
  async wait(containerId: string, timeoutMs?: number): Promise<number> {
    const r = await this.docker.run(['wait', containerId], { timeoutMs });
    if (r.code !== 0) throw new UserError(`docker wait ${containerId} failed: ${tail(r, 2)}`);
    return Number(r.stdout.trim());
  }

  /** Prints the logs of some containers to the log, each under a header line. */
  async logs(containers: ComposeContainer[]): Promise<void> {
    for (const c of containers) {
      core.info(`----- ${c.service} (${c.health === 'unhealthy' ? 'unhealthy' : c.state === 'exited' ? `exit ${c.exitCode}` : c.state}) -----`);
      // docker logs, not compose logs: the latter writes terminal escapes even with --ansi never.
      await this.docker.run(['logs', c.id], { stream: true });
    }
  }

  /** Removes every container, network and volume of the project (and images it built). */
  down(): Promise<ExecResult> {
    return this.run(['down', '--volumes', '--remove-orphans', '--rmi', 'local', '--timeout', '1']);
  }
}

/**
 * Removes what is left of compose projects a cancelled run could not take down (the post step):
 * by project name, with the compose file when it still exists.
 */
export async function removeProjects(docker: Docker, state: string): Promise<string[]> {
  const removed: string[] = [];
  for (const { name, file } of JSON.parse(state) as { name: string; file?: string }[]) {
    const files = file && fs.existsSync(file) ? [file] : [];
    const r = await new ComposeProject(docker, name, path.dirname(file ?? '.'), files).down();
    if (r.code !== 0) throw new UserError(`could not remove compose project ${name}: ${tail(r, 2)}`);
    removed.push(name);
  }
  return removed;
}
