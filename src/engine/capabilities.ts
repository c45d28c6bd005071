import * as core from '@actions/core';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as semver from 'semver';
import { userConfigDir, type Docker, type EngineInfo } from './docker.js';
import { execCommand } from './exec.js';

/** The runner's cache service, as @actions/cache and BuildKit's gha backend see it. */
export interface CacheService {
  /** v2 (twirp, ACTIONS_RESULTS_URL), v1 (legacy REST, ACTIONS_CACHE_URL), or none. */
  version?: 'v1' | 'v2';
  /** ACTIONS_RUNTIME_TOKEN is present (its value is never kept here). */
  token: boolean;
  /** BuildKit's gha backend can use it from this builder. */
  gha: boolean;
  /** Why gha can or cannot be used, in words. */
  ghaReason: string;
}

/** What the engine and builder on this runner can do; asked, never assumed. */
export interface Capabilities {
  engineVersion: string;
  /** buildx version, or undefined when the plugin is missing. */
  buildx?: string;
  /** Driver of the selected builder: docker, docker-container, remote, kubernetes. */
  driver?: string;
  builder?: string;
  /**
   * BuildKit version of the builder. The docker driver's BuildKit is built into the engine and
   * often reports no version (v0.0.0+unknown): then it is derived from the engine version.
   */
  buildkit?: string;
  /** `buildkit` was derived from the engine version, not reported by the builder. */
  buildkitFromEngine?: boolean;
  /** The engine stores images in containerd (so the docker driver can export cache). */
  containerdStore: boolean;
  /** The builder can export cache to a registry, a directory or gha (not only inline). */
  cacheExport: boolean;
  /** The runner's cache service (gha backend, and @actions/cache for `cache: local`). */
  cacheService: CacheService;
  /**
   * The builder runs BuildKit's build checks and buildx reports them (BuildKit >= 0.14, buildx
   * >= 0.15); false only where either is known to be older (see buildChecksOf).
   */
  buildChecks: boolean;
  /** Why there are no build checks, when there are none. */
  buildChecksNote?: string;
}

/** A plain x.y.z out of version text (`v0.21.1`, `0.13.1+ds1`, `github.com/docker/buildx v0.21.1 abc`). */
export function parseVersion(text: string | undefined): string | undefined {
  const m = /v?(\d+)\.(\d+)\.(\d+)/.exec(text ?? '');
  return m ? `${Number(m[1])}.${Number(m[2])}.${Number(m[3])}` : undefined;
}

/**
 * The BuildKit built into a Docker engine release (moby vendors one BuildKit minor per major).
 * Only used when the docker driver does not report its own version.
 */
export function engineBuildKit(engineVersion: string): string | undefined {
  const v = parseVersion(engineVersion);
  if (!v) return undefined;
  const major = semver.major(v);
  const table: [number, string][] = [
    [29, '0.25.0'],
    [28, '0.20.0'],
    [27, '0.15.0'],
    [26, '0.13.0'],
    [25, '0.12.0'],
    [24, '0.11.0'],
    [23, '0.10.0'],
    [20, '0.8.0'],
  ];
  for (const [engine, buildkit] of table) if (major >= engine) return buildkit;
  return undefined;
}

const GHA_V2_BUILDX = '0.21.0';
const GHA_V2_BUILDKIT = '0.20.0';

function atLeast(version: string | undefined, min: string): boolean {
  return version !== undefined && semver.valid(version) !== null && semver.gte(version, min);
}

/**
 * Whether BuildKit's gha cache backend can work here. Pure: reads only the given environment
 * (the variables a runner gives a JavaScript action) and the builder facts.
 */
