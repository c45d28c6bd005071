/**
 * Markdown for the job summary and the pull-request comment, where much of what is shown comes
 * from outside (branch and tag names, base images, registry and build errors): each helper
 * renders its text as that text, so that nothing in it becomes a link, an image, HTML or markup.
 * Pure.
 */

/** A table cell: no pipes or line breaks. */
export function cell(s: string): string {
  return s.replace(/\|/g, '\\|').replace(/\r\n|\r|\n/g, ' ');
}

/**
 * Text as itself: markup characters escaped, HTML as entities, on one line (fit for a table cell).
 * GitHub also makes links of plain text: bare URLs (`https://`, `www.`), `@mentions` (which notify
 * their user or team) and references (`#123`, `GH-123`). A zero-width space (`&#8203;`) after the
 * `:` of `://`, the `www` of `www.`, every `@` and `#`, and the `GH` of `GH-<digits>` breaks each of
 * them up; the text reads the same.
 */
export function text(s: string): string {
  const escaped = s.replace(/[\\`*_[\]<>&!#~]/g, (c) => (c === '<' ? '&lt;' : c === '>' ? '&gt;' : c === '&' ? '&amp;' : `\\${c}`));
  return cell(escaped.replace(/:(?=\/\/)|www(?=\.)|[@#]|\bgh(?=-\d)/gi, (m) => `${m}&#8203;`));
}

/**
 * A code span that its content cannot end early: fenced with one backquote more than the longest
 * run of backquotes in it (CommonMark), padded with a space when it starts or ends with one. HTML
 * in a code span is shown, not rendered; pipes are escaped for tables.
 */
export function code(s: string): string {
  const line = cell(s);
  const longest = Math.max(0, ...[...line.matchAll(/`+/g)].map((m) => m[0].length));
  const fence = '`'.repeat(longest + 1);
  const pad = line.startsWith('`') || line.endsWith('`') ? ' ' : '';
  return `${fence}${pad}${line}${pad}${fence}`;
}
