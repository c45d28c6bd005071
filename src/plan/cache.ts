import { createHash } from 'node:crypto';
import * as path from 'node:path';
import * as semver from 'semver';
import type { Facts } from '../context.js';
import type { Capabilities } from '../engine/capabilities.js';
import { UserError } from '../errors.js';
import type { CacheMode, Inputs } from '../inputs.js';
import type { Plan } from './plan.js';
import { releaseVersion } from './semver.js';
import { sanitizeTag, shortSha } from './tags.js';
import { untrusted, type Trust } from './trust.js';

/** Where the layer cache lives. `auto` resolves to one of these. */
export type CacheBackend = 'gha' | 'registry' | 'local' | 'inline' | 'off';

/**
 * Cache scopes for this ref: written under `write` (when anything is written) and read from
 * `read` in order: this branch (or tag series), then the branch a pull request targets, then the
 * default branch. So a new branch or a tag starts warm, and branches never overwrite each other.
 */
export interface CacheScopes {
  write: string;
  read: string[];
}

/** A BuildKit cache directory kept between runs by the runner's cache service. */
export interface LocalCachePlan {
  /** Restored here and read by the build (--cache-from type=local,src=dir). */
  dir: string;
  /**
   * The same folder as the cache service is told it (`~/...`): the service keys entries by this
   * text, so it must not change between runners whose home folders differ.
   */
  cachePath: string;
  /** The build writes a fresh cache here (--cache-to type=local,dest=newDir), swapped in after: no unbounded growth. */
  newDir: string;
  /** Key to save under (unique per scope and commit). */
  key: string;
  /** Prefixes tried in order when the key has no entry: this scope first, then the fallbacks. */
  restoreKeys: string[];
}

/** The cache of one build. */
export interface BuildCachePlan {
  /** --cache-from values, in the order BuildKit should try them. */
  from: string[];
  /** --cache-to value, when this run exports cache. */
  to?: string;
  /** The exact build arguments. */
  args: string[];
  local?: LocalCachePlan;
  /** One line for the log and the summary. */
  description: string;
}

/** What the run does about the layer cache, decided before login and build. */
export interface CachePlan {
  requested: CacheMode;
  backend: CacheBackend;
  /** Why this backend (for auto: why it is the best this runner allows). */
  reason: string;
  scopes: CacheScopes;
  /** Whether this run writes cache at all, and why not when it does not. */
  exports: boolean;
  exportNote?: string;
  /** Why the cache is not read, when it is not (a registry this run may not read). */
  importNote?: string;
  builds: BuildCachePlan[];
}

/**
 * Whether this run can read the registry that holds the cache (the `registry` and `inline`
 * backends read from the first image's repository):
 * - `credentials`: the run logs in there, or the runner's docker config holds a login for it;
 * - `anonymous`: no credentials, but the registry answered an anonymous read of the repository
 *   (a public repository on Docker Hub, GHCR, or an open registry);
 * - `refused`: no credentials, and the registry refused an anonymous read (a private repository);
 * - `unknown`: no credentials, and the registry could not be asked (the cache is read anyway).
 */
export interface CacheRead {
  registry: string;
  access: 'credentials' | 'anonymous' | 'refused' | 'unknown';
  /** The registry's answer, in words: "HTTP 401", "connection refused". */
  answer?: string;
}

export interface CacheEnv {
  /** The home folder: the local cache directory lives in ~/.cache/autobuild. */
  homeDir: string;
  /** Whether the cache's registry can be read (see CacheRead); assumed readable when absent. */
  read?: CacheRead;
}

type CacheFacts = Pick<Facts, 'refType' | 'branch' | 'tag' | 'defaultBranch' | 'pr' | 'baseRef' | 'sha' | 'workspace'>;
type CacheCaps = Pick<Capabilities, 'buildx' | 'driver' | 'containerdStore' | 'cacheExport' | 'cacheService'>;
type CacheInputs = Pick<Inputs, 'cache' | 'target' | 'platforms'>;
type CachePlanInput = Pick<Plan, 'images' | 'builds' | 'push' | 'trust'>;

