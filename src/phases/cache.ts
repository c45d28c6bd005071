import * as core from '@actions/core';
import type { BuildResult } from '../engine/build.js';
import { BuildFailed } from '../engine/build.js';
import {
  cacheFailure,
  hasLocalCache,
  readCacheLog,
  restoreLocalCache,
  saveLocalCache,
  withoutExport,
  type LocalRestore,
} from '../engine/cache.js';
import type { Capabilities } from '../engine/capabilities.js';
import { cacheArgs, describeCache, type CachePlan } from '../plan/cache.js';
import type { BuildCacheReport, CacheDetails, RunReport } from './report.js';
import type { BuildUnit, RunContext } from './run-context.js';

/** Puts the cache decision into the report and the log (before login and build). */
export function announceCache(report: RunReport, plan: CachePlan, caps: Capabilities): void {
  report.cache = describeCache(plan);
  const details: CacheDetails = {
    requested: plan.requested,
    backend: plan.backend,
    reason: plan.reason,
    exports: plan.exports,
    exportNote: plan.exportNote,
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
 * Runs one build with its cache: restores a local cache first, builds, and when only the cache
 * export failed builds again without it; then keeps the new local cache. A cache problem is a
 * warning, never a failed build.
 */
export async function buildWithCache(ctx: RunContext, unit: BuildUnit, build: (cacheArgs: string[]) => Promise<BuildResult>): Promise<BuildResult> {
  const plan = ctx.cache?.builds[unit.index];
  if (!plan || !ctx.caps.buildx) return build([]);
  const report: BuildCacheReport = { from: [...plan.from], to: plan.to, imported: [], missing: [], notes: [] };
  unit.report.cache = report;
  let args = plan.args;
  let restored: LocalRestore | undefined;
  if (plan.local) {
    restored = await restoreLocalCache(plan.local);
    report.notes.push(restored.note);
    if (restored.restoredKey) report.restored = restored.restoredKey;
    // Nothing restored: reading the empty directory would only print a warning.
    if (!hasLocalCache(plan.local)) {
      args = cacheArgs(plan.from.filter((f) => f !== `type=local,src=${plan.local!.dir}`), plan.to);
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

  const facts = readCacheLog(result.log);
  report.imported = facts.imported;
  report.missing = facts.missing;
  if (facts.exportError && !report.exportError) {
    report.exportError = facts.exportError;
    core.warning(`The cache export failed and was skipped: ${facts.exportError}`);
  }
  if (facts.missing.length) core.info(`Cache not found (a first build, or not readable): ${facts.missing.join(', ')}`);
  if (facts.imported.length) core.info(`Cache read from: ${facts.imported.join(', ')}`);

  if (plan.local && restored) {
    if (ctx.cache?.exports && !report.retriedWithoutExport) {
      const saved = await saveLocalCache(plan.local, restored);
      report.notes.push(saved.note);
      if (saved.savedKey) report.saved = saved.savedKey;
      core.info(`Cache: ${saved.note}`);
    } else if (ctx.cache?.exportNote) {
      report.notes.push(ctx.cache.exportNote);
    }
  }
  return result;
}
