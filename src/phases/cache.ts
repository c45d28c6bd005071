import * as core from '@actions/core';
import type { BuildResult } from '../engine/build.js';
import { BuildFailed } from '../engine/build.js';
import {
  cacheFailure,
  hasLocalCache,
  lockLocalCache,
  readCacheLog,
  restoreLocalCache,
  saveLocalCache,
  withoutExport,
  type LocalRestore,
} from '../engine/cache.js';
import type { Capabilities } from '../engine/capabilities.js';
import { credentialsFor, hasConfiguredLogin, type Credential } from '../engine/login.js';
import { RegistryClient, registryClientFor } from '../engine/registry.js';
import { classifyOutput, DEFAULT_RETRY, RetryableFailure, RetryError, withRetry, type RetryPolicy } from '../engine/retry.js';
import { getErrorMessage } from '../errors.js';
import { cacheArgs, describeCache, readsRegistry, type BuildCachePlan, type CacheBackend, type CachePlan, type CacheRead, type LocalCachePlan } from '../plan/cache.js';
import { splitTag, type ImageRef } from '../plan/images.js';
import type { BuildCacheReport, CacheDetails, RunReport } from './report.js';
import type { BuildUnit, RunContext } from './run-context.js';

/**
 * A cache export that failed on a transient fault (a 503, a reset) is tried again by building
 * again: every step is a local cache hit by then, so the build only exports. Short: the image is
 * built and tested either way, and the next run exports again.
 */
export const EXPORT_RETRY: RetryPolicy = { ...DEFAULT_RETRY, attempts: 3, initialDelayMs: 2_000, totalMs: 60_000 };

/**
 * Builds again while the cache export failed on a transient fault (see EXPORT_RETRY), each retry
 * logged. Returns the last build and its export error (none when an attempt exported), and how
 * many builds ran. Never throws for the export: a failed one stays a warning.
 */
async function retryExport(first: BuildResult, build: () => Promise<BuildResult>, policy = EXPORT_RETRY): Promise<{ last: BuildResult; attempts: number; exportError?: string }> {
  let last = first;
  let attempts = 1;
  let exportError = readCacheLog(first.log).exportError;
  try {
    await withRetry(
      'Cache export',
      async (attempt) => {
        if (attempt > 1) {
          last = await build();
          attempts = attempt;
          exportError = readCacheLog(last.log).exportError;
        }
        if (exportError) throw new RetryableFailure(exportError, classifyOutput(exportError));
      },
      { policy },
    );
  } catch (error) {
    if (!(error instanceof RetryError)) throw error;
  }
  return { last, attempts, exportError };
}

/** The anonymous read check is a nicety: a short retry, then the cache is read as before. */
const READ_CHECK_RETRY: RetryPolicy = { ...DEFAULT_RETRY, attempts: 2, initialDelayMs: 1_000, totalMs: 15_000 };

/**
 * Whether this run can read the registry cache (backends `registry` and `inline`, in the first
 * image's repository). With credentials for that registry (this run's, or a login already in the
 * docker config) it can; without, the registry is asked once, anonymously, whether the repository
 * can be read (public repositories on Docker Hub and GHCR can). Undefined when no registry is read.
 */
export async function cacheReadAccess(
  backend: CacheBackend,
  image: ImageRef | undefined,
  credentials: Pick<Credential, 'registry'>[],
  configDir: string | undefined,
  options: { baseUrl?: string; retry?: RetryPolicy } = {},
): Promise<CacheRead | undefined> {
  if (!image || !readsRegistry(backend)) return undefined;
  const { registry } = image;
  if (credentials.some((c) => c.registry === registry) || (configDir && hasConfiguredLogin(configDir, registry))) return { registry, access: 'credentials' };
  const client = new RegistryClient({ registry, baseUrl: options.baseUrl, timeoutMs: 10_000, retry: { policy: options.retry ?? READ_CHECK_RETRY } });
  try {
    const { readable, answer } = await client.readAccess(image.path);
    return { registry, access: readable ? 'anonymous' : 'refused', answer };
  } catch (error) {
    const answer = getErrorMessage(error);
    core.info(`Could not ask ${registry} whether ${image.path} can be read without credentials (${answer}); the cache is read anyway.`);
    return { registry, access: 'unknown', answer };
  }
}

