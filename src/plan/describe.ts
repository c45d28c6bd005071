import type { Facts } from '../context.js';
import { normalizePlatform } from '../engine/platforms.js';
import type { Plan } from './plan.js';
import { describeTrust } from './trust.js';

/** The plan in words, printed as the first log group: event facts -> each tag and its rule -> push or not, and why. Pure. */
export function describePlan(facts: Facts, plan: Plan): string[] {
  const lines: string[] = [];
  const pr = facts.pr ? `, pull request #${facts.pr.number}${facts.pr.fork ? ' from a fork' : ''}${facts.baseRef ? ` into ${facts.baseRef}` : ''}` : '';
  lines.push(`Event: ${facts.eventName} on ${facts.ref || '(no ref)'}${pr}`);
  lines.push(describeTrust(plan.trust, plan.hostCode));
  // The subject only, up to any line break: the runner also breaks lines at a lone \r, and what
  // followed one would start a line of its own (a workflow command).
  const subject = facts.commitMessage?.split(/\r\n|\r|\n/)[0];
  lines.push(`Commit: ${facts.sha}${subject ? ` "${subject}"` : ''}`);
  lines.push(`Default branch: ${facts.defaultBranch}${facts.isDefaultBranch ? ' (this ref)' : ''}`);
  lines.push(`Images: ${plan.images.map((i) => i.name).join(', ')}`);
  for (const image of plan.images) {
    if (image.lowercased) lines.push(`  note: '${image.input}' was lower-cased to ${image.name} (repository names must be lower case)`);
  }
  if (plan.tagSource) lines.push(`Tags from: ${plan.tagSource}`);
  for (const note of plan.notes ?? []) lines.push(`  note: ${note}`);
  if (plan.skipped) lines.push(`Nothing to build: ${plan.skipped}`);
  for (const b of plan.builds) {
    lines.push(`Build ${b.name}: ${b.file} (context ${b.context}), version ${b.version || '(none)'}`);
    const width = Math.min(40, Math.max(...b.tags.map((t) => t.tag.length)));
    for (const t of b.tags) {
      const [major = '', minor = ''] = (t.release ?? '').split('.');
      const follows = t.moves === 'latest' ? 'the newest release' : t.moves === 'major' ? `the newest ${major}.x` : `the newest ${major}.${minor}.x`;
      const moving = t.moves ? ` (follows ${follows}: pushed only if the registry holds nothing newer)` : '';
      lines.push(`  tag ${t.tag.padEnd(width)} <- ${t.why}${moving}`);
    }
  }
  const d = plan.distribution;
  if (d) {
    const others = d.platforms.filter((p) => !d.share.some((s) => normalizePlatform(s) === normalizePlatform(p)));
    lines.push(
      `Platforms: this job builds ${d.share.join(', ')} of ${d.platforms.join(', ')}${
        others.length ? `; ${others.join(', ')} ${others.length === 1 ? 'is' : 'are'} other jobs'` : ''
      }. ${plan.push.enabled ? 'Each platform is pushed by digest once its tests pass; the job that finds every platform passed tags the image' : 'Nothing is pushed, so nothing is tagged'}.`,
    );
  }
  lines.push(`Push: ${plan.push.enabled ? 'yes' : 'no'}, ${plan.push.reason}`);
  return lines;
}
