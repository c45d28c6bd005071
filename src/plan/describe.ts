import type { Facts } from '../context.js';
import type { Plan } from './plan.js';

/** The plan in words, printed as the first log group. Pure. */
export function describePlan(facts: Facts, plan: Plan): string[] {
  const lines: string[] = [];
  const pr = facts.pr ? `, pull request #${facts.pr.number}${facts.pr.fork ? ' from a fork' : ''}` : '';
  lines.push(`Event: ${facts.eventName} on ${facts.ref || '(no ref)'}${pr}`);
  lines.push(`Commit: ${facts.sha}${facts.commitMessage ? ` "${facts.commitMessage.split('\n')[0]}"` : ''}`);
  lines.push(`Default branch: ${facts.defaultBranch}${facts.isDefaultBranch ? ' (this ref)' : ''}`);
  lines.push(`Images: ${plan.images.map((i) => i.name).join(', ')}`);
  for (const image of plan.images) {
    if (image.lowercased) lines.push(`  note: '${image.input}' was lower-cased to ${image.name} (repository names must be lower case)`);
  }
  if (plan.skipped) lines.push(`Nothing to build: ${plan.skipped}`);
  for (const b of plan.builds) {
    lines.push(`Build ${b.name}: ${b.file} (context ${b.context})`);
    for (const t of b.tags) lines.push(`  tag ${t.tag.padEnd(20)} <- ${t.why}`);
  }
  lines.push(`Push: ${plan.push.enabled ? 'yes' : 'no'}, ${plan.push.reason}`);
  return lines;
}