/** The series a git tag belongs to: `v1.4.2` -> `v1`, `2.0.0-rc.1` -> `2`, `release-2024.05` -> `release-N.N`. */
export function tagSeries(tag: string): string {
  const version = releaseVersion(tag);
  if (version) return `${/^v/i.test(tag) ? 'v' : ''}${semver.major(version)}`;
  return tag.replace(/\d+/g, 'N');
}

function scopeName(name: string): string {
  return sanitizeTag(name, { lower: true }).slice(0, 60).replace(/[.-]+$/, '') || 'unnamed';
}

export function cacheScopes(facts: CacheFacts): CacheScopes {
  const def = scopeName(facts.defaultBranch);
  const read: string[] = [];
  let write: string;
  if (facts.pr) {
    // A fork's branch names say nothing about this repository's branches: never read them.
    write = facts.pr.fork ? `pr-${facts.pr.number}` : scopeName(facts.pr.headRef || `pr-${facts.pr.number}`);
    if (!facts.pr.fork) read.push(write);
    if (facts.baseRef) read.push(scopeName(facts.baseRef));
  } else if (facts.refType === 'tag' && facts.tag !== undefined) {
    write = `tag-${scopeName(tagSeries(facts.tag))}`;
    read.push(write);
  } else if (facts.refType === 'branch' && facts.branch !== undefined) {
    write = scopeName(facts.branch);
    read.push(write);
  } else {
    write = def;
  }
  read.push(def);
  return { write, read: [...new Set(read)] };
}

/**
 * A short, stable name for one build of the plan, so that two Dockerfiles, targets or platform
 * sets built into the same image repository (split per-architecture jobs among them) keep apart
 * caches. Empty for `Dockerfile` at the workspace root, for the engine's own platform. Build
 * arguments are left out on purpose: one that changes every commit would leave every cache cold.
 */
