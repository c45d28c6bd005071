import * as path from 'node:path';
import { UserError } from '../errors.js';
import type { BuildRule } from './rules.js';

/**
 * The build context and Dockerfile of a rule, with Docker Hub's path semantics: the context is
 * relative to the repository root ('/' is the root), the Dockerfile relative to the context, and
 * a blank context means the Dockerfile's folder (the Dockerfile then being relative to the root).
 * A rule that names neither keeps the `context`/`file` inputs. Pure.
 */
export function rulePaths(
  workspace: string,
  rule: Pick<BuildRule, 'index' | 'dockerfile' | 'context'>,
  fallback: { context: string; file: string },
): { context: string; file: string } {
  if (rule.dockerfile === undefined && rule.context === undefined) return fallback;
  const inside = (key: string, value: string, abs: string): string => {
    const rel = path.relative(workspace, abs);
    if (rel.startsWith('..') || path.isAbsolute(rel)) {
      throw new UserError(`Input 'rules', rule ${rule.index}: ${key} '${value}' leaves the repository; paths are relative to the repository root.`);
    }
    return abs;
  };
  const dockerfile = (rule.dockerfile ?? '').trim().replace(/^\/+/, '') || 'Dockerfile';
  const contextValue = (rule.context ?? '').trim();
  if (!contextValue) {
    const file = inside('dockerfile', rule.dockerfile ?? '', path.join(workspace, dockerfile));
    return { context: path.dirname(file), file };
  }
  const context = inside('context', contextValue, path.join(workspace, contextValue.replace(/^\/+/, '')));
  return { context, file: inside('dockerfile', rule.dockerfile ?? '', path.join(context, dockerfile)) };
}
