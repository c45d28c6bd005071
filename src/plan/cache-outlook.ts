import type { Capabilities } from '../engine/capabilities.js';
import type { Inputs } from '../inputs.js';
import { chooseBackend, planCache, type CacheBackend, type CacheEnv } from './cache.js';
import type { Plan } from './plan.js';

type RunnerCaps = Pick<Capabilities, 'buildx' | 'driver' | 'containerdStore' | 'cacheExport' | 'cacheService'>;

/** A kind of runner the cache decision tells apart (README, "Layer cache"), as its capabilities would read. */
interface Runner {
  /** Where this is the case, in words. */
  where: string;
  caps: RunnerCaps;
}

const NO_SERVICE = { token: false, gha: false, ghaReason: 'not on a GitHub runner' };
const GHA_RUNNER: Runner = {
  where: "on a GitHub runner whose builder can export cache and whose buildx and BuildKit speak the runner's cache service",
  caps: { buildx: '0.29.0', driver: 'docker', containerdStore: true, cacheExport: true, cacheService: { version: 'v2', token: true, gha: true, ghaReason: 'runner cache service v2' } },
};
const EXPORTING: Runner = {
  where: 'where the builder can export cache (docker driver with the containerd image store, docker-container, remote)',
  caps: { buildx: '0.29.0', driver: 'docker', containerdStore: true, cacheExport: true, cacheService: NO_SERVICE },
};
const CLASSIC: Runner = {
  where: 'on the docker driver with the classic image store (GitHub-hosted runners out of the box)',
  caps: { buildx: '0.29.0', driver: 'docker', containerdStore: false, cacheExport: false, cacheService: NO_SERVICE },
};
const NO_BUILDX: Runner = { where: 'without buildx', caps: { containerdStore: false, cacheExport: false, cacheService: NO_SERVICE } };

/** What `cache: auto` picks on each kind of runner, in the order it prefers them. */
const AUTO_RUNNERS = [GHA_RUNNER, EXPORTING, CLASSIC, NO_BUILDX];

/** A runner that can give a forced backend, and what the run checks before login and build. */
const FORCED: Record<Exclude<CacheBackend, 'off'>, { runner: Runner; needs: string }> = {
  registry: { runner: EXPORTING, needs: 'a builder that can export cache (the containerd image store, docker-container, remote)' },
  gha: { runner: GHA_RUNNER, needs: "a GitHub runner whose builder can export cache and whose buildx and BuildKit speak the runner's cache service" },
  local: { runner: GHA_RUNNER, needs: "a builder that can export cache, and the runner's cache service (a step of a GitHub Actions job)" },
  inline: { runner: CLASSIC, needs: 'buildx' },
};

/**
 * The cache a run would use, said without asking the engine: the backend (for `auto`, what it
 * picks on each kind of runner, since the run decides against the engine and builder it finds)
 * and the exact refs or scopes for this ref, from the run's own cache planner. Pure.
 */
export function describeCacheOutlook(
  facts: Parameters<typeof planCache>[1],
  inputs: Pick<Inputs, 'cache' | 'target' | 'platforms'>,
  plan: Pick<Plan, 'images' | 'builds' | 'push' | 'trust'>,
  env: CacheEnv = { homeDir: '~' },
): string[] {
  if (plan.builds.length === 0) return [];
  // The cache of the builds on one runner: one line, or a line for each build below it.
  const on = (runner: Runner, indent: string): { head: string; more: string[] } => {
    const cache = planCache(runner.caps, facts, inputs, plan, env);
    if (cache.backend === 'off') return { head: '', more: [] };
    if (cache.builds.length === 1) return { head: `${cache.builds[0]!.description}${cache.exportNote ? `; ${cache.exportNote}` : ''}`, more: [] };
    return { head: cache.exportNote ?? '', more: cache.builds.map((b, i) => `${indent}${plan.builds[i]!.name}: ${b.description}`) };
  };
  const line = (label: string, { head, more }: { head: string; more: string[] }): string[] => [`${label}${head ? `: ${head}` : more.length ? ':' : ''}`, ...more];
  const requested = inputs.cache;
  if (requested === 'off') return ['Cache: off (cache: off)'];
  if (requested !== 'auto') {
    const forced = FORCED[requested];
    return [
      ...line(`Cache: ${requested} (cache: ${requested})`, on(forced.runner, '  ')),
      `  note: needs ${forced.needs}; the run checks that against the engine before login and build, and fails there without it`,
    ];
  }
  const lines = ['Cache: auto, decided at run time against the engine and builder there (not asked now). It picks:'];
  for (const runner of AUTO_RUNNERS) lines.push(...line(`  ${chooseBackend(runner.caps, 'auto').backend} ${runner.where}`, on(runner, '    ')));
  return lines;
}
