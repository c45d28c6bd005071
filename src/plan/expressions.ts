/**
 * The `{{...}}` expressions of docker/metadata-action's grammar, without Handlebars: a name
 * followed by 'quoted' arguments and key='value' options, e.g. `{{branch}}`,
 * `{{date 'YYYYMMDD' tz='Asia/Tokyo'}}`. Pure.
 */

/** An expression: positional arguments and key=value options. */
export type Helper = (args: string[], options: Record<string, string>) => string;

export class ExpressionError extends Error {
  override name = 'ExpressionError';
}

interface Call {
  name: string;
  args: string[];
  options: Record<string, string>;
  /** The positional arguments (their index) and the options (their key) written without quotes. */
  bare: Set<number | string>;
}

const TOKEN = /\s*(?:([A-Za-z_][\w-]*)\s*=\s*(?:'([^']*)'|"([^"]*)"|([^\s'"]+))|'([^']*)'|"([^"]*)"|([^\s'"=]+))/y;

function parseCall(body: string, whole: string): Call {
  const text = body.trim();
  if (!text) throw new ExpressionError(`empty expression ${whole}`);
  if (/^[#/^>!&]/.test(text)) throw new ExpressionError(`${whole} is a Handlebars block or partial; only plain expressions such as {{branch}} are supported`);
  const parts: { key?: string; text: string; bare: boolean }[] = [];
  TOKEN.lastIndex = 0;
  let rest = text;
  while (rest.trim()) {
    TOKEN.lastIndex = 0;
    const m = TOKEN.exec(rest);
    if (!m) throw new ExpressionError(`cannot read ${whole}`);
    if (m[1] !== undefined) parts.push({ key: m[1], text: m[2] ?? m[3] ?? m[4] ?? '', bare: m[4] !== undefined });
    else parts.push({ text: m[5] ?? m[6] ?? m[7] ?? '', bare: m[7] !== undefined });
    rest = rest.slice(m[0].length);
  }
  const [head, ...tail] = parts;
  if (!head || head.key !== undefined) throw new ExpressionError(`${whole} does not start with a name`);
  const call: Call = { name: head.text, args: [], options: {}, bare: new Set() };
  for (const p of tail) {
    if (p.key === undefined) {
      if (p.bare) call.bare.add(call.args.length);
      call.args.push(p.text);
    } else {
      if (p.bare) call.bare.add(p.key);
      call.options[p.key] = p.text;
    }
  }
  return call;
}

/** The expressions whose arguments are text (a format, a time zone), written in quotes. */
const DATE_NAMES = ['date', 'commit_date'];

const quoted = (text: string): string => (text.includes("'") ? `"${text}"` : `'${text}'`);

/**
 * Refuses a `{{date}}` or `{{commit_date}}` that metadata-action (Handlebars) would not read as
 * written: one format in quotes, then optionally `tz=` with the zone in quotes. Handlebars reads
 * a bare word as the name of a value to look up, not as text: `{{date YYYYMMDD}}` gives its
 * default date there and `tz=Asia/Tokyo` fails, as do a missing format and a second one.
 */
function checkDateCall(call: Call, whole: string): void {
  if (!DATE_NAMES.includes(call.name)) return;
  const accepted = `(accepted: {{${call.name} 'FORMAT'}}, optionally with tz='ZONE', e.g. {{${call.name} 'YYYYMMDD' tz='Europe/Paris'}})`;
  const fixed = `{{${[call.name, ...call.args.map(quoted), ...Object.entries(call.options).map(([k, v]) => `${k}=${quoted(v)}`)].join(' ')}}}`;
  if (call.bare.has(0)) {
    throw new ExpressionError(
      `${whole} has its format without quotes: metadata-action reads a bare word there as the name of a value, not as a format, and gives its default date instead; use ${fixed} with the format in quotes ${accepted}`,
    );
  }
  if (call.args.length === 0) throw new ExpressionError(`${whole} has no format, and metadata-action fails without one; give it one in quotes ${accepted}`);
  if (call.args.length > 1) throw new ExpressionError(`${whole} has more than one format, and metadata-action fails on that ${accepted}`);
  if (call.bare.has('tz')) {
    throw new ExpressionError(
      `${whole} has its time zone without quotes: metadata-action reads a bare word there as the name of a value, and fails; use ${fixed} with the zone in quotes ${accepted}`,
    );
  }
}

/**
 * Checks the `{{date}}` and `{{commit_date}}` of a template as render would (see checkDateCall),
 * so that the inputs can be refused line by line before any rendering; throws an ExpressionError.
 */
export function checkDateArguments(template: string): void {
  for (const m of template.matchAll(/\{\{\{?([^}]*)\}?\}\}/g)) {
    const name = /^\s*([^\s}]+)/.exec(m[1] ?? '')?.[1];
    if (name && DATE_NAMES.includes(name)) checkDateCall(parseCall(m[1]!, m[0]), m[0]);
  }
}

/** The names of the expressions a template uses, in order. */
export function expressionNames(template: string): string[] {
  const names: string[] = [];
  for (const m of template.matchAll(/\{\{\{?([^}]*)\}?\}\}/g)) {
    const name = /^\s*([^\s}]+)/.exec(m[1] ?? '')?.[1];
    if (name) names.push(name);
  }
  return names;
}

/** True when a template is exactly one `{{name}}` expression. */
export function isSingleExpression(template: string, name: string): boolean {
  return new RegExp(`^\\{\\{\\s*${name}\\s*\\}\\}$`).test(template);
}

/** Renders a template; an unknown expression is an error (Handlebars would render it as nothing). */
export function render(template: string, helpers: Record<string, Helper>): string {
  return template.replace(/\{\{\{?([^}]*)\}?\}\}/g, (whole, body: string) => {
    const call = parseCall(body, whole);
    checkDateCall(call, whole);
    const helper = Object.prototype.hasOwnProperty.call(helpers, call.name) ? helpers[call.name] : undefined;
    if (!helper) {
      throw new ExpressionError(`unknown expression ${whole} (known here: ${Object.keys(helpers).map((n) => `{{${n}}}`).join(' ')})`);
    }
    return helper(call.args, call.options);
  });
}

/** A helper that returns a fixed value and takes no arguments. */
export function value(v: string): Helper {
  return () => v;
}

// ---- dates, in moment.js's format tokens ------------------------------------------------

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
const DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];

