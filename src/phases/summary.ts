import type { RunReport } from './report.js';

function esc(s: string): string {
  return s.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

/** The job summary, as Markdown. Pure. */
export function summaryMarkdown(report: RunReport): string {
  const lines: string[] = [];
  const status = report.error ? 'failed' : report.pushed ? 'pushed' : report.skipped ? 'skipped' : 'built and tested, not pushed';
  lines.push(`## autobuild: ${status}`, '');
  if (report.error) lines.push(`> **Error:** ${esc(report.error)}`, '');
  if (report.facts) {
    const f = report.facts;
    lines.push(`**${f.eventName}** on \`${f.ref}\` at \`${f.sha.slice(0, 7)}\`${f.pr ? ` (pull request #${f.pr.number}${f.pr.fork ? ', from a fork' : ''})` : ''}`, '');
  }
  if (report.skipped) lines.push(`Nothing to build: ${report.skipped}.`, '');
  if (report.push) lines.push(`**Push:** ${report.push.enabled ? 'yes' : 'no'}: ${esc(report.push.reason)}`, '');
  for (const b of report.builds) {
    lines.push(`### ${esc(b.name)}`, '');
    lines.push('| tag | why | pushed |', '| --- | --- | --- |');
    for (const t of b.tags) {
      const refs = b.pushedRefs.filter((r) => r.endsWith(`:${t.tag}`));
      lines.push(`| \`${t.tag}\` | ${esc(t.why)} | ${refs.length ? refs.map((r) => `\`${r}\``).join('<br>') : t.held ? `held back: ${esc(t.held)}` : '-'} |`);
    }
    lines.push('');
    if (b.digest) lines.push(`Digest: \`${b.digest}\``, '');
    if (b.hooks?.length) lines.push(`Docker Hub hooks: ${b.hooks.map((h) => `\`${h}\``).join(', ')}${b.hooks.includes('push') ? ' (hooks/push replaced the push)' : ''}`, '');
    if (b.tests.length) {
      lines.push('| test | result | time |', '| --- | --- | --- |');
      for (const t of b.tests) lines.push(`| ${esc(t.name)} | ${t.passed ? 'passed' : 'failed'} | ${t.seconds.toFixed(1)}s |`);
      lines.push('');
    }
  }
  if (report.builder) lines.push(`**Builder:** ${esc(report.builder)}`, '');
  if (report.cache) lines.push(`**Cache:** ${esc(report.cache)}`, '');
  const phases = Object.entries(report.timings);
  if (phases.length) {
    lines.push('| phase | seconds |', '| --- | --- |');
    for (const [p, s] of phases) lines.push(`| ${p} | ${s.toFixed(1)} |`);
    lines.push('');
  }
  return lines.join('\n');
}
