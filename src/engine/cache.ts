import * as core from '@actions/core';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { getErrorMessage } from '../errors.js';
import type { LocalCachePlan } from '../plan/cache.js';
import { classifyOutput } from './retry.js';

/** What BuildKit's progress log says about the cache. Pure. */
export interface CacheLog {
  /** Cache sources BuildKit read (no error). */
  imported: string[];
  /** Cache sources that were missing or unreadable (never a failure). */
  missing: string[];
  /**
   * Of those, the ones BuildKit could not read for another reason than "not found" (unreachable,
   * refused, a server error, a reset): a warning, where a plain "not found" (a first build) is not.
   */
  unreadable: CacheReadProblem[];
  /** The cache export's own error, when it failed (ignored or not). */
  exportError?: string;
  /** Some step other than a cache import or export failed. */
  otherError: boolean;
}

/** A cache source BuildKit could not read, and why. */
export interface CacheReadProblem {
  source: string;
  /** The cause in words: "connection refused", "HTTP 503 Service Unavailable", ... */
  reason: string;
  /** BuildKit's own error. */
  error: string;
}

/**
 * Why BuildKit could not read a cache source, from its error; undefined when the source simply
 * does not exist yet (a first build: the registry answered "not found", or a local cache folder
 * is not there). Pure.
 */
export function cacheReadProblem(error: string): string | undefined {
  const cause = error.replace(/^failed to configure \S+ cache importer: /, '');
  if (/no such file or directory\s*$/.test(cause)) return undefined;
  const fault = classifyOutput(cause);
  if (fault.status === 404) return undefined;
  if (fault.status === 401) return 'unauthorized (HTTP 401): no or wrong credentials for reading it';
  if (fault.status === 403) return 'access denied (HTTP 403): the credentials may not read it';
  return fault.reason;
}

export function readCacheLog(log: string): CacheLog {
  const titles = new Map<string, string>();
  const errors = new Map<string, string>();
  for (const m of log.matchAll(/^#(\d+) (.*)$/gm)) {
    const [, step, text] = m as unknown as [string, string, string];
    if (!titles.has(step)) titles.set(step, text);
    else if (text.startsWith('ERROR:') && !errors.has(step)) errors.set(step, text.slice(6).trim());
  }
  const out: CacheLog = { imported: [], missing: [], unreadable: [], otherError: false };
  const missing = (source: string, error: string): void => {
    out.missing.push(source);
    const reason = cacheReadProblem(error);
    if (reason) out.unreadable.push({ source, reason, error });
  };
  for (const [step, title] of titles) {
    const error = errors.get(step);
    const source = /^importing cache manifest from (.+)$/.exec(title)?.[1];
    if (source) {
      if (error) missing(source, error);
      else out.imported.push(source);
    } else if (/^exporting cache\b/.test(title)) {
      if (error) out.exportError = error;
    } else if (error) {
      out.otherError = true;
    }
  }
  for (const m of log.matchAll(/^WARNING: local cache import at (\S+) not found(?: due to err: (.*))?$/gm)) missing(m[1]!, m[2] ?? 'not found');
  return out;
}

/**
 * Build steps with work (RUN, COPY, ...: not FROM), and those that came from a cache: BuildKit prints CACHED
 * for a local hit; a hit from an imported cache shows only its layer download and extraction.
 */
export function countCacheHits(log: string): { steps: number; cached: number } {
  const lines = new Map<string, string[]>();
  const work = new Set<string>();
  for (const m of log.matchAll(/^#(\d+) (.*)$/gm)) {
    const [, step, text] = m as unknown as [string, string, string];
    // Steps of the Dockerfile, not BuildKit's own (internal, auth) nor the base image (FROM).
    if (/^\[[^\]]*\d+\/\d+\] (?!FROM )/.test(text)) {
      if (!lines.has(step)) lines.set(step, []);
      work.add(step);
      continue;
    }
    lines.get(step)?.push(text);
  }
  let cached = 0;
  for (const step of work) {
    const body = (lines.get(step) ?? []).filter((l) => !/^DONE\b/.test(l));
    if (body.includes('CACHED')) cached++;
    else if (body.length > 0 && body.every((l) => /^(extracting )?sha256:[a-f0-9]+\b/.test(l))) cached++;
  }
  return { steps: work.size, cached };
}

/**
 * Whether a failed build failed only because of its cache: `export` when the cache export (or its
 * set-up) failed, `import` when setting up a cache import failed; undefined for a real failure.
 */
export function cacheFailure(log: string): 'export' | 'import' | undefined {
  const final = [...log.matchAll(/^ERROR: (?:failed to solve: )?(.*)$/gm)].map((m) => m[1]!).join('\n');
  if (/failed to configure \S+ cache exporter/.test(final)) return 'export';
  if (/failed to configure \S+ cache importer/.test(final)) return 'import';
  const facts = readCacheLog(log);
  return facts.exportError !== undefined && !facts.otherError ? 'export' : undefined;
}

/** The build failed only because its cache export failed: the same build without --cache-to will do. */
export function failedOnlyOnExport(log: string): boolean {
  return cacheFailure(log) === 'export';
}

/** The arguments without the cache export. Pure. */
export function withoutExport(args: string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    if (args[i] === '--cache-to') i++;
    else out.push(args[i]!);
  }
  return out;
}