export function buildSlug(workspace: string, context: string, file: string, target: string, platforms: string[] = []): string {
  const relFile = path.relative(workspace, file).split(path.sep).join('/');
  const relContext = path.relative(workspace, context).split(path.sep).join('/') || '.';
  const parts: string[] = [];
  if (!(relFile === 'Dockerfile' && relContext === '.')) {
    parts.push(relFile.replace(/(^|\/)Dockerfile$/, '') || 'dockerfile');
    const fileDir = path.posix.dirname(relFile);
    if (relContext !== fileDir) parts.push(`in-${relContext === '.' ? 'root' : relContext}`);
  }
  if (target) parts.push(target);
  if (platforms.length) parts.push([...platforms].sort().join('+').replace(/\//g, '-'));
  if (!parts.length) return '';
  const slug = sanitizeTag(parts.join('-'), { lower: true });
  if (slug.length <= 40) return slug;
  const hash = createHash('sha256').update(parts.join('\0')).digest('hex').slice(0, 8);
  return `${slug.slice(0, 31).replace(/[.-]+$/, '')}-${hash}`;
}

function joinName(...parts: string[]): string {
  return parts.filter(Boolean).join('-');
}

/** Registry cache: `<first image>:buildcache-<build>-<scope>`. */
export function registryCacheRef(image: string, slug: string, scope: string): string {
  return `${image}:${sanitizeTag(joinName('buildcache', slug, scope), { lower: true })}`;
}

/** Whether a backend reads the cache from the image's registry (and so needs read access there). */
export function readsRegistry(backend: CacheBackend): boolean {
  return backend === 'registry' || backend === 'inline';
}

/** Why auto did not pick gha / registry, for the log. */
function autoChoice(caps: CacheCaps): { backend: CacheBackend; reason: string } {
  if (!caps.buildx) return { backend: 'off', reason: 'buildx is not installed, and the classic builder cannot import cache from a registry' };
  const builder = `${caps.driver ?? 'unknown'} driver${caps.driver === 'docker' ? (caps.containerdStore ? ', containerd image store' : ', classic image store') : ''}`;
  if (caps.cacheService.gha) return { backend: 'gha', reason: `GitHub's cache service is usable (${caps.cacheService.ghaReason})` };
  const noGha = caps.cacheService.version ? `gha is not usable: ${caps.cacheService.ghaReason}` : 'not on a runner with a cache service';
  if (caps.cacheExport) return { backend: 'registry', reason: `the builder can export cache (${builder}); ${noGha}` };
  return {
    backend: 'inline',
    reason: `the builder can only write inline cache (${builder}); enable the containerd image store or use a docker-container builder for a full registry cache`,
  };
}

function requireBackend(mode: Exclude<CacheMode, 'auto' | 'off'>, caps: CacheCaps): string {
  const builder = `the builder (${caps.driver ?? 'unknown'} driver${caps.driver === 'docker' && !caps.containerdStore ? ' with the classic image store' : ''})`;
  const fail = (why: string, fix: string): never => {
    throw new UserError(`Input 'cache' is '${mode}' but ${why}. ${fix}, or use cache: auto to take the best this runner allows.`);
  };
  if (!caps.buildx) fail('buildx is not installed on this runner', 'Install the buildx plugin');
  if (mode === 'inline') return 'forced by the cache input';
  if (!caps.cacheExport) {
    fail(`${builder} cannot export cache`, 'Enable the containerd image store ({"features":{"containerd-snapshotter":true}} in daemon.json), select a docker-container builder, use cache: inline');
  }
  if (mode === 'gha' && !caps.cacheService.gha) fail(`GitHub's cache service cannot be used: ${caps.cacheService.ghaReason}`, 'Run on a GitHub runner with a recent buildx');
  if (mode === 'local') {
    // The directory is kept between runs only by the runner's cache service: it needs its URL and its token.
    const missing = [
      ...(caps.cacheService.version ? [] : ['ACTIONS_RESULTS_URL or ACTIONS_CACHE_URL (its URL)']),
      ...(caps.cacheService.token ? [] : ['ACTIONS_RUNTIME_TOKEN (its token)']),
    ];
    if (missing.length) {
      fail(
        `the runner's cache service, which keeps the cache directory between runs, cannot be used: ${missing.join(' and ')} ${missing.length > 1 ? 'are' : 'is'} not set`,
        'Run it as a step of a GitHub Actions job (the runner sets both), use cache: registry or cache: inline',
      );
    }
  }
  return 'forced by the cache input';
}

/** Tags of the previous image of this branch and of the default branch, for inline cache import. */
function inlineSources(image: string, tags: string[], facts: CacheFacts): string[] {
  const own = tags.filter((t) => !t.includes(shortSha(facts.sha)) && !/^sha-/.test(t)).slice(0, 2);
  const refs = [...own, sanitizeTag(facts.defaultBranch, { lower: true }), 'latest'].map((t) => `${image}:${t}`);
  return [...new Set(refs)].slice(0, 3);
}

/**
 * The backend for a `cache` input on this runner, and why. A forced backend the runner cannot do
 * is a UserError naming what is missing. Pure.
 */
export function chooseBackend(caps: CacheCaps, requested: CacheMode): { backend: CacheBackend; reason: string } {
  if (requested === 'auto') return autoChoice(caps);
  if (requested === 'off') return { backend: 'off', reason: 'cache: off' };
  return { backend: requested, reason: requireBackend(requested, caps) };
}

/**
 * Why the registry cache is not read, or undefined when it is. BuildKit reads it with the run's
 * docker config; without credentials a private repository answers 401 and BuildKit prints
 * "ERROR: failed to configure registry cache importer" into the build log (the build goes on, but
 * the line reads as a failure). So without credentials the cache is read only when the registry
 * answered an anonymous read.
 */
export function skippedImport(read: CacheRead | undefined, trust: Trust, image: string): string | undefined {
  if (read?.access !== 'refused') return undefined;
  const why = untrusted(trust) ? `${trust.why}, so no credentials are used` : `this run has no credentials for ${read.registry}`;
  return `the cache is not read: ${why}, and ${read.registry} refuses anonymous reads of ${image.slice(read.registry.length + 1)}${read.answer ? ` (${read.answer})` : ''}`;
}

/** The whole cache decision. Pure: (capabilities, facts, inputs, plan) -> exact arguments and words. */
export function planCache(caps: CacheCaps, facts: CacheFacts, inputs: CacheInputs, plan: CachePlanInput, env: CacheEnv): CachePlan {
  const requested = inputs.cache;
  const scopes = cacheScopes(facts);
  const { backend, reason } = chooseBackend(caps, requested);
  const image = plan.images[0]?.name ?? 'image';
  const importNote = readsRegistry(backend) && plan.images[0]?.registry === env.read?.registry ? skippedImport(env.read, plan.trust, image) : undefined;

  // Code that is not a writer's never writes the cache a writer's build reads: it could plant
  // layers there (cache poisoning).
  let exports = backend !== 'off';
  let exportNote: string | undefined;
  if (exports && untrusted(plan.trust)) {
    exports = false;
    exportNote = `${plan.trust.why}: ${importNote ? 'no cache is written' : 'cache is read, never written'}`;
  } else if (exports && backend === 'registry' && !plan.push.enabled) {
    exports = false;
    exportNote = `nothing is pushed (${plan.push.reason}), so no cache image is written either`;
  }

  const builds = plan.builds.map((b): BuildCachePlan => {
    const slug = buildSlug(facts.workspace, b.context, b.file, inputs.target, inputs.platforms);
    const id = sanitizeTag(joinName(image, slug), { lower: true });
    const from: string[] = [];
    let to: string | undefined;
    let local: LocalCachePlan | undefined;
    let description: string;
    switch (backend) {
      case 'off':
        description = 'no cache';
        break;
      case 'registry': {
        const refs = scopes.read.map((s) => registryCacheRef(image, slug, s));
        const target = registryCacheRef(image, slug, scopes.write);
        if (exports) to = `type=registry,ref=${target},mode=max,ignore-error=true`;
        if (importNote) {
          description = exports ? `registry cache ${target} (mode=max, write only): ${importNote}` : `no cache: ${importNote}`;
          break;
        }
        from.push(...refs.map((ref) => `type=registry,ref=${ref}`));
        description = `registry cache ${exports ? `${target} (mode=max)` : '(read only)'}, read from ${refs.map((r) => r.slice(image.length + 1)).join(', ')}`;
        break;
      }
      case 'gha': {
        const scope = (s: string): string => `autobuild/${id}/${s}`;
        from.push(...scopes.read.map((s) => `type=gha,scope=${scope(s)}`));
        if (exports) to = `type=gha,scope=${scope(scopes.write)},mode=max,ignore-error=true`;
        description = `GitHub Actions cache, scope ${scope(scopes.write)}${exports ? ' (mode=max)' : ' (read only)'}, read from ${scopes.read.join(', ')}`;
        break;
      }
      case 'local': {
        const dir = path.join(env.homeDir, '.cache', 'autobuild', id);
        local = {
          dir,
          cachePath: `~/.cache/autobuild/${id}`,
          newDir: `${dir}-new`,
          key: `autobuild/${id}/${scopes.write}/${facts.sha}`,
          restoreKeys: scopes.read.map((s) => `autobuild/${id}/${s}/`),
        };
        from.push(`type=local,src=${dir}`);
        if (exports) to = `type=local,dest=${local.newDir},mode=max,ignore-error=true`;
        description = `local cache directory kept by the runner's cache service, key ${local.key}${exports ? '' : ' (read only)'}, restored from ${scopes.read.join(', ')}`;
        break;
      }
      case 'inline': {
        const refs = inlineSources(image, b.tags.map((t) => t.tag), facts);
        if (exports) to = 'type=inline';
        if (importNote) {
          description = exports ? `inline cache in the pushed image (write only): ${importNote}` : `no cache: ${importNote}`;
          break;
        }
        from.push(...refs.map((ref) => `type=registry,ref=${ref}`));
        description = `inline cache in the pushed image, read from ${refs.map((r) => r.slice(image.length + 1)).join(', ')}`;
        break;
      }
    }
    const args = cacheArgs(from, to);
    return { from, to, args, local, description };
  });
  return { requested, backend, reason, scopes, exports, exportNote, importNote, builds };
}

/** --cache-from / --cache-to arguments. */
export function cacheArgs(from: string[], to?: string): string[] {
  return [...from.flatMap((f) => ['--cache-from', f]), ...(to ? ['--cache-to', to] : [])];
}

/** One line for the log, the summary and RunReport.cache. */
export function describeCache(plan: CachePlan): string {
  const how = plan.requested === 'auto' ? `auto -> ${plan.backend}` : plan.backend;
  return `${how}: ${plan.reason}${plan.importNote ? `; ${plan.importNote}` : ''}${plan.exportNote ? `; ${plan.exportNote}` : ''}`;
}