export function cacheServiceOf(
  env: Record<string, string | undefined>,
  caps: Pick<Capabilities, 'buildx' | 'buildkit' | 'driver' | 'cacheExport' | 'containerdStore'>,
): CacheService {
  const token = Boolean(env.ACTIONS_RUNTIME_TOKEN);
  const v2Flag = /^(1|true|yes)$/i.test(env.ACTIONS_CACHE_SERVICE_V2 ?? '');
  const version: CacheService['version'] = v2Flag && env.ACTIONS_RESULTS_URL ? 'v2' : env.ACTIONS_CACHE_URL ? 'v1' : undefined;
  const no = (ghaReason: string): CacheService => ({ version, token, gha: false, ghaReason });
  if (!version) return no('no runner cache service (ACTIONS_RESULTS_URL / ACTIONS_CACHE_URL are not set: not on a GitHub runner)');
  if (!token) return no('the runner cache service has no token (ACTIONS_RUNTIME_TOKEN is not set)');
  if (!caps.buildx) return no('buildx is not installed');
  if (!caps.cacheExport) {
    return no(`the builder cannot export cache (${caps.driver ?? 'unknown'} driver${caps.driver === 'docker' && !caps.containerdStore ? ' with the classic image store' : ''})`);
  }
  if (version === 'v2') {
    if (!atLeast(caps.buildx, GHA_V2_BUILDX)) return no(`cache service v2 needs buildx >= ${GHA_V2_BUILDX} (this runner has ${caps.buildx})`);
    if (!atLeast(caps.buildkit, GHA_V2_BUILDKIT)) {
      return no(`cache service v2 needs BuildKit >= ${GHA_V2_BUILDKIT} (this builder has ${caps.buildkit ?? 'an unknown version'})`);
    }
  }
  return { version, token, gha: true, ghaReason: `runner cache service ${version}, buildx ${caps.buildx}, BuildKit ${caps.buildkit ?? 'unknown'}` };
}

const CHECKS_BUILDX = '0.15.0';
const CHECKS_BUILDKIT = '0.14.0';

/**
 * Whether the builder runs build checks: buildx >= 0.15 reports them, BuildKit >= 0.14 (the
 * Dockerfile frontend built into it) runs them. A builder whose BuildKit version is not known (a
 * docker-container builder not inspected) is taken to have them: the check arguments are inert
 * where they are not understood. Pure.
 */
export function buildChecksOf(caps: Pick<Capabilities, 'buildx' | 'buildkit' | 'buildkitFromEngine' | 'engineVersion'>): { buildChecks: boolean; buildChecksNote?: string } {
  if (!caps.buildx) return { buildChecks: false, buildChecksNote: 'no buildx: the classic builder has no build checks' };
  if (semver.valid(caps.buildx) && !atLeast(caps.buildx, CHECKS_BUILDX)) {
    return { buildChecks: false, buildChecksNote: `build checks need buildx >= ${CHECKS_BUILDX} (this runner has ${caps.buildx})` };
  }
  if (caps.buildkit && !atLeast(caps.buildkit, CHECKS_BUILDKIT)) {
    const whose = caps.buildkitFromEngine ? `the BuildKit of Docker ${caps.engineVersion} is ${caps.buildkit.replace(/\.0$/, '')}` : `this builder has BuildKit ${caps.buildkit}`;
    return { buildChecks: false, buildChecksNote: `build checks need BuildKit >= ${CHECKS_BUILDKIT.replace(/\.0$/, '')} (${whose})` };
  }
  return { buildChecks: true };
}

/** Reads the builder's facts out of `docker buildx inspect` text. Pure. */
export function parseInspect(text: string): { builder?: string; driver?: string; buildkit?: string } {
  const builder = /^Name:\s*(\S+)/m.exec(text)?.[1];
  const driver = /^Driver:\s*(\S+)/m.exec(text)?.[1];
  const reported = parseVersion(/^\s*BuildKit(?: version)?:\s*(\S+)/m.exec(text)?.[1]);
  return { builder, driver, buildkit: reported && reported !== '0.0.0' ? reported : undefined };
}

/** Whether a builder with this driver can export cache other than inline. */
export function canExportCache(buildx: string | undefined, driver: string | undefined, containerdStore: boolean): boolean {
  if (!buildx) return false;
  // docker driver: only with the containerd image store; docker-container, remote, kubernetes: always.
  return driver !== 'docker' || containerdStore;
}

/**
 * The selected builder as buildx itself records it (BUILDX_BUILDER, else `buildx/current` in the
 * docker config; no name = the default builder of the docker context, docker driver). Reading
 * buildx's own state saves a `docker buildx inspect` (a second process, ~0.2 s) on every run;
 * undefined when the state cannot be read, and the caller asks buildx.
 */
