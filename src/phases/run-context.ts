import * as core from '@actions/core';
import type { Facts } from '../context.js';
import type { Capabilities } from '../engine/capabilities.js';
import type { Docker } from '../engine/docker.js';
import type { ImageFacts } from '../engine/image.js';
import type { Inputs } from '../inputs.js';
import type { CachePlan } from '../plan/cache.js';
import type { BuildPlan, Plan } from '../plan/plan.js';
import type { BuildReport, RunReport } from './report.js';

/** What every phase of one run shares. */
export interface RunContext {
  facts: Facts;
  inputs: Inputs;
  plan: Plan;
  docker: Docker;
  caps: Capabilities;
  report: RunReport;
  /** The layer cache decision (no cache when absent). */
  cache?: CachePlan;
  /** Private scratch folder of this run (removed by the post step). */
  workDir: string;
  /** Registries that refused this run's login, with why: nothing is pushed to or asked of them. */
  loginFailures: Map<string, string>;
}

/** One build of the plan, with its report, as the phases see it. */
export interface BuildUnit {
  index: number;
  build: BuildPlan;
  report: BuildReport;
  /** The moving-tag guard has looked at the registries for this build. */
  guarded?: boolean;
  /** What the engine said about the built image (the default build inspects it once). */
  image?: ImageFacts;
  /**
   * The run-local name of the built image (Docker.localTag): only this run can move it, so the
   * autotests run on it. Removed at the end of the main step.
   */
  localRef?: string;
  /**
   * On the classic image store, one image a platform (buildsEachPlatform): each built, tested and
   * pushed by digest on its own, sharing this build's report.
   */
  platformUnits?: { platform: string; unit: BuildUnit }[];
}

/** Runs a phase inside a log group (titled `group`, or none: the phase opens its own) and adds its time to the report. */
export async function timed<T>(report: RunReport, phase: string, fn: () => Promise<T>, group: string | false = phase): Promise<T> {
  const started = Date.now();
  try {
    return await (group === false ? fn() : core.group(group, fn));
  } finally {
    report.timings[phase] = (report.timings[phase] ?? 0) + (Date.now() - started) / 1000;
  }
}