interface Fields {
  year: number;
  month: number; // 1-12
  day: number;
  hour: number;
  minute: number;
  second: number;
  ms: number;
  weekday: number; // 0 = Sunday
  offsetMinutes: number;
}

function fieldsIn(date: Date, timeZone: string): Fields {
  let fmt: Intl.DateTimeFormat;
  try {
    fmt = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
  } catch {
    throw new ExpressionError(`unknown time zone tz='${timeZone}' (use an IANA name such as UTC or Europe/Paris)`);
  }
  const parts: Record<string, number> = {};
  for (const p of fmt.formatToParts(date)) if (p.type !== 'literal') parts[p.type] = Number(p.value);
  const year = parts.year!;
  const month = parts.month!;
  const day = parts.day!;
  const hour = parts.hour! % 24;
  const minute = parts.minute!;
  const second = parts.second!;
  const ms = date.getUTCMilliseconds();
  const asUtc = Date.UTC(year, month - 1, day, hour, minute, second, ms);
  return {
    year,
    month,
    day,
    hour,
    minute,
    second,
    ms,
    weekday: new Date(Date.UTC(year, month - 1, day)).getUTCDay(),
    offsetMinutes: Math.round((asUtc - date.getTime()) / 60000),
  };
}

function pad(n: number, width: number): string {
  return String(Math.abs(Math.trunc(n))).padStart(width, '0');
}

function ordinal(n: number): string {
  const mod100 = n % 100;
  if (mod100 >= 11 && mod100 <= 13) return `${n}th`;
  return `${n}${['th', 'st', 'nd', 'rd'][n % 10] ?? 'th'}`;
}

function isoWeek(f: Fields): { week: number; year: number } {
  const d = new Date(Date.UTC(f.year, f.month - 1, f.day));
  const dayNum = (f.weekday + 6) % 7; // Monday = 0
  d.setUTCDate(d.getUTCDate() - dayNum + 3); // Thursday of this week
  const weekYear = d.getUTCFullYear();
  const firstThursday = new Date(Date.UTC(weekYear, 0, 4));
  const week = 1 + Math.round(((d.getTime() - firstThursday.getTime()) / 86400000 - 3 + ((firstThursday.getUTCDay() + 6) % 7)) / 7);
  return { week, year: weekYear };
}

