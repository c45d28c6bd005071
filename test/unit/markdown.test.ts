import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { code, text } from '../../src/phases/markdown.js';
import { previewBody } from '../../src/phases/preview.js';
import { summaryMarkdown } from '../../src/phases/summary.js';
import { build, facts, prFacts, pushed, report } from './report-fixtures.js';

/** What a code span written by `code` holds, read back as CommonMark reads it. */
function spanContent(span: string): string | undefined {
  const m = /^(`+)( ?)([\s\S]*?)\2\1$/.exec(span);
  if (!m) return undefined;
  // No run of exactly the fence's length inside: the span cannot end early.
  const inner = m[3]!;
  if ([...inner.matchAll(/`+/g)].some((r) => r[0].length === m[1]!.length)) return undefined;
  return inner.replace(/\\\|/g, '|');
}

describe('markdown from outside text', () => {
  it('a code span holds any one-line text whole, backquotes included', () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom('`', 'a', ' ', '|', '<', '[', ']', '(', ')', '!') }), (s) => {
        fc.pre(s.trim() === s && s.length > 0);
        expect(spanContent(code(s))).toBe(s);
      }),
    );
    expect(code('alpine:3.20')).toBe('`alpine:3.20`');
    expect(code('a`b')).toBe('``a`b``');
    expect(code('`x`')).toBe('`` `x` ``');
  });

  it('text renders no link, image, HTML or emphasis', () => {
    expect(text('[click](https://evil.example) ![img](x) <img src=x> **bold** _u_')).toBe(
      '\\[click\\](https:&#8203;//evil.example) \\!\\[img\\](x) &lt;img src=x&gt; \\*\\*bold\\*\\* \\_u\\_',
    );
  });

  it('text makes no autolink, mention or reference: a zero-width space breaks each up', () => {
    const zw = '&#8203;';
    expect(text('see https://evil.example/x or WWW.evil.example, ask @octocat and @acme/team, fixes #12 and gh-7')).toBe(
      `see https:${zw}//evil.example/x or WWW${zw}.evil.example, ask @${zw}octocat and @${zw}acme/team, fixes \\#${zw}12 and gh${zw}-7`,
    );
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom('h', 't', 'p', 's', ':', '/', 'w', '.', '@', '#', 'g', '-', '1', 'a', ' ') }), (s) => {
        // As GitHub shows it: escapes dropped, the entity a zero-width space.
        const shown = text(s).replace(/\\(.)/g, '$1').replaceAll(zw, '\u200b');
        expect(shown).not.toMatch(/:\/\/|www\.|@[a-z0-9]|#\d|\bgh-\d/i);
        expect(shown.replaceAll('\u200b', '')).toBe(s);
      }),
    );
  });

  it('a base image and an error with markup stay text in the summary and the comment', () => {
    const evil = 'alpine`](https://evil.example)![x](https://evil.example/p.png)<img src=x>';
    const b = pushed(build(['pr-42'], { baseImage: evil }));
    const error = 'The build failed: [login](https://evil.example) <script>x</script>';
    for (const md of [
      summaryMarkdown(report({ facts: facts(), builds: [b], error })),
      previewBody({ facts: prFacts(), report: report({ builds: [b], error }) }),
      previewBody({ facts: prFacts(), report: report({ builds: [b], pushed: true }) }),
    ]) {
      // The error: text. The base image: one code span (HTML in it is shown, not rendered).
      expect(md).not.toMatch(/(?<!\\)\[login\]\(/);
      expect(md).not.toContain('<script>');
      expect(md).toContain(code(evil));
      expect(md.replace(code(evil), '')).not.toContain('evil.example/p.png');
    }
  });
});
