import * as core from '@actions/core';
import type { BuildCheck } from '../engine/checks.js';
import type { CleanupReport } from './cleanup.js';
import type { Facts } from '../context.js';
import type { PushDecision } from '../plan/plan.js';
import type { TagDecision } from '../plan/tags.js';
import type { Trust } from '../plan/trust.js';
import type { HubDescriptionReport } from './hub-description.js';
import type { DiskReport } from './sizes.js';
import type { RebuildReport } from './rebuild.js';
import { annotationsOf, summaryMarkdown } from './summary.js';

export interface TestReport {
  name: string;
  /** The platform whose image it ran in, when `platforms` was given. */
  platform?: string;
  passed: boolean;
  seconds: number;
  /** The last lines of a failed test's output, for its annotation. */
  tail?: string;
}

export interface BuildReport {
  name: string;
  tags: (TagDecision & { held?: string })[];
  /** Every full reference planned for this build. */
  refs: string[];
  pushedRefs: string[];
  /** Repositories that already held this image under every tag: nothing was pushed there. */
  unchanged?: string[];
  digest?: string;
  imageId?: string;
  version: string;
  labels: Record<string, string>;
  tests: TestReport[];
  /** Docker Hub hooks that ran, in order. */
  hooks?: string[];
  /**
   * A hooks/build that made no $IMAGE_NAME but other names, for its hooks/push to push
   * (HookRunner.build): the names it made. The build has no image of autobuild's then.
   */
  hookImages?: string[];
  cachedSteps?: number;
  totalSteps?: number;
  /** Image size in bytes, as the engine reports it. */
  size?: number;
  /** The image this one is built on (Dockerfile FROM, or the base-name label). */
  baseImage?: string;
  cache?: BuildCacheReport;
  /** BuildKit's check findings on the Dockerfile (`check` input), when the builder ran them. */
  checks?: (BuildCheck & { level: 'warning' | 'error' })[];
  /** Why no checks ran, when none did. */
  checksNote?: string;
  /** The Dockerfile the checks read, relative to the workspace (for annotations). */
  checkFile?: string;
  /** A distributed build (input distribute): this job's share and where the image stands. */
  distribution?: DistributionReport;
}

export interface DistributionReport {
  platforms: string[];
  share: string[];
  /** This job's platform manifests, pushed by digest. */
  manifests: { platform: string; digest: string }[];
  /**
   * tagged: this job put the index under the tags; untagged: every platform passed but no tag
   * moved (held back, or tagging failed); waiting: other platforms had not reported; failed: one
   * did not pass.
   */
  state: 'tagged' | 'untagged' | 'waiting' | 'failed';
  waiting?: string[];
  failed?: { platform: string; error: string }[];
}

/** What the cache did for one build. */
export interface BuildCacheReport {
  from: string[];
  to?: string;
  /** Sources BuildKit read, and sources that were missing or unreadable (the unreadable ones are also in notes, with why). */
  imported: string[];
  missing: string[];
  exportError?: string;
  /** Builds it took to write the cache, when a transient export failure was retried. */
  exportAttempts?: number;
  retriedWithoutExport?: boolean;
  /** cache: local: what was restored and saved. */
  restored?: string;
  saved?: string;
  notes: string[];
}

/** The cache decision and the facts it was made from. */
export interface CacheDetails {
  requested: string;
  backend: string;
  reason: string;
  exports: boolean;
  exportNote?: string;
  /** Why the cache is not read, when it is not. */
  importNote?: string;
  scopes: { write: string; read: string[] };
  builder: {
    buildx?: string;
    buildkit?: string;
    driver?: string;
    containerdStore: boolean;
    cacheExport: boolean;
    cacheService?: string;
    gha: boolean;
    ghaReason: string;
  };
}

/** The whole result of a run: what outputs, the summary and `metadata` are made from. */
export interface RunReport {
  facts?: Facts;
  /** Who wrote the code, as the plan decided (trust.ts). */
  trust?: Trust;
  push?: PushDecision;
  skipped?: string;
  builds: BuildReport[];
  builder?: string;
  cache?: string;
  cacheDetails?: CacheDetails;
  /** Seconds per phase. */
  timings: Record<string, number>;
  pushed: boolean;
  error?: string;
  /** Link to the pull-request comment that describes the preview image, once written. */
  previewComment?: string;
  /** A closed pull request's preview tags, removed or kept. */
  cleanup?: CleanupReport;
  /** rebuild: base-changed: what the check before the build found. */
  rebuild?: RebuildReport;
  /** The engine's free disk space against what the build needs, when it could be compared (sizes.ts). */
  disk?: DiskReport;
  /** The Docker Hub description (input dockerhub-description): updated or not, and why; absent without a Docker Hub repository. */
  dockerhubDescription?: HubDescriptionReport;
}

export function outputsOf(report: RunReport): Record<string, string> {
  const first = report.builds[0];
  return {
    // A moving tag held back by the registry check, or a pull request's local-only name, was not
    // pushed: it is not among the image's references.
    tags: report.builds.flatMap((b) => b.refs.filter((r) => !b.tags.some((t) => (t.held || t.local) && r.endsWith(`:${t.tag}`)))).join('\n'),
    version: first?.version ?? '',
    digest: first?.digest ?? '',
    imageid: first?.imageId ?? '',
    labels: first ? Object.entries(first.labels).map(([k, v]) => `${k}=${v}`).join('\n') : '',
    metadata: JSON.stringify(metadataOf(report)),
    pushed: String(report.pushed),
  };
}

function metadataOf(report: RunReport): unknown {
  const { facts, ...rest } = report;
  return {
    ...rest,
    event: facts && {
      name: facts.eventName,
      ref: facts.ref,
      sha: facts.sha,
      defaultBranch: facts.defaultBranch,
      pullRequest: facts.pr,
    },
  };
}

/** Sets every output, raises annotations and writes the job summary; safe to call after a failure. */
export async function publish(report: RunReport): Promise<void> {
  for (const [name, value] of Object.entries(outputsOf(report))) core.setOutput(name, value);
  for (const a of annotationsOf(report)) {
    const where = a.file ? { file: a.file, ...(a.startLine ? { startLine: a.startLine, endLine: a.endLine ?? a.startLine } : {}) } : {};
    (a.level === 'error' ? core.error : core.warning)(a.message, { title: a.title, ...where });
  }
  if (process.env.GITHUB_STEP_SUMMARY) {
    await core.summary.addRaw(summaryMarkdown(report), true).write();
  }
}