function hasCache(dir: string): boolean {
  return fs.existsSync(path.join(dir, 'index.json'));
}

function blobs(dir: string): Set<string> {
  try {
    return new Set(fs.readdirSync(path.join(dir, 'blobs', 'sha256')));
  } catch {
    return new Set();
  }
}

/** How long a lock of a local cache folder holds against a live owner (a build longer than this is not waited for). */
const LOCK_HOLDS_MS = 6 * 60 * 60 * 1000;

/**
 * Takes the local cache folder for this run: two jobs on one machine (runners sharing a home
 * folder) would otherwise restore into, build from and swap the same folders. Returns the
 * release function, or why the folder cannot be had: another live process of this machine
 * holds it. A lock whose owner is gone (a killed run) or is older than LOCK_HOLDS_MS is taken
 * over. Never throws.
 */
export function lockLocalCache(local: Pick<LocalCachePlan, 'dir'>, now = Date.now()): { release: () => void } | { busy: string } {
  const lock = `${local.dir}.lock`;
  const owner = path.join(lock, 'owner.json');
  const release = (): void => fs.rmSync(lock, { recursive: true, force: true });
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      fs.mkdirSync(path.dirname(lock), { recursive: true });
      fs.mkdirSync(lock);
      fs.writeFileSync(owner, JSON.stringify({ pid: process.pid, since: now }));
      return { release };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') return { busy: `its lock ${lock} cannot be made: ${getErrorMessage(error)}` };
    }
    let held: { pid?: number; since?: number } = {};
    try {
      held = JSON.parse(fs.readFileSync(owner, 'utf8')) as typeof held;
    } catch {
      // Just made by its owner, who has not written the file yet, or left half-made long ago.
      const made = fs.statSync(lock, { throwIfNoEntry: false });
      if (made && now - made.mtimeMs < 60_000) return { busy: `another job on this machine is taking it (${lock})` };
    }
    if (held.pid && held.pid !== process.pid && alive(held.pid) && now - (held.since ?? 0) < LOCK_HOLDS_MS) {
      return { busy: `another job on this machine (process ${held.pid}) is using it since ${new Date(held.since ?? 0).toISOString()}` };
    }
    release();
  }
  return { busy: `its lock ${lock} keeps coming back` };
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export interface LocalRestore {
  /** Key of the entry restored, when one was. */
  restoredKey?: string;
  /** Blobs of the restored cache, to tell afterwards whether anything changed. */
  blobs: Set<string>;
  note: string;
}

/**
 * Restores the cache directory through the runner's cache service: this scope's newest entry
 * first, then the fallbacks. Never throws: a cache that cannot be had is a warning.
 */
export async function restoreLocalCache(local: LocalCachePlan): Promise<LocalRestore> {
  fs.rmSync(local.dir, { recursive: true, force: true });
  fs.rmSync(local.newDir, { recursive: true, force: true });
  fs.mkdirSync(path.dirname(local.dir), { recursive: true });
  let restoredKey: string | undefined;
  try {
    // Loaded only for cache: local, so other runs do not pay for it at start-up.
    const cache = await import('@actions/cache');
    restoredKey = await cache.restoreCache([local.cachePath], local.key, local.restoreKeys);
  } catch (error) {
    core.warning(`Could not restore the layer cache: ${getErrorMessage(error)}. Building without it.`);
  }
  if (restoredKey && !hasCache(local.dir)) {
    core.warning(`The restored cache ${restoredKey} holds no BuildKit cache: building without it.`);
    fs.rmSync(local.dir, { recursive: true, force: true });
    restoredKey = undefined;
  }
  const note = restoredKey ? `restored ${restoredKey}` : 'no cache entry for this scope or its fallbacks';
  return { restoredKey, blobs: blobs(local.dir), note };
}

export interface LocalSave {
  savedKey?: string;
  note: string;
}

/**
 * Swaps the cache the build just wrote in for the restored one (so old blobs are dropped, not
 * kept forever), then saves it under this scope's key, unless nothing changed. Never throws.
 */
export async function saveLocalCache(local: LocalCachePlan, restored: LocalRestore): Promise<LocalSave> {
  try {
    if (!hasCache(local.newDir)) return { note: 'the build wrote no cache: nothing to save' };
    const fresh = blobs(local.newDir);
    fs.rmSync(local.dir, { recursive: true, force: true });
    fs.renameSync(local.newDir, local.dir);
    const unchanged = restored.restoredKey !== undefined && fresh.size === restored.blobs.size && [...fresh].every((b) => restored.blobs.has(b));
    if (restored.restoredKey === local.key) return { note: `an entry for ${local.key} exists already: not saved again` };
    if (unchanged) return { note: `unchanged since ${restored.restoredKey}: not uploaded again` };
    const cache = await import('@actions/cache');
    const id = await cache.saveCache([local.cachePath], local.key);
    if (id === -1) return { note: `the runner's cache service did not take ${local.key}` };
    return { savedKey: local.key, note: `saved ${local.key} (${fresh.size} blobs)` };
  } catch (error) {
    const message = `Could not save the layer cache: ${getErrorMessage(error)}`;
    core.warning(message);
    return { note: message };
  }
}

export function hasLocalCache(local: LocalCachePlan): boolean {
  return hasCache(local.dir);
}