export function selectedBuilder(configDir: string, env: Record<string, string | undefined>): { builder: string; driver: string } | undefined {
  try {
    let name = env.BUILDX_BUILDER ?? '';
    if (!name) {
      const current = path.join(configDir, 'buildx', 'current');
      if (fs.existsSync(current)) {
        const choice = JSON.parse(fs.readFileSync(current, 'utf8')) as { Key?: string; Name?: string; Global?: boolean };
        // `docker buildx use` (without --global) holds for the engine it was made on: with another
        // DOCKER_HOST or a docker context, buildx itself decides, so it is asked.
        if (choice.Name && !choice.Global && choice.Key !== undefined && (env.DOCKER_CONTEXT || choice.Key !== (env.DOCKER_HOST || 'unix:///var/run/docker.sock'))) return undefined;
        name = choice.Name ?? '';
      }
    }
    if (!name || name === 'default') return { builder: 'default', driver: 'docker' };
    const instance = path.join(configDir, 'buildx', 'instances', name);
    if (!fs.existsSync(instance)) return undefined;
    const driver = (JSON.parse(fs.readFileSync(instance, 'utf8')) as { Driver?: string }).Driver;
    return driver ? { builder: name, driver } : undefined;
  } catch {
    return undefined;
  }
}

/** Where the docker CLI looks for its plugins, in its order (Linux). */
export function pluginDirs(configDir: string): string[] {
  let extra: string[] = [];
  try {
    const dirs = (JSON.parse(fs.readFileSync(path.join(configDir, 'config.json'), 'utf8')) as { cliPluginsExtraDirs?: unknown } | null)?.cliPluginsExtraDirs;
    if (Array.isArray(dirs)) extra = dirs.filter((d): d is string => typeof d === 'string');
  } catch {
    // no config, or not JSON: no extra folders
  }
  const system = ['/usr/local/lib/docker/cli-plugins', '/usr/local/libexec/docker/cli-plugins', '/usr/lib/docker/cli-plugins', '/usr/libexec/docker/cli-plugins'];
  return [path.join(configDir, 'cli-plugins'), ...extra, ...system];
}

/**
 * The buildx plugin's version, undefined without the plugin. The plugin binary is asked itself
 * when it is where the docker CLI would find it: `docker buildx version` costs the CLI's start-up
 * and plugin scan on top (~25 ms). What that binary said is remembered for this user (see
 * rememberedVersion), so a runner that keeps its temp folder asks it once per buildx release.
 */
export async function buildxVersion(docker: Docker, configDir = userConfigDir(), memoryDir = versionMemoryDir()): Promise<string | undefined> {
  const binary = pluginDirs(configDir)
    .map((dir) => path.join(dir, 'docker-buildx'))
    .find((file) => {
      try {
        fs.accessSync(file, fs.constants.X_OK);
        return true;
      } catch {
        return false;
      }
    });
  const identity = binary ? binaryIdentity(binary) : undefined;
  const known = identity && rememberedVersion(memoryDir, identity);
  if (known) return known;
  const direct = binary ? await execCommand(binary, ['version'], { env: docker.env(), timeoutMs: 30_000 }).catch(() => undefined) : undefined;
  const r = direct?.code === 0 ? direct : await docker.run(['buildx', 'version']);
  const version = r.code === 0 ? (parseVersion(r.stdout) ?? 'unknown') : undefined;
  if (identity && direct?.code === 0 && version && version !== 'unknown') rememberVersion(memoryDir, identity, version);
  return version;
}

/** This user's folder for what autobuild remembers between runs (under the temp folder, 0700). */
export function versionMemoryDir(): string {
  return path.join(os.tmpdir(), `autobuild-${process.getuid?.() ?? 'user'}`);
}

/** A binary as it is on disk: its path, inode, size and times. Any change (an upgrade) is another identity. */
function binaryIdentity(file: string): string | undefined {
  try {
    const st = fs.statSync(file);
    return `${file}:${st.dev}:${st.ino}:${st.size}:${st.mtimeMs}:${st.ctimeMs}`;
  } catch {
    return undefined;
  }
}

const MEMORY_FILE = 'buildx-version.json';

