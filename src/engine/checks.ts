import * as fs from 'node:fs';

/**
 * BuildKit's build checks (the Dockerfile linter, BuildKit >= 0.14 with buildx >= 0.15): they
 * run inside the build itself, so reading them costs no second build. buildx writes them into the
 * metadata file when BUILDX_METADATA_WARNINGS is set (rule, message, line range, link), and into
 * the progress log as `#1 WARN: Rule: message (line N)`: the log is what is left when a build that
 * `check: error` failed wrote no metadata file. Pure, but for reading the metadata file.
 */

export const CHECK_MODES = ['warn', 'error', 'off'] as const;
export type CheckMode = (typeof CHECK_MODES)[number];

export interface BuildCheck {
  /** The rule's name: `JSONArgsRecommended`. */
  rule: string;
  /** What it says, without the rule name and the line. */
  message: string;
  /** The Dockerfile's lines it is about (1-based), when it names them. */
  line?: number;
  endLine?: number;
  /** The rule's documentation. */
  url?: string;
}

/** The build argument that sets BuildKit's checks for one build (it wins over a `# check=` directive). */
export const CHECK_BUILD_ARG = 'BUILDKIT_DOCKERFILE_CHECK';

/**
 * The `--build-arg` for a check mode: none for `warn` (BuildKit's default, and the Dockerfile's
 * own `# check=` directive stays in force), none where the user set the argument in `build-args`.
 */
export function checkBuildArgs(mode: CheckMode, userBuildArgs: readonly string[]): string[] {
  if (mode === 'warn' || userBuildArgs.some((a) => a === CHECK_BUILD_ARG || a.startsWith(`${CHECK_BUILD_ARG}=`))) return [];
  return ['--build-arg', `${CHECK_BUILD_ARG}=${mode === 'error' ? 'error=true' : 'skip=all'}`];
}

/** "Rule: message (line 3)" -> its parts. */
function splitWarning(text: string): Pick<BuildCheck, 'rule' | 'message' | 'line'> | undefined {
  const m = /^([A-Z][A-Za-z0-9]+): ([\s\S]*?)(?: \(line (\d+)\))?\s*$/.exec(text.trim());
  if (!m) return undefined;
  return { rule: m[1]!, message: m[2]!.trim(), ...(m[3] ? { line: Number(m[3]) } : {}) };
}

const decode = (b64: unknown): string => (typeof b64 === 'string' ? Buffer.from(b64, 'base64').toString('utf8') : '');

interface MetadataWarning {
  level?: number;
  short?: string;
  url?: string;
  range?: { start?: { line?: number }; end?: { line?: number } }[];
}

/**
 * The checks buildx wrote into the metadata file (`buildx.build.warnings`); undefined when the
 * file has no such field (an older buildx, no warnings, or no file).
 */
export function checksFromMetadata(metadataFile: string): BuildCheck[] | undefined {
  let warnings: unknown;
  try {
    warnings = (JSON.parse(fs.readFileSync(metadataFile, 'utf8')) as Record<string, unknown> | null)?.['buildx.build.warnings'];
  } catch {
    return undefined;
  }
  if (!Array.isArray(warnings)) return undefined;
  const out: BuildCheck[] = [];
  for (const w of warnings as MetadataWarning[]) {
    const parts = splitWarning(decode(w.short));
    if (!parts) continue;
    const start = w.range?.[0]?.start?.line ?? parts.line;
    const end = w.range?.[0]?.end?.line ?? start;
    out.push({
      rule: parts.rule,
      message: parts.message,
      ...(start ? { line: start, endLine: end && end >= start ? end : start } : {}),
      ...(typeof w.url === 'string' && /^https:\/\//.test(w.url) ? { url: w.url } : {}),
    });
  }
  return sortChecks(out);
}

/** The checks in BuildKit's plain progress log (`#1 WARN: Rule: message (line N)`), once each. */
export function checksFromLog(log: string): BuildCheck[] {
  const out: BuildCheck[] = [];
  const seen = new Set<string>();
  for (const m of log.matchAll(/^#\d+ WARN: (.+)$/gm)) {
    const parts = splitWarning(m[1]!);
    if (!parts) continue;
    const key = `${parts.rule}\0${parts.message}\0${parts.line ?? ''}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push({ ...parts, ...(parts.line ? { endLine: parts.line } : {}) });
  }
  return sortChecks(out);
}

function sortChecks(checks: BuildCheck[]): BuildCheck[] {
  return checks.sort((a, b) => (a.line ?? 0) - (b.line ?? 0) || a.rule.localeCompare(b.rule));
}

/** Whether a failed build failed on its checks (`check: error`, or `# check=error=true`): the rules, else undefined. */
export function checkViolation(log: string): string[] | undefined {
  const m = /lint violation found for rules: ([^\n]+)/.exec(log);
  return m ? m[1]!.split(',').map((r) => r.trim()).filter(Boolean) : undefined;
}

/** "JSONArgsRecommended (line 3)". */
export function describeCheck(c: BuildCheck): string {
  return `${c.rule}${c.line ? ` (line ${c.line})` : ''}`;
}
