import * as core from '@actions/core';
import { redactAll, redactSecrets } from '../secrets.js';
import type { Facts } from '../context.js';
import { getErrorMessage } from '../errors.js';
import type { Inputs } from '../inputs.js';
import type { CleanupReport } from './cleanup.js';
import type { RunReport } from './report.js';
import { code, text } from './markdown.js';
import { formatBytes } from './summary.js';
import { previewTagPattern } from '../plan/reserved.js';
import { untrusted } from '../plan/trust.js';

/**
 * The hidden first line that finds this image set's comment again. Keyed by every image (sorted),
 * so two jobs or workflows that preview different images, or the same first image with others,
 * keep a comment each. For one image it is the marker of earlier versions, which named only the
 * first image.
 */
export function previewMarker(...images: string[]): string {
  return `<!-- autobuild-preview ${[...images].sort().join(' ')} -->`;
}

/** The images a run previews: the names of its first build's references, in order. */
function imagesOf(report: RunReport): string[] {
  const names = (report.builds[0]?.refs ?? []).map((r) => r.replace(/:[^:/]+$/, ''));
  return names.length ? [...new Set(names)] : [''];
}

/** The last preview that passed, kept hidden in the comment so a failed commit can point to it. */
export interface LastGood {
  ref: string;
  sha: string;
  digest: string;
}

/** The hidden line, only as the body's last line: build output quoted above it cannot stand in for it. */
const LAST_GOOD = /(?:^|\n)<!-- autobuild-last-good ref=(\S+) sha=([0-9a-f]{7,64}) digest=(sha256:[0-9a-f]{64}) -->\n?$/;

/**
 * The last good preview recorded in our own comment; with `pr` and `images`, only a reference to
 * one of those images' preview tags of that pull request counts.
 */
export function parseLastGood(body: string | undefined, expected?: { pr: number; images: string[] }): LastGood | undefined {
  const m = body ? LAST_GOOD.exec(body) : null;
  if (!m) return undefined;
  const ref = m[1]!;
  if (expected) {
    const at = ref.lastIndexOf(':');
    if (!expected.images.includes(ref.slice(0, at)) || !previewTagPattern(expected.pr).test(ref.slice(at + 1))) return undefined;
  }
  return { ref, sha: m[2]!, digest: m[3]! };
}

function lastGoodLine(g: LastGood): string {
  return `<!-- autobuild-last-good ref=${g.ref} sha=${g.sha} digest=${g.digest} -->`;
}

/** Replaces every secret in text, the given ones and every value the run masked; a comment is not masked the way a log is. */
export function redact(text: string, secrets: readonly string[]): string {
  return redactSecrets(text, secrets);
}

export interface PreviewInput {
  facts: Facts;
  report: RunReport;
  /** The preview that passed before this run, read from the existing comment. */
  previous?: LastGood;
  /** Secrets to redact besides the masked values. */
  secrets?: readonly string[];
}

function commitLink(facts: Facts, sha: string): string {
  const short = `\`${sha.slice(0, 7)}\``;
  return facts.serverUrl && facts.repository.fullName ? `[${short}](${facts.serverUrl}/${facts.repository.fullName}/commit/${sha})` : short;
}

