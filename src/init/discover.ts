import * as fs from 'node:fs';
import * as path from 'node:path';
import { findHooks } from '../phases/hooks.js';
import { autotestsFor } from '../phases/test.js';
import type { FoundDockerfile } from './workflow.js';

/** Folders never searched: dependencies and tool folders (.git, .github, .devcontainer, ...). */
const SKIPPED = new Set(['node_modules', 'vendor', 'bower_components', '__pycache__']);
/** How deep Dockerfiles are looked for. */
const MAX_DEPTH = 8;

/** A Dockerfile's name: Dockerfile, Dockerfile.<variant>, <variant>.Dockerfile; not its .dockerignore or a template. */
export function isDockerfileName(name: string): boolean {
  if (!/^Dockerfile$|^Dockerfile[.-][\w.-]+$|^[\w.-]+\.[Dd]ockerfile$/.test(name)) return false;
  return !/\.(dockerignore|md|txt|bak|orig|rej|swp|tmpl|template|tpl|j2|jinja2?|in|erb|sh|ya?ml|json|toml)$/i.test(name);
}

/**
 * The Dockerfiles of a repository with the Docker Hub files next to each (its hooks/ and its
 * autotest files, found as the action finds them), sorted: the root Dockerfile first, then by
 * depth and path. Dot-folders, node_modules and vendor folders are skipped; links are not followed.
 */
export function findDockerfiles(root: string): FoundDockerfile[] {
  const files: string[] = [];
  const walk = (dir: string, depth: number): void => {
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      if (e.isDirectory()) {
        if (depth < MAX_DEPTH && !e.name.startsWith('.') && !SKIPPED.has(e.name)) walk(path.join(dir, e.name), depth + 1);
      } else if (e.isFile() && isDockerfileName(e.name)) {
        files.push(path.relative(root, path.join(dir, e.name)).split(path.sep).join('/'));
      }
    }
  };
  walk(root, 0);
  const depth = (f: string): number => f.split('/').length;
  files.sort((a, b) => Number(b === 'Dockerfile') - Number(a === 'Dockerfile') || depth(a) - depth(b) || a.localeCompare(b));
  return files.map((file) => {
    const abs = path.join(root, file);
    const hooks = findHooks({ file: abs }, 'auto');
    const autotests = autotestsFor({ file: abs }, 'auto', hooks).map((f) => path.relative(root, f).split(path.sep).join('/'));
    return { file, hooks: [...hooks.keys()], autotests };
  });
}
