import * as core from '@actions/core';
import { redactSecrets } from '../secrets.js';
import type { Facts } from '../context.js';
import { getErrorMessage } from '../errors.js';
import type { Inputs } from '../inputs.js';
import type { CleanupReport } from './cleanup.js';
import type { RunReport } from './report.js';
import { code, text } from './markdown.js';
import { formatBytes } from './summary.js';

/**
 * The hidden first line that finds this image's comment again. Keyed by the first image, so two
 * jobs that preview two images keep a comment each.
 */
export function previewMarker(image: string): string {
  return `<!-- autobuild-preview ${image} -->`;
}

/** The last preview that passed, kept hidden in the comment so a failed commit can point to it. */
export interface LastGood {
  ref: string;
  sha: string;
  digest: string;
}

const LAST_GOOD = /<!-- autobuild-last-good ref=(\S+) sha=([0-9a-f]+) digest=(sha256:[0-9a-f]+) -->/;

export function parseLastGood(body: string | undefined): LastGood | undefined {
  const m = body ? LAST_GOOD.exec(body) : null;
  return m ? { ref: m[1]!, sha: m[2]!, digest: m[3]! } : undefined;
}

function lastGoodLine(g: LastGood): string {
  return `<!-- autobuild-last-good ref=${g.ref} sha=${g.sha} digest=${g.digest} -->`;
}

/** Replaces every secret in text, the given ones and every value the run masked; a comment is not masked the way a log is. */
export function redact(text: string, secrets: string[]): string {
  return redactSecrets(text, secrets);
}

export interface PreviewInput {
  facts: Facts;
  report: RunReport;
  /** The preview that passed before this run, read from the existing comment. */
  previous?: LastGood;
}

function commitLink(facts: Facts, sha: string): string {
  const short = `\`${sha.slice(0, 7)}\``;
  return facts.serverUrl && facts.repository.fullName ? `[${short}](${facts.serverUrl}/${facts.repository.fullName}/commit/${sha})` : short;
}

function fence(text: string, lang = 'text'): string[] {
  return ['```' + lang, text.replace(/```/g, "'''"), '```'];
}

/** The body of the pull-request comment for this run. Pure. */
export function previewBody({ facts, report, previous }: PreviewInput): string {
  const image = report.builds[0]?.refs[0]?.replace(/:[^:/]+$/, '') ?? '';
  const lines: string[] = [previewMarker(image)];
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
    lines.push('| | |', '| --- | --- |', ...rows.map(([k, v]) => `| ${k} | ${v.replace(/\|/g, '\\|').replace(/\n/g, ' ')} |`), '');
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
  return lines.join('\n') + '\n';
}

/** The comment once the pull request is closed: the preview is gone (or what is left). Pure. */
export function closedBody(image: string, cleanup: CleanupReport): string {
  const lines = [previewMarker(image), `### Preview image: removed`, ''];
  lines.push(`Pull request #${cleanup.pr} was closed${cleanup.removed.length ? ', so its preview tags were deleted:' : '.'}`, '');
  for (const ref of cleanup.removed) lines.push(`- ${code(ref)}`);
  if (cleanup.removed.length) lines.push('');
  if (cleanup.kept.length) {
    lines.push('Not removed:', '');
    for (const k of cleanup.kept) lines.push(`- ${code(k.ref)}: ${text(k.why)}`);
    lines.push('');
  }
  return lines.join('\n');
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
 * Who this token writes comments as: the job token (and any app installation token, `ghs_`) as
 * github-actions[bot]; a user's token as the user GET /user names. Undefined when that cannot be
 * told: then no existing comment is taken as ours.
 */
async function ownLogin(token: string, getUser: () => Promise<{ data: { login?: string } }>): Promise<string | undefined> {
  if (token.startsWith('ghs_')) return JOB_TOKEN_LOGIN;
  try {
    return (await getUser()).data.login || undefined;
  } catch {
    return undefined;
  }
}

/** The preview comment of this image that this token wrote: never one by someone else that carries the marker. Pure. */
export function ourComment<C extends IssueComment>(comments: C[], marker: string, login: string | undefined): C | undefined {
  return login ? comments.find((c) => c.user?.login === login && c.body?.startsWith(marker)) : undefined;
}

/**
 * Creates or updates the one pull-request comment that describes the preview (pr-preview on a
 * same-repository pull request). Never throws: a missing permission is one warning.
 */
export async function publishPreview(facts: Facts, inputs: Inputs, report: RunReport): Promise<void> {
  const pr = facts.pr;
  const closing = pr?.action === 'closed' && report.cleanup !== undefined;
  if (!inputs.prPreview || !pr || pr.fork || (!closing && (pr.action === 'closed' || report.builds.length === 0))) return;
  if (!inputs.githubToken) {
    core.warning(`pr-preview is on but 'github-token' is empty: no comment on pull request #${pr.number}.`, { title: 'Preview comment not written' });
    return;
  }
  const image = closing ? (inputs.images[0]?.name ?? '') : report.builds[0]!.refs[0]!.replace(/:[^:/]+$/, '');
  const marker = previewMarker(image);
  const secrets = [inputs.password, inputs.githubToken, ...inputs.registryAuth.map((a) => a.password)].filter(Boolean);
  try {
    const { getOctokit } = await import('@actions/github');
    const octokit = getOctokit(inputs.githubToken, { baseUrl: facts.apiUrl || undefined });
    const where = { owner: facts.repository.owner, repo: facts.repository.name, issue_number: pr.number };
    const request = { signal: AbortSignal.timeout(30_000) };
    const [comments, login] = await Promise.all([
      octokit.paginate(octokit.rest.issues.listComments, { ...where, per_page: 100, request }) as Promise<IssueComment[]>,
      ownLogin(inputs.githubToken, () => octokit.rest.users.getAuthenticated({ request })),
    ]);
    // Only a comment this token wrote is ours to edit, and only ours is read for the last good preview.
    const existing = ourComment(comments, marker, login);
    if (closing && !existing) return;
    const body = redact(
      closing ? closedBody(image, report.cleanup!) : previewBody({ facts, report, previous: parseLastGood(existing?.body ?? undefined) }),
      secrets,
    );
    const written = existing
      ? await octokit.rest.issues.updateComment({ owner: where.owner, repo: where.repo, comment_id: existing.id, body, request })
      : await octokit.rest.issues.createComment({ ...where, body, request });
    report.previewComment = written.data.html_url;
    core.info(`${existing ? 'Updated' : 'Wrote'} the preview comment on pull request #${pr.number}${written.data.html_url ? `: ${written.data.html_url}` : ''}.`);
  } catch (error) {
    core.warning(redact(explainCommentError(error, pr.number), secrets), { title: 'Preview comment not written' });
  }
}
