import * as core from '@actions/core';
import * as fs from 'node:fs';
import { getErrorMessage } from '../errors.js';
import { imageFacts } from '../engine/image.js';
import { expand, instructions, unquote } from '../plan/dockerfile.js';
import type { BuildUnit, RunContext } from './run-context.js';

/** The label a build may set to name its base image; it wins over reading the Dockerfile. */
export const BASE_NAME_LABEL = 'org.opencontainers.image.base.name';

interface Stage {
  image: string;
  name?: string;
}

/**
 * The image a Dockerfile builds on: the FROM of the target stage (the last stage when no target),
 * followed through stage names to an image, with ARGs declared before the first FROM expanded
 * (build arguments win over their defaults). Undefined when it cannot be told without building.
 */
export function baseImageOf(dockerfile: string, opts: { target?: string; buildArgs?: Record<string, string> } = {}): string | undefined {
  const args = new Map<string, string | undefined>();
  const stages: Stage[] = [];
  for (const line of instructions(dockerfile)) {
    const m = /^(\S+)\s*(.*)$/.exec(line)!;
    const keyword = m[1]!.toUpperCase();
    const rest = m[2]!;
    if (keyword === 'ARG' && stages.length === 0) {
      for (const decl of rest.split(/\s+/).filter(Boolean)) {
        const eq = decl.indexOf('=');
        const name = eq < 0 ? decl : decl.slice(0, eq);
        const given = opts.buildArgs?.[name];
        args.set(name, given ?? (eq < 0 ? undefined : unquote(decl.slice(eq + 1))));
      }
    } else if (keyword === 'FROM') {
      const words = rest.split(/\s+/).filter((w) => !w.startsWith('--'));
      const image = words[0] ?? '';
      const name = words[1]?.toLowerCase() === 'as' ? words[2]?.toLowerCase() : undefined;
      stages.push({ image, name });
    }
  }
  let index = stages.length - 1;
  if (opts.target) index = stages.findIndex((s) => s.name === opts.target!.toLowerCase());
  // Follow `FROM <earlier stage>` to the image that stage starts from.
  for (let hops = 0; index >= 0 && hops <= stages.length; hops++) {
    const image = expand(stages[index]!.image, args);
    if (!image) return undefined;
    let earlier = index - 1;
    while (earlier >= 0 && stages[earlier]!.name !== image.toLowerCase()) earlier--;
    if (earlier < 0) return image;
    index = earlier;
  }
  return undefined;
}

/** Build arguments as a record: `NAME=value`, or `NAME` alone taking the value from the environment. */
export function buildArgsRecord(buildArgs: string[], env: NodeJS.ProcessEnv = process.env): Record<string, string> {
  const out: Record<string, string> = {};
  for (const arg of buildArgs) {
    const eq = arg.indexOf('=');
    if (eq >= 0) out[arg.slice(0, eq)] = arg.slice(eq + 1);
    else if (env[arg] !== undefined) out[arg] = env[arg]!;
  }
  return out;
}

/** Size and base image of a built image, for the summary and the preview comment. Never fails the run. */
export async function describeImage(ctx: RunContext, unit: BuildUnit): Promise<void> {
  const br = unit.report;
  try {
    const facts = unit.image ?? (br.imageId ? await imageFacts(ctx.docker, br.imageId) : undefined);
    if (facts?.size !== undefined) br.size = facts.size;
    let base = facts?.labels[BASE_NAME_LABEL];
    if (!base && fs.existsSync(unit.build.file)) {
      base = baseImageOf(fs.readFileSync(unit.build.file, 'utf8'), {
        target: ctx.inputs.target || undefined,
        buildArgs: buildArgsRecord(ctx.inputs.buildArgs),
      });
    }
    if (base) br.baseImage = base;
  } catch (error) {
    core.debug(`Could not describe the image of ${unit.build.name}: ${getErrorMessage(error)}`);
  }
}