/** Puts the cache decision into the report and the log (before login and build). */
export function announceCache(report: RunReport, plan: CachePlan, caps: Capabilities): void {
  report.cache = describeCache(plan);
  const details: CacheDetails = {
    requested: plan.requested,
    backend: plan.backend,
    reason: plan.reason,
    exports: plan.exports,
    exportNote: plan.exportNote,
    importNote: plan.importNote,
    scopes: plan.scopes,
    builder: {
      buildx: caps.buildx,
      buildkit: caps.buildkit,
      driver: caps.driver,
      containerdStore: caps.containerdStore,
      cacheExport: caps.cacheExport,
      cacheService: caps.cacheService.version,
      gha: caps.cacheService.gha,
      ghaReason: caps.cacheService.ghaReason,
    },
  };
  report.cacheDetails = details;
  core.info(`Cache: ${report.cache}`);
  plan.builds.forEach((b, i) => core.info(`Cache${plan.builds.length > 1 ? ` (build ${i + 1})` : ''}: ${b.description}`));
}

/**
 * Runs one build with its cache: takes and restores a local cache first, builds, and when only
 * the cache export failed builds again without it; then keeps the new local cache. A cache
 * problem (a local cache another job on this machine holds among them) is a warning, never a
 * failed build.
 */
export async function buildWithCache(
  ctx: RunContext,
  unit: BuildUnit,
  build: (cacheArgs: string[]) => Promise<BuildResult>,
  pushedBefore?: Promise<string | undefined>,
): Promise<BuildResult> {
  const plan = ctx.cache?.builds[unit.index];
  if (!plan || !ctx.caps.buildx) return build([]);
  const report: BuildCacheReport = { from: [...plan.from], to: plan.to, imported: [], missing: [], notes: [] };
  unit.report.cache = report;
  let args = plan.args;
  const before = await pushedBefore;
  if (before && plan.to) {
    core.info(`Cache not exported again: ${before} is in the registry already, so an earlier run of this commit built these steps and exported their cache to ${cacheRefOf(plan.to)}.`);
    report.notes.push(`cache export skipped: this commit's image (${before}) was pushed before`);
    report.to = undefined;
    args = withoutExport(args);
  }
  let local = plan.local;
  let unlock: (() => void) | undefined;
  if (local) {
    const lock = lockLocalCache(local);
    if ('busy' in lock) {
      core.warning(`The local layer cache ${local.cachePath} is not used by this build: ${lock.busy}. Building without it.`);
      report.notes.push(`local cache not used: ${lock.busy}`);
      // A local cache plan reads and writes only that folder: without it, no cache at all.
      report.from = [];
      report.to = undefined;
      args = [];
      local = undefined;
    } else {
      unlock = lock.release;
    }
  }
  try {
    return await buildLocked(ctx, plan, report, args, local, build);
  } finally {
    unlock?.();
  }
}