function offset(minutes: number, colon: boolean): string {
  const sign = minutes < 0 ? '-' : '+';
  const m = Math.abs(minutes);
  return `${sign}${pad(Math.floor(m / 60), 2)}${colon ? ':' : ''}${pad(m % 60, 2)}`;
}

const DATE_TOKENS =
  /\[([^\]]*)\]|YYYY|YY|Q|MMMM|MMM|MM|M|DDDD|DDD|Do|DD|D|dddd|ddd|dd|d|E|HH|H|hh|h|kk|k|mm|m|ss|s|SSS|SS|S|A|a|ZZ|Z|X|x|WW|W|GGGG/g;

/** Formats a date like moment.js's `format()` (the tokens docker/metadata-action users write), in a time zone. */
export function formatDate(date: Date, format: string, timeZone = 'UTC'): string {
  if (Number.isNaN(date.getTime())) throw new ExpressionError('the date is not known');
  const f = fieldsIn(date, timeZone);
  const dayOfYear = Math.round((Date.UTC(f.year, f.month - 1, f.day) - Date.UTC(f.year, 0, 1)) / 86400000) + 1;
  const h12 = f.hour % 12 === 0 ? 12 : f.hour % 12;
  return format.replace(DATE_TOKENS, (token, literal: string | undefined) => {
    if (literal !== undefined) return literal;
    switch (token) {
      case 'YYYY': return pad(f.year, 4);
      case 'YY': return pad(f.year % 100, 2);
      case 'Q': return String(Math.floor((f.month - 1) / 3) + 1);
      case 'MMMM': return MONTHS[f.month - 1]!;
      case 'MMM': return MONTHS[f.month - 1]!.slice(0, 3);
      case 'MM': return pad(f.month, 2);
      case 'M': return String(f.month);
      case 'DDDD': return pad(dayOfYear, 3);
      case 'DDD': return String(dayOfYear);
      case 'Do': return ordinal(f.day);
      case 'DD': return pad(f.day, 2);
      case 'D': return String(f.day);
      case 'dddd': return DAYS[f.weekday]!;
      case 'ddd': return DAYS[f.weekday]!.slice(0, 3);
      case 'dd': return DAYS[f.weekday]!.slice(0, 2);
      case 'd': return String(f.weekday);
      case 'E': return String(f.weekday === 0 ? 7 : f.weekday);
      case 'HH': return pad(f.hour, 2);
      case 'H': return String(f.hour);
      case 'hh': return pad(h12, 2);
      case 'h': return String(h12);
      case 'kk': return pad(f.hour === 0 ? 24 : f.hour, 2);
      case 'k': return String(f.hour === 0 ? 24 : f.hour);
      case 'mm': return pad(f.minute, 2);
      case 'm': return String(f.minute);
      case 'ss': return pad(f.second, 2);
      case 's': return String(f.second);
      case 'SSS': return pad(f.ms, 3);
      case 'SS': return pad(Math.floor(f.ms / 10), 2);
      case 'S': return String(Math.floor(f.ms / 100));
      case 'A': return f.hour < 12 ? 'AM' : 'PM';
      case 'a': return f.hour < 12 ? 'am' : 'pm';
      case 'ZZ': return offset(f.offsetMinutes, false);
      case 'Z': return offset(f.offsetMinutes, true);
      case 'X': return String(Math.floor(date.getTime() / 1000));
      case 'x': return String(date.getTime());
      case 'WW': return pad(isoWeek(f).week, 2);
      case 'W': return String(isoWeek(f).week);
      case 'GGGG': return pad(isoWeek(f).year, 4);
      default: return token;
    }
  });
}

/** A `{{date 'FORMAT' tz='Zone'}}`-style helper for a fixed date. */
export function dateHelper(date: Date | undefined, what: string): Helper {
  return (args, options) => {
    for (const key of Object.keys(options)) {
      if (key !== 'tz') throw new ExpressionError(`unknown option ${key}= for {{${what}}} (accepted: tz)`);
    }
    if (!date) throw new ExpressionError(`{{${what}}} is not known for this run`);
    // One format, in quotes (checked by render, see checkDateCall).
    return formatDate(date, args[0]!, options.tz ?? 'UTC');
  };
}
