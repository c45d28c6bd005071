import { releaseVersion } from '../plan/semver.js';
import { redactAll, redactSecrets } from '../secrets.js';
import { cell as esc, code, text as inert } from './markdown.js';
import { hubDescriptionWords } from './hub-description.js';
import type { BuildReport, RunReport } from './report.js';


/** Text inside a fenced block: nothing in it can close the fence. */
function fenced(text: string, lang = 'text'): string[] {
  return ['```' + lang, text.replace(/```/g, "'''"), '```'];
}

/** Bytes in the units `docker images` uses (powers of 1000). */
export function formatBytes(bytes: number): string {
  const units = ['B', 'kB', 'MB', 'GB', 'TB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit++;
  }
  return unit === 0 ? `${value} B` : `${value.toFixed(value < 10 ? 2 : 1)} ${units[unit]}`;
}

/** "3 of 4 steps cached (75%)", or undefined when the build reported no steps. */
export function cacheRatio(b: Pick<BuildReport, 'cachedSteps' | 'totalSteps'>): string | undefined {
  if (b.totalSteps === undefined || b.cachedSteps === undefined || b.totalSteps === 0) return undefined;
  return `${b.cachedSteps} of ${b.totalSteps} steps cached (${Math.round((100 * b.cachedSteps) / b.totalSteps)}%)`;
}

export interface Release {
  version: string;
  /** The git tag as pushed: v1.2.3. */
  tag: string;
  prerelease: boolean;
}

/** A run for a git tag that reads as a semver version is a release. */
export function releaseOf(report: RunReport): Release | undefined {
  const f = report.facts;
  if (!f || f.refType !== 'tag' || f.tag === undefined) return undefined;
  const v = releaseVersion(f.tag);
  return v ? { version: v.version, tag: f.tag, prerelease: v.prerelease.length > 0 } : undefined;
}

function errorLines(error: string): string[] {
  const [first = '', ...rest] = error.trim().split('\n');
  const lines = [`> **Error:** ${inert(first)}`, ''];
  if (rest.length) lines.push(...fenced(rest.join('\n')), '');
  return lines;
}

function heldTags(b: BuildReport): string[] {
  return b.tags.filter((t) => t.held).map((t) => `${code(t.tag)} held back: ${inert(t.held!)}`);
}

/** The section a release summary starts with: what was released, where, and what it is. */
function releaseSection(report: RunReport, release: Release): string[] {
  const f = report.facts!;
  const state = report.error ? ': failed' : report.pushed ? '' : ': built and tested, not pushed';
  const lines = [`## Release ${release.version}${release.prerelease ? ' (pre-release)' : ''}${state}`, ''];
  lines.push(`${code(f.repository.fullName)} tag ${code(release.tag)} at commit ${code(f.sha.slice(0, 7))}.`, '');
  if (report.error) lines.push(...errorLines(report.error));
  for (const b of report.builds) {
    if (report.builds.length > 1) lines.push(`### ${esc(b.name)}`, '');
    if (b.pushedRefs.length) {
      lines.push('| tag | reference |', '| --- | --- |');
      for (const ref of b.pushedRefs) lines.push(`| ${code(ref.slice(ref.lastIndexOf(':') + 1))} | ${code(ref)} |`);
      lines.push('');
    }
    const facts: string[] = [];
    if (b.digest) facts.push(`- **Digest:** \`${b.digest}\``);
    if (b.size !== undefined) facts.push(`- **Size:** ${formatBytes(b.size)}`);
    if (b.baseImage) facts.push(`- **Base image:** ${code(b.baseImage)}`);
    for (const held of heldTags(b)) facts.push(`- ${held}`);
    if (facts.length) lines.push(...facts, '');
    if (b.pushedRefs[0]) lines.push(...fenced(`docker pull ${b.pushedRefs[0]}`, 'sh'), '');
  }
  return lines;
}

/** The Dockerfile checks of a build: a table of findings, a line when there were none, or why none ran. */
function checksSection(b: BuildReport): string[] {
  const file = b.checkFile ? ` of ${code(b.checkFile)}` : '';
  if (b.checksNote) return [`Dockerfile checks${file}: ${esc(b.checksNote)}.`, ''];
  if (!b.checks) return [];
  if (!b.checks.length) return [`Dockerfile checks${file}: no findings.`, ''];
  const lines = [`Dockerfile checks${file}: ${b.checks.length} finding${b.checks.length === 1 ? '' : 's'}.`, '', '| line | check | finding |', '| --- | --- | --- |'];
  for (const c of b.checks) {
    const rule = c.url ? `[${inert(c.rule)}](${c.url})` : inert(c.rule);
    lines.push(`| ${c.line ?? ''} | ${c.level === 'error' ? '**' + rule + '**' : rule} | ${inert(c.message)} |`);
  }
  lines.push('');
  return lines;
}

/** A distributed build: this job's share, pushed by digest, and whether the image was tagged. */
function distributionLines(b: BuildReport): string[] {
  const d = b.distribution;
  if (!d) return [];
  const mine = d.manifests.map((m) => `${code(m.platform)} ${code(m.digest)}`).join(', ');
  const head = `This job built ${d.share.map((p) => code(p)).join(', ')} of ${d.platforms.map((p) => code(p)).join(', ')}${mine ? `, pushed by digest: ${mine}` : ''}.`;
  const state =
    d.state === 'tagged'
      ? 'Every platform had passed: this job tagged the index.'
      : d.state === 'untagged'
        ? 'Every platform had passed, but no tag moved (see the tags above and the error, if any).'
        : d.state === 'failed'
        ? `Not tagged: ${(d.failed ?? []).map((f) => `${code(f.platform)} failed (${inert(f.error)})`).join('; ')}.`
          : `Not tagged yet: waiting for ${(d.waiting ?? []).map((p) => code(p)).join(', ')}; the job that finishes last tags the image.`;
  return [`${head} ${state}`, ''];
}

function buildSection(report: RunReport, b: BuildReport): string[] {
  const lines: string[] = [];
  lines.push(report.builds.length > 1 ? `### Build ${esc(b.name)}` : '### Tags', '');
  lines.push('| tag | why | pushed |', '| --- | --- | --- |');
  for (const t of b.tags) {
    const refs = b.pushedRefs.filter((r) => r.endsWith(`:${t.tag}`));
    lines.push(`| ${code(t.tag)} | ${esc(t.why)} | ${refs.length ? refs.map((r) => code(r)).join('<br>') : t.held ? `held back: ${inert(t.held)}` : t.local ? `local only: ${inert(t.local)}` : '-'} |`);
  }
  lines.push('');
  for (const repo of b.unchanged ?? []) lines.push(`${code(repo)} already held this image under every tag: nothing was pushed there.`, '');
  lines.push(...distributionLines(b));
  const image: [string, string][] = [];
  if (b.digest) image.push(['digest', `\`${b.digest}\``]);
  if (b.imageId) image.push(['image id', `\`${b.imageId}\``]);
  if (b.size !== undefined) image.push(['size', formatBytes(b.size)]);
  if (b.baseImage) image.push(['base image', code(b.baseImage)]);
  const ratio = cacheRatio(b);
  if (ratio) image.push(['layer cache', ratio]);
  if (image.length) {
    lines.push('| image | |', '| --- | --- |', ...image.map(([k, v]) => `| ${k} | ${v} |`), '');
  }
  lines.push(...checksSection(b));
  if (b.hooks?.length) lines.push(`Docker Hub hooks: ${b.hooks.map((h) => `\`${h}\``).join(', ')}${b.hooks.includes('push') ? ' (hooks/push replaced the push)' : ''}`, '');
  if (b.hookImages) {
    const made = b.hookImages.length ? b.hookImages.map((n) => code(n)).join(', ') : 'no image in the engine';
    lines.push(`hooks/build made ${made}, not \`$IMAGE_NAME\`: its push hooks push what it built; autobuild ran the autotest files as written.`, '');
  }
  if (b.tests.length) {
    lines.push('| test | result | time |', '| --- | --- | --- |');
    for (const t of b.tests) lines.push(`| ${inert(t.name)} | ${t.passed ? 'passed' : '**failed**'} | ${t.seconds.toFixed(1)}s |`);
    lines.push('');
  } else if (b.imageId) {
    lines.push('No tests ran: set `test-command`, or add a `docker-compose.test.yml` with a `sut` service.', '');
  }
  return lines;
}