function fence(text: string, lang = 'text'): string[] {
  return ['```' + lang, text.replace(/```/g, "'''"), '```'];
}

/**
 * The body of the pull-request comment for this run. Every secret is replaced in the report before
 * any of it is escaped (an escaped secret no longer matches), and in the whole body again. Pure
 * but for the masked values.
 */
export function previewBody({ facts, report: raw, previous, secrets = [] }: PreviewInput): string {
  const report = redactAll(raw, secrets);
  const lines: string[] = [previewMarker(...imagesOf(report))];
  const built = report.builds.find((b) => b.pushedRefs.length > 0);
  const commit = commitLink(facts, facts.sha);
  let good: LastGood | undefined = previous;

  if (report.error) {
    lines.push(`### Preview image: failed for ${commit}`, '');
    const [first = '', ...rest] = report.error.trim().split('\n');
    lines.push(`**${text(first.trim())}**`, '');
    if (rest.length) lines.push(...fence(rest.join('\n')), '');
  } else if (built) {
    lines.push(`### Preview image for ${commit}`, '');
  } else {
    lines.push(`### Preview image: not pushed for ${commit}`, '');
    lines.push(`Built and tested, not pushed: ${report.push?.reason ?? 'push is off'}.`, '');
  }

  for (const b of report.builds) {
    if (report.builds.length > 1) lines.push(`#### ${b.name}`, '');
    if (!report.error && b.pushedRefs[0]) {
      lines.push(...fence(`docker pull ${b.pushedRefs[0]}`, 'sh'), '');
      if (b.digest && b === built) good = { ref: b.pushedRefs[0], sha: facts.sha, digest: b.digest };
    }
    const rows: [string, string][] = [['commit', commit]];
    if (!report.error && b.pushedRefs.length) rows.push(['tags', b.pushedRefs.map((r) => code(r)).join('<br>')]);
    if (!report.error && b.digest) rows.push(['digest', `\`${b.digest}\``]);
    if (b.size !== undefined) rows.push(['size', formatBytes(b.size)]);
    if (b.baseImage) rows.push(['base image', code(b.baseImage)]);
    const tests = b.tests.length
      ? b.tests.map((t) => `${t.passed ? 'passed' : '**failed**'}: ${code(t.name)} (${t.seconds.toFixed(1)}s)`).join('<br>')
      : b.imageId
        ? 'none configured'
        : 'not run';
    rows.push(['tests', tests]);
    // Each value is built by the markdown helpers, which already keep it to one line without pipes.
    lines.push('| | |', '| --- | --- |', ...rows.map(([k, v]) => `| ${k} | ${v} |`), '');
  }

  if (report.error && previous) {
    lines.push(
      `The last preview that passed, from ${commitLink(facts, previous.sha)}, is still there:`,
      '',
      ...fence(`docker pull ${previous.ref}`, 'sh'),
      '',
    );
  }
  lines.push(facts.runUrl ? `Built by [this run](${facts.runUrl}).` : 'Built by autobuild.');
  if (good) lines.push(lastGoodLine(good));
  return redact(lines.join('\n') + '\n', secrets);
}

/** The comment once the pull request is closed: the preview is gone (or what is left). Redacted as previewBody is. Pure but for the masked values. */
export function closedBody(images: readonly string[], raw: CleanupReport, secrets: readonly string[] = []): string {
  const cleanup = redactAll(raw, secrets);
  const lines = [previewMarker(...images), `### Preview image: removed`, ''];
  lines.push(`Pull request #${cleanup.pr} was closed${cleanup.removed.length ? ', so its preview tags were deleted:' : '.'}`, '');
  for (const ref of cleanup.removed) lines.push(`- ${code(ref)}`);
  if (cleanup.removed.length) lines.push('');
  if (cleanup.kept.length) {
    lines.push('Not removed:', '');
    for (const k of cleanup.kept) lines.push(`- ${code(k.ref)}: ${text(k.why)}`);
    lines.push('');
  }
  return redact(lines.join('\n'), secrets);
}

/** Why the comment could not be written, and what would fix it. */
export function explainCommentError(error: unknown, pr: number): string {
  const status = typeof error === 'object' && error !== null && 'status' in error ? Number((error as { status: unknown }).status) : undefined;
  const message = getErrorMessage(error).split('\n')[0]!.replace(/ - https:\/\/docs\.github\.com\S*/, '');
  if (status === 403 || status === 401) {
    return `Could not write the preview comment on pull request #${pr}: GitHub answered ${status} (${message}). Give the job \`permissions: pull-requests: write\` (and check \`github-token\`); the image itself is not affected.`;
  }
  return `Could not write the preview comment on pull request #${pr}: ${message}. The image itself is not affected.`;
}

interface IssueComment {
  id: number;
  body?: string | null;
  html_url?: string;
  user?: { login?: string } | null;
}

/** The login the job token (GITHUB_TOKEN, `ghs_`) writes comments as. */
export const JOB_TOKEN_LOGIN = 'github-actions[bot]';

/**
 * Who a token writes comments as. A user's token (`ghp_`, `github_pat_`, `gho_`, `ghu_`): the
 * user GET /user names. An installation token (`ghs_`): a bot, github-actions[bot] for the job
 * token and `<app-slug>[bot]` for a GitHub App's; GET /user answers it 403 and the token does not
 * say which app it is, so it is not asked.
 */
export type Writer = { login: string } | { installation: true };

/** Who this token writes as; undefined when that cannot be told (then no existing comment is taken as ours). */
export async function tokenWriter(token: string, getUser: () => Promise<{ data: { login?: string } }>): Promise<Writer | undefined> {
  if (token.startsWith('ghs_')) return { installation: true };
  try {
    const login = (await getUser()).data.login;
    return login ? { login } : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The preview comment of this image set that this token wrote. Its first line is this set's exact
 * marker, and its author is:
 * - for a user's token, that user, and no one else;
 * - for an installation token, github-actions[bot], or else another bot (a login ending in `[bot]`,
 *   which only a GitHub App writes as: no user's login holds brackets), since an app's token
 *   cannot tell its own name. A user's comment is never taken.
 * A comment of an earlier version, whose marker named only the first image, is taken the same way
 * when no comment has this set's marker and it names every other image of the set (its tags). Pure.
 */
export function ourComment<C extends IssueComment>(comments: C[], images: readonly string[], writer: Writer | undefined): C | undefined {
  if (!writer) return undefined;
  const authors: ((login: string) => boolean)[] =
    'login' in writer ? [(l) => l === writer.login] : [(l) => l === JOB_TOKEN_LOGIN, (l) => l.endsWith('[bot]')];
  const current = (c: C) => c.body!.startsWith(previewMarker(...images));
  const earlier = (c: C) => images.length > 1 && c.body!.startsWith(previewMarker(images[0]!)) && images.slice(1).every((i) => c.body!.includes(`${i}:`));
  for (const marked of [current, earlier]) {
    for (const by of authors) {
      const found = comments.find((c) => typeof c.body === 'string' && by(c.user?.login ?? '') && marked(c));
      if (found) return found;
    }
  }
  return undefined;
}

/**
 * Creates or updates the one pull-request comment that describes the preview (pr-preview on a
 * same-repository pull request). Never throws: a missing permission is one warning.
 */
export async function publishPreview(facts: Facts, inputs: Inputs, report: RunReport): Promise<void> {
  const pr = facts.pr;
  const closing = pr?.action === 'closed' && report.cleanup !== undefined;
  // Only a writer's code gets a comment: a fork's or an unknown author's output is not put there.
  if (!inputs.prPreview || !pr || !report.trust || untrusted(report.trust) || (!closing && (pr.action === 'closed' || report.builds.length === 0))) return;
  if (!inputs.githubToken) {
    core.warning(`pr-preview is on but 'github-token' is empty: no comment on pull request #${pr.number}.`, { title: 'Preview comment not written' });
    return;
  }
  const images = closing ? inputs.images.map((i) => i.name) : imagesOf(report);
  const secrets = [inputs.password, inputs.githubToken, ...inputs.registryAuth.map((a) => a.password)].filter(Boolean);
  try {
    const { getOctokit } = await import('@actions/github');
    const octokit = getOctokit(inputs.githubToken, { baseUrl: facts.apiUrl || undefined });
    const where = { owner: facts.repository.owner, repo: facts.repository.name, issue_number: pr.number };
    const request = { signal: AbortSignal.timeout(30_000) };
    const [comments, writer] = await Promise.all([
      octokit.paginate(octokit.rest.issues.listComments, { ...where, per_page: 100, request }) as Promise<IssueComment[]>,
      tokenWriter(inputs.githubToken, () => octokit.rest.users.getAuthenticated({ request })),
    ]);
    // Only a comment this token wrote is ours to edit, and only ours is read for the last good preview.
    const existing = ourComment(comments, images, writer);
    if (closing && !existing) return;
    const body = closing
      ? closedBody(images, report.cleanup!, secrets)
      : previewBody({ facts, report, previous: parseLastGood(existing?.body ?? undefined, { pr: pr.number, images }), secrets });
    const written = existing
      ? await octokit.rest.issues.updateComment({ owner: where.owner, repo: where.repo, comment_id: existing.id, body, request })
      : await octokit.rest.issues.createComment({ ...where, body, request });
    report.previewComment = written.data.html_url;
    core.info(`${existing ? 'Updated' : 'Wrote'} the preview comment on pull request #${pr.number}${written.data.html_url ? `: ${written.data.html_url}` : ''}.`);
  } catch (error) {
    core.warning(redact(explainCommentError(error, pr.number), secrets), { title: 'Preview comment not written' });
  }
}
