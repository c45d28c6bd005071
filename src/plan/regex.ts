/** Regular expressions written by users: `pattern` or `/pattern/flags`. Pure. */

/** The form between slashes, with optional flags after the last one: `/^v(.*)$/i`. */
const SLASHED = /^\/(.+)\/([A-Za-z]*)$/;

/** `/re/flags` split into source and flags, or undefined when the text is not written between slashes. */
export function slashedRegex(text: string): { source: string; flags: string } | undefined {
  const m = SLASHED.exec(text);
  return m ? { source: m[1]!, flags: m[2]! } : undefined;
}

/**
 * Compiles a user's regular expression: `/re/flags` (slashes stripped, flags applied), or,
 * when `bare` is true, any other text as the expression itself. `flags` lists the flags
 * accepted (default: any flag JavaScript accepts). Throws an Error whose message says what is
 * wrong; callers add the input and the line.
 */
export function compileRegex(text: string, options: { bare: boolean; flags?: string }): RegExp {
  const slashed = slashedRegex(text);
  if (!slashed) {
    if (!options.bare) throw new Error(`${text} is not written /regex/ or /regex/flags`);
    return new RegExp(text);
  }
  if (options.flags !== undefined) {
    const bad = [...slashed.flags].filter((f) => !options.flags!.includes(f));
    if (bad.length) throw new Error(`flag${bad.length === 1 ? '' : 's'} '${bad.join('')}' ${bad.length === 1 ? 'is' : 'are'} not accepted (accepted: ${[...options.flags].join(', ') || 'none'})`);
  }
  return new RegExp(slashed.source, slashed.flags);
}

/** How many capture groups a regular expression has. */
export function groupCount(regex: RegExp): number {
  return new RegExp(`${regex.source}|`).exec('')!.length - 1;
}