/**
 * The job summary, as Markdown. A release leads with what was released. Every masked value is
 * replaced in the report before any of it is escaped (the runner masks the summary, but only what
 * it masked, not its escaped forms), and in the whole summary again. Pure but for the masked
 * values.
 */
export function summaryMarkdown(raw: RunReport): string {
  const report = redactAll(raw);
  const lines: string[] = [];
  const release = releaseOf(report);
  if (release) lines.push(...releaseSection(report, release));
  const status = report.error ? 'failed' : report.pushed ? 'pushed' : report.skipped ? 'skipped' : 'built and tested, not pushed';
  lines.push(`## autobuild: ${status}`, '');
  if (report.error && !release) lines.push(...errorLines(report.error));
  if (report.facts) {
    const f = report.facts;
    lines.push(`**${inert(f.eventName)}** on ${code(f.ref)} at ${code(f.sha.slice(0, 7))}${f.pr ? ` (pull request #${f.pr.number}${f.pr.fork ? ', from a fork' : ''})` : ''}`, '');
  }
  if (report.skipped) lines.push(`Nothing to build: ${inert(report.skipped)}.`, '');
  if (report.rebuild?.rebuild) {
    for (const b of report.rebuild.builds) lines.push(`**Rebuild** (base-changed)${report.rebuild.builds.length > 1 ? ` ${esc(b.name)}` : ''}: ${inert(b.reason)}.`, '');
  }
  if (report.cleanup) {
    const c = report.cleanup;
    lines.push(`### Preview of pull request #${c.pr}`, '');
    if (!c.removed.length && !c.kept.length) lines.push('No preview tags were found.', '');
    for (const ref of c.removed) lines.push(`- removed ${code(ref)}`);
    for (const k of c.kept) lines.push(`- kept ${code(k.ref)}: ${inert(k.why)}`);
    lines.push('');
  }
  if (report.push) {
    const push = !report.push.enabled ? 'no' : report.pushed ? 'yes' : report.error ? 'planned, stopped by the failure' : 'planned';
    lines.push(`**Push:** ${push}: ${esc(report.push.reason)}`, '');
  }
  if (report.dockerhubDescription) lines.push(`**Docker Hub description:** ${hubDescriptionWords(report.dockerhubDescription, { name: code, text: inert })}`, '');
  if (report.disk?.warned) {
    const d = report.disk;
    lines.push(`**Disk:** ${formatBytes(d.freeBytes)} free in ${code(d.dataRoot)}, about ${formatBytes(d.needBytes)} needed (twice the previous image, ${d.measured.map((m) => code(m.ref)).join(', ')}): see the warning for how to free space.`, '');
  }
  if (report.previewComment) lines.push(`**Preview:** [pull request comment](${report.previewComment})`, '');
  for (const b of report.builds) lines.push(...buildSection(report, b));
  if (report.builder || report.cache) {
    lines.push('### Builder and cache', '');
    if (report.builder) lines.push(`**Builder:** ${esc(report.builder)}`, '');
    if (report.cache) lines.push(`**Cache:** ${esc(report.cache)}`, '');
  }
  const phases = Object.entries(report.timings);
  if (phases.length) {
    const total = phases.reduce((sum, [, s]) => sum + s, 0);
    lines.push('### Time', '', '| phase | seconds |', '| --- | --- |');
    for (const [p, s] of phases) lines.push(`| ${p} | ${s.toFixed(1)} |`);
    lines.push(`| **total** | **${total.toFixed(1)}** |`, '');
  }
  return redactSecrets(lines.join('\n'));
}

export interface Annotation {
  level: 'error' | 'warning';
  title: string;
  message: string;
  /** The file and lines it is about, relative to the workspace. */
  file?: string;
  startLine?: number;
  endLine?: number;
}

/** Annotations for what a person must act on: failed tests with their last lines, tags held back. Pure. */
export function annotationsOf(report: RunReport): Annotation[] {
  const out: Annotation[] = [];
  for (const b of report.builds) {
    for (const t of b.tests) {
      if (!t.passed && t.tail) out.push({ level: 'error', title: `Test failed: ${t.name}`, message: t.tail });
    }
    for (const c of b.checks ?? []) {
      out.push({
        level: c.level,
        title: `Dockerfile check ${c.rule}`,
        message: `${c.message}${c.url ? ` (${c.url})` : ''}`,
        ...(b.checkFile ? { file: b.checkFile } : {}),
        ...(c.line ? { startLine: c.line, endLine: c.endLine ?? c.line } : {}),
      });
    }
    for (const t of b.tags) {
      if (t.held) {
        out.push({ level: 'warning', title: `Tag held back: ${t.tag}`, message: `${t.tag} was not moved to ${b.version}: ${t.held}` });
      }
    }
  }
  return out;
}