async function buildLocked(
  ctx: RunContext,
  plan: BuildCachePlan,
  report: BuildCacheReport,
  planned: string[],
  local: LocalCachePlan | undefined,
  build: (cacheArgs: string[]) => Promise<BuildResult>,
): Promise<BuildResult> {
  let args = planned;
  let restored: LocalRestore | undefined;
  if (local) {
    restored = await restoreLocalCache(local);
    report.notes.push(restored.note);
    if (restored.restoredKey) report.restored = restored.restoredKey;
    // Nothing restored: reading the empty directory would only print a warning.
    if (!hasLocalCache(local)) {
      args = cacheArgs(plan.from.filter((f) => f !== `type=local,src=${local.dir}`), plan.to);
    }
  }

  let result: BuildResult;
  try {
    result = await build(args);
  } catch (error) {
    const failure = error instanceof BuildFailed && args.length ? cacheFailure(error.log) : undefined;
    if (!failure) throw error;
    const cause = readCacheLog((error as BuildFailed).log).exportError ?? /^ERROR: (?:failed to solve: )?(.*)$/m.exec((error as BuildFailed).log)?.[1] ?? 'unknown error';
    if (failure === 'export') {
      core.warning(`The cache export failed (${cause}); building again without exporting cache.`);
      report.exportError = cause;
      report.retriedWithoutExport = true;
      result = await build(withoutExport(args));
    } else {
      core.warning(`The cache could not be read (${cause}); building again without cache.`);
      report.notes.push(`cache import failed: ${cause}`);
      report.retriedWithoutExport = true;
      result = await build([]);
    }
  }

  // What was read, and the cache hits, are the first build's; the export is the last attempt's.
  const facts = readCacheLog(result.log);
  let exportError = facts.exportError;
  if (exportError && !report.retriedWithoutExport) {
    const retried = await retryExport(result, () => build(args));
    exportError = retried.exportError;
    if (retried.attempts > 1) {
      report.exportAttempts = retried.attempts;
      report.notes.push(`cache export: ${exportError ? 'failed' : 'written'} after ${retried.attempts} attempts`);
      result = { ...retried.last, cachedSteps: result.cachedSteps, totalSteps: result.totalSteps };
    }
  }
  report.imported = facts.imported;
  report.missing = facts.missing;
  if (exportError && !report.exportError) {
    report.exportError = exportError;
    core.warning(`The cache export failed and was skipped: ${exportError}`);
  }
  for (const problem of facts.unreadable) {
    core.warning(`The layer cache ${problem.source} could not be read: ${problem.reason} (${problem.error}). This build does without it.`);
    report.notes.push(`cache ${problem.source} not read: ${problem.reason}`);
  }
  const notFound = facts.missing.filter((m) => !facts.unreadable.some((u) => u.source === m));
  if (notFound.length) core.info(`Cache not found (a first build for this scope): ${notFound.join(', ')}`);
  if (facts.imported.length) core.info(`Cache read from: ${facts.imported.join(', ')}`);

  if (local && restored) {
    if (ctx.cache?.exports && !report.retriedWithoutExport) {
      const saved = await saveLocalCache(local, restored);
      report.notes.push(saved.note);
      if (saved.savedKey) report.saved = saved.savedKey;
      core.info(`Cache: ${saved.note}`);
    } else if (ctx.cache?.exportNote) {
      report.notes.push(ctx.cache.exportNote);
    }
  }
  return result;
}

/** The reference of a registry cache (`type=registry,ref=R,...` -> R), or the value itself. */
function cacheRefOf(to: string): string {
  return /(?:^|,)ref=([^,]+)/.exec(to)?.[1] ?? to;
}

/**
 * Whether this commit was built and pushed before, with its registry cache (a re-run, or the
 * same commit pushed again): a tag of the build that names the commit (`sha-1a2b3c4`, the full
 * SHA) holds an image in the first repository, and the cache reference exists. Such a build
 * exports no cache: every step it runs is one that earlier run exported. Only for a registry
 * cache (type=registry), where an export walks every cache blob in the registry again. One HEAD
 * each, side by side; anything but a clear yes (no such tag, a fault) is no. Returns the
 * reference found.
 */
export async function pushedBefore(ctx: Pick<RunContext, 'cache' | 'plan' | 'inputs' | 'facts'>, unit: BuildUnit): Promise<string | undefined> {
  const to = ctx.cache?.builds[unit.index]?.to;
  const image = ctx.plan.images[0];
  if (!to?.startsWith('type=registry,') || !image || !ctx.plan.push.enabled) return undefined;
  const sha = ctx.facts.sha.toLowerCase();
  const tag = unit.report.tags.find((t) => sha.length >= 7 && t.tag.toLowerCase().includes(sha.slice(0, 7)))?.tag;
  const cache = splitTag(cacheRefOf(to));
  if (!tag || !cache || !cache.repo.startsWith(`${image.registry}/`)) return undefined;
  const credentials = credentialsFor([image], ctx.inputs, process.env.GITHUB_ACTOR);
  const client = registryClientFor(image.registry, credentials, { timeoutMs: 5_000, retry: { policy: { ...DEFAULT_RETRY, attempts: 1 } } });
  try {
    const [held, cached] = await Promise.all([client.manifestDigest(image.path, tag), client.manifestDigest(cache.repo.slice(image.registry.length + 1), cache.tag)]);
    return held && cached ? `${image.name}:${tag}` : undefined;
  } catch (error) {
    core.debug(`Could not ask ${image.registry} whether this commit was pushed before: ${getErrorMessage(error)}`);
    return undefined;
  }
}