/** The version remembered for exactly this binary; only from a folder and file that are this user's own and no one else's to write. */
export function rememberedVersion(dir: string, identity: string): string | undefined {
  try {
    const file = path.join(dir, MEMORY_FILE);
    for (const st of [fs.statSync(dir), fs.statSync(file)]) {
      if ((process.getuid && st.uid !== process.getuid()) || (st.mode & 0o022) !== 0) return undefined;
    }
    const saved = JSON.parse(fs.readFileSync(file, 'utf8')) as { identity?: unknown; version?: unknown };
    return saved.identity === identity && typeof saved.version === 'string' && parseVersion(saved.version) === saved.version ? saved.version : undefined;
  } catch {
    return undefined;
  }
}

/** Remembers a binary's version (written whole, then renamed into place). Never fails the run. */
export function rememberVersion(dir: string, identity: string, version: string): void {
  try {
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
    const temp = path.join(dir, `${MEMORY_FILE}.${process.pid}`);
    fs.writeFileSync(temp, JSON.stringify({ identity, version }), { mode: 0o600 });
    fs.renameSync(temp, path.join(dir, MEMORY_FILE));
  } catch {
    // not remembered: asked again next time
  }
}

/**
 * What the engine and builder can do, from the engine's info (Docker.requireEngine) and buildx's
 * own state. `buildx` is the plugin's version when the caller already asked (buildxVersion).
 */
export async function detectCapabilities(
  docker: Docker,
  engine: { version: string; info: EngineInfo },
  env: Record<string, string | undefined> = process.env,
  buildxAsked?: Promise<string | undefined>,
): Promise<Capabilities> {
  // `docker info` answers the image store and the buildx plugin's version; the engine's API
  // answers the image store only (no ClientInfo), and buildx is asked on its own.
  const { version: engineVersion, info: parsed } = engine;
  const plugin = parsed.ClientInfo?.Plugins?.find((p) => p.Name === 'buildx');
  let buildx = plugin ? (parseVersion(plugin.Version) ?? 'unknown') : undefined;
  if (!parsed.ClientInfo) buildx = await (buildxAsked ?? buildxVersion(docker));
  const containerdStore = JSON.stringify(parsed.DriverStatus ?? []).includes('io.containerd.snapshotter');
  const configDir = docker.configDir ?? userConfigDir(env);
  let found: { builder?: string; driver?: string; buildkit?: string } = buildx ? (selectedBuilder(configDir, env) ?? {}) : {};
  // Ask buildx when its state could not be read, or when the BuildKit version matters (gha on
  // cache service v2) and the builder is not the engine's own.
  const needBuildKit = found.driver !== 'docker' && Boolean(env.ACTIONS_CACHE_SERVICE_V2);
  if (buildx && (!found.driver || needBuildKit)) {
    const inspect = await docker.run(['buildx', 'inspect']);
    if (inspect.code === 0) found = parseInspect(inspect.stdout);
  }
  let buildkit = found.buildkit;
  let buildkitFromEngine: boolean | undefined;
  if (!buildkit && found.driver === 'docker') {
    buildkit = engineBuildKit(engineVersion);
    buildkitFromEngine = buildkit !== undefined ? true : undefined;
  }
  const cacheExport = canExportCache(buildx, found.driver, containerdStore);
  const base = { engineVersion, buildx, driver: found.driver, builder: found.builder, buildkit, buildkitFromEngine, containerdStore, cacheExport };
  const caps: Capabilities = { ...base, cacheService: cacheServiceOf(env, base), ...buildChecksOf(base) };
  core.debug(`capabilities: ${JSON.stringify(caps)}`);
  return caps;
}

export function describeCapabilities(c: Capabilities): string {
  if (!c.buildx) return `engine ${c.engineVersion}, no buildx (classic docker build)`;
  const buildkit = c.buildkit ? `, BuildKit ${c.buildkit}${c.buildkitFromEngine ? ' (engine)' : ''}` : '';
  return `engine ${c.engineVersion}, buildx ${c.buildx}, builder ${c.builder ?? '?'} (driver ${c.driver ?? '?'}${buildkit}), ${
    c.containerdStore ? 'containerd image store' : 'classic image store'
  }, cache export ${c.cacheExport ? 'available' : 'inline only'}, build checks ${c.buildChecks ? 'on' : 'not available'}`;
}
