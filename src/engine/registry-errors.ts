/**
 * What a registry answered, read from the output of a failed docker command (push, login, a
 * build's cache export or import), and what that answer means for a retry.
 *
 * The registry's own answer decides wherever the output carries it: an HTTP status, or one of the
 * distribution spec's error codes (`DENIED`, `UNAVAILABLE`, ...). Engines and builders print that
 * answer in different words, so the forms below are kept in one table, each with the engine and
 * builder versions it was seen from and an example of it (the unit tests classify each example).
 * Text without any registry answer in it (a reset connection, a DNS failure, a bad certificate) is
 * judged by the fallback table after them. Pure.
 */

export type FaultKind = 'transient' | 'permanent';

export interface Fault {
  kind: FaultKind;
  /** Short cause in words: "HTTP 503 Service Unavailable", "connection reset", "unauthorized (HTTP 401)". */
  reason: string;
  /** HTTP status, when the failure named one. */
  status?: number;
  /** The distribution spec's error code, when the registry's answer carried one. */
  code?: string;
  /** Wait exactly this long before the next attempt (HTTP Retry-After), instead of the backoff. */
  retryAfterMs?: number;
}

const STATUS_TEXT: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  408: 'Request Timeout',
  409: 'Conflict',
  413: 'Payload Too Large',
  416: 'Range Not Satisfiable',
  425: 'Too Early',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  501: 'Not Implemented',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
  504: 'Gateway Timeout',
};

/** Transient or permanent, from an HTTP status alone. 408, 425, 429 and 5xx (but 501) are transient. */
export function classifyStatus(status: number, retryAfter?: string | null): Fault {
  const text = STATUS_TEXT[status];
  const reason = `HTTP ${status}${text ? ` ${text}` : ''}`;
  const transient = status === 408 || status === 425 || status === 429 || (status >= 500 && status <= 599 && status !== 501);
  const fault: Fault = { kind: transient ? 'transient' : 'permanent', reason, status };
  if (status === 401) fault.reason = 'unauthorized (HTTP 401): wrong or missing credentials';
  if (status === 403) fault.reason = 'access denied (HTTP 403): the credentials may not push to this repository';
  if (status === 404) fault.reason = 'not found (HTTP 404): the repository or registry path does not exist';
  const wait = parseRetryAfter(retryAfter);
  if (transient && wait !== undefined) fault.retryAfterMs = wait;
  return fault;
}

/** HTTP Retry-After: seconds, or an HTTP date. */
export function parseRetryAfter(value: string | null | undefined, now = Date.now()): number | undefined {
  if (!value) return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  const at = Date.parse(trimmed);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

interface RegistryCode {
  /** The code as the spec writes it. */
  code: string;
  /** The HTTP status the spec gives it. */
  status: number;
  /** Set where the code means something else for a retry than its status would. */
  kind?: FaultKind;
  /** Set where the code says more than its status. */
  reason?: string;
  /** The messages registries send with it (the spec's own first): Docker 28 prints only the message. */
  messages: string[];
}

/**
 * The distribution spec's error codes (and `TOOMANYREQUESTS`, `UNAVAILABLE` from the reference
 * registry), with the status each comes with. A code's words in lower case (`denied`, `name
 * unknown`) are also a message: many registries (and the fault proxy of the e2e tests) send them.
 */
export const REGISTRY_CODES: readonly RegistryCode[] = [
  { code: 'BLOB_UNKNOWN', status: 404, reason: 'a layer the registry does not have (BLOB_UNKNOWN)', messages: ['blob unknown to registry'] },
  { code: 'BLOB_UPLOAD_INVALID', status: 400, kind: 'transient', reason: 'the registry lost the upload session', messages: ['blob upload invalid'] },
  { code: 'BLOB_UPLOAD_UNKNOWN', status: 404, kind: 'transient', reason: 'the registry lost the upload session', messages: ['blob upload unknown to registry'] },
  { code: 'DIGEST_INVALID', status: 400, kind: 'transient', reason: 'an upload arrived damaged (DIGEST_INVALID)', messages: ['provided digest did not match uploaded content'] },
  { code: 'MANIFEST_BLOB_UNKNOWN', status: 404, reason: 'invalid manifest: the registry rejected the image manifest (MANIFEST_BLOB_UNKNOWN)', messages: ['manifest references a manifest or blob unknown to registry'] },
  { code: 'MANIFEST_INVALID', status: 400, reason: 'invalid manifest: the registry rejected the image manifest', messages: ['manifest invalid'] },
  { code: 'MANIFEST_UNKNOWN', status: 404, messages: ['manifest unknown'] },
  { code: 'NAME_INVALID', status: 400, reason: 'invalid image name or tag', messages: ['invalid repository name'] },
  { code: 'NAME_UNKNOWN', status: 404, messages: ['repository name not known to registry'] },
  { code: 'SIZE_INVALID', status: 400, kind: 'transient', reason: 'an upload arrived damaged (SIZE_INVALID)', messages: ['provided length did not match content length'] },
  { code: 'TAG_INVALID', status: 400, reason: 'invalid image name or tag', messages: ['manifest tag did not match URI'] },
  { code: 'UNAUTHORIZED', status: 401, messages: ['authentication required'] },
  { code: 'DENIED', status: 403, messages: ['requested access to the resource is denied'] },
  { code: 'UNSUPPORTED', status: 405, reason: 'the registry does not support this operation (UNSUPPORTED)', messages: ['the operation is unsupported'] },
  { code: 'TOOMANYREQUESTS', status: 429, reason: 'rate limited (HTTP 429)', messages: ['too many requests'] },
  { code: 'UNAVAILABLE', status: 503, messages: ['service unavailable'] },
];

const words = (code: string): string => code.toLowerCase().replace(/_/g, ' ');

/** The fault a registry error code means (its status, or what the code says beyond it). */
export function faultOfCode(code: string): Fault | undefined {
  const entry = REGISTRY_CODES.find((c) => c.code === code.toUpperCase().replace(/ /g, '_'));
  if (!entry) return undefined;
  const fault: Fault = { ...classifyStatus(entry.status), code: entry.code };
  if (entry.kind) fault.kind = entry.kind;
  if (entry.reason) fault.reason = entry.reason;
  return fault;
}

/** The code a registry's message stands for: a spec message, or a code's own words. */
export function codeOfMessage(message: string): string | undefined {
  const m = message.trim().replace(/[.\s]+$/, '').toLowerCase();
  for (const c of REGISTRY_CODES) {
    if (m === words(c.code) || c.messages.some((x) => (x = x.toLowerCase()) === m || m.startsWith(`${x}:`) || m.startsWith(`${x} `))) return c.code;
  }
  return undefined;
}

const CODE_WORDS = REGISTRY_CODES.map((c) => words(c.code)).sort((a, b) => b.length - a.length);

/** A way a registry's answer reaches a command's output. */
export interface AnswerForm {
  name: string;
  /** The engines and builders it was seen from. */
  from: string;
  /** A real line of that form. */
  example: string;
  re: RegExp;
  fault: (m: RegExpExecArray) => Fault | undefined;
}

/**
 * The registry's answer as the engines and builders print it. Statuses written as numbers carry
 * the answer exactly; codes and messages come next.
 */
export const ANSWER_FORMS: readonly AnswerForm[] = [
  {
    name: 'HTTP status after a request',
    from: 'containerd pusher (Docker 26 and 28, containerd image store; BuildKit 0.13 and 0.2x cache export and import); docker login (all)',
    example: 'unexpected status from POST request to http://127.0.0.1:5000/v2/acme/app/blobs/uploads/: 503 Service Unavailable',
    // "failed with status: 503 Service Unavailable", "unexpected status: 429 Too Many Requests",
    // "received unexpected HTTP status: 500 Internal Server Error", "... request to URL: 401 Unauthorized".
    re: /\bstatus(?: code)?(?: from \w+ request to \S+)?:? (\d{3})\b/gi,
    fault: (m) => classifyStatus(Number(m[1])),
  },
  {
    name: 'HTTP status line',
    from: 'BuildKit (response status lines), registries behind proxies',
    example: 'failed to fetch anonymous token: HTTP 502 Bad Gateway',
    re: /\b(?:HTTP\/\d(?:\.\d)? |HTTP )(\d{3})\b/g,
    fault: (m) => classifyStatus(Number(m[1])),
  },
  {
    name: 'error from registry: <message>',
    from: 'Docker 28 (containerd image store): push and pull print only the message of the registry\'s first error, never its code',
    example: 'error from registry: denied',
    // (Up to a quote: the engine API's JSON stream carries the same text inside a string.)
    re: /\berror from registry: ([^\n"]*)/g,
    fault: (m) => {
      const code = codeOfMessage(m[1]!);
      if (code) return faultOfCode(code);
      // The registry refused with a message of its own: the rate-limit texts of the fallback
      // table still apply to it; anything else is its refusal, in its words.
      return fallbackFault(m[1]!) ?? { kind: 'permanent', reason: `the registry refused: ${m[1]!.trim()}` };
    },
  },
  {
    name: '<code words>: <message>',
    from: 'the classic image store (Docker 26 and 28), containerd\'s registry errors (BuildKit 0.2x after a status line), Docker Hub and GHCR answers as the CLI prints them',
    example: 'denied: requested access to the resource is denied',
    // The message is part of the match, so that a text inside it never outranks the code.
    re: new RegExp(`(?:^|[\\s:"(])(${CODE_WORDS.join('|')}): [^\\n]*`, 'gim'),
    fault: (m) => faultOfCode(m[1]!),
  },
  {
    name: 'error code in capitals',
    from: 'registry answers quoted whole (`errors: MANIFEST_BLOB_UNKNOWN: ...`, JSON bodies)',
    example: 'errors: MANIFEST_BLOB_UNKNOWN: blob unknown to registry',
    re: new RegExp(`\\b(${REGISTRY_CODES.map((c) => c.code).join('|')})\\b`, 'g'),
    fault: (m) => faultOfCode(m[1]!),
  },
];

interface TextSignal {
  /** Where the text comes from. */
  from: string;
  re: RegExp;
  fault: () => Fault;
}

const permanent = (reason: string, status?: number) => (): Fault => ({ kind: 'permanent', reason, ...(status ? { status } : {}) });
const transient = (reason: string, status?: number) => (): Fault => ({ kind: 'transient', reason, ...(status ? { status } : {}) });

/**
 * Texts with no registry answer in them: the network, DNS, TLS, local names, and the words some
 * registries answer with in place of a code. Matched only where no answer form above matched at
 * the same place.
 */
export const FALLBACK_TEXTS: readonly TextSignal[] = [
  { from: 'Docker Hub\'s rate-limit message (all engines)', re: /too many requests|rate limit/gi, fault: transient('rate limited (HTTP 429)', 429) },
  { from: 'status words without a number (older registries, proxies)', re: /\bservice unavailable\b/gi, fault: () => classifyStatus(503) },
  { from: 'status words without a number', re: /\bbad gateway\b/gi, fault: () => classifyStatus(502) },
  { from: 'status words without a number', re: /\bgateway timeout\b/gi, fault: () => classifyStatus(504) },
  { from: 'status words without a number', re: /\binternal server error\b/gi, fault: () => classifyStatus(500) },
  { from: 'docker login (all engines), Docker Hub', re: /\bunauthorized\b|authentication required|incorrect username or password|no basic auth credentials|invalid username\/password/gi, fault: () => classifyStatus(401) },
  { from: 'GHCR, Docker Hub', re: /requested access to the resource is denied|\bforbidden\b|insufficient_scope/gi, fault: () => classifyStatus(403) },
  { from: 'registries without a spec code', re: /repository name not known|\b(?:name|manifest) unknown\b|\bnot found\b/gi, fault: () => classifyStatus(404) },
  { from: 'manifest rejections', re: /\bunsupported manifest\b/gi, fault: permanent('invalid manifest: the registry rejected the image manifest') },
  { from: 'docker CLI (all)', re: /invalid reference format|repository name must be lowercase|\binvalid tag\b/gi, fault: permanent('invalid image name or tag') },
  { from: 'Go resolver (all)', re: /\bno such host\b/gi, fault: permanent('unknown registry host (DNS: no such host)') },
  { from: 'Go TLS (all)', re: /\bx509: |certificate signed by unknown authority|tls: failed to verify certificate/gi, fault: permanent('TLS certificate not trusted') },
  { from: 'Go HTTP client (all)', re: /server gave HTTP response to HTTPS client/gi, fault: permanent('the registry speaks plain HTTP but is not an insecure registry for this engine') },
  { from: 'registries without a spec code', re: /\bblob upload (?:unknown|invalid)\b/gi, fault: transient('the registry lost the upload session') },
  // Network faults: the connection broke or stalled; a new attempt usually works.
  { from: 'Go net (all)', re: /connection reset(?: by peer)?|\bECONNRESET\b/gi, fault: transient('connection reset') },
  { from: 'Go net (all)', re: /connection refused|\bECONNREFUSED\b/gi, fault: transient('connection refused') },
  { from: 'Go net, HTTP/2 (all)', re: /broken pipe|\bEPIPE\b|use of closed network connection|server closed idle connection|http2: server sent GOAWAY/gi, fault: transient('connection closed') },
  { from: 'Go HTTP client (all)', re: /\bunexpected EOF\b|: EOF\b|\bEOF$/gm, fault: transient('connection closed early (EOF)') },
  { from: 'Go net, HTTP client (all)', re: /\bi\/o timeout\b|\bTLS handshake timeout\b|context deadline exceeded|Client\.Timeout exceeded|timeout awaiting response headers|\bETIMEDOUT\b|request canceled while waiting for connection/gi, fault: transient('timeout') },
  { from: 'Go resolver (all)', re: /temporary failure in name resolution|server misbehaving|\bEAI_AGAIN\b/gi, fault: transient('DNS lookup failed temporarily') },
  { from: 'Go net (all)', re: /network is unreachable|no route to host|\bENETUNREACH\b|\bEHOSTUNREACH\b/gi, fault: transient('network unreachable') },
];

function fallbackFault(text: string): Fault | undefined {
  return lastMatch(text, FALLBACK_TEXTS.map((s) => ({ re: s.re, fault: () => s.fault() })))?.fault;
}

function lastMatch(output: string, signals: { re: RegExp; fault: (m: RegExpExecArray) => Fault | undefined }[]): { at: number; fault: Fault } | undefined {
  let best: { at: number; fault: Fault } | undefined;
  for (const signal of signals) {
    const re = new RegExp(signal.re.source, signal.re.flags);
    for (let m = re.exec(output); m; m = re.exec(output)) {
      const at = m.index + m[0].length;
      if (m[0].length === 0) re.lastIndex++;
      // Ties (two signals ending at the same place) keep the earlier, more exact signal.
      if (best && at <= best.at) continue;
      const fault = signal.fault(m);
      if (fault) best = { at, fault };
    }
  }
  return best;
}

/** The last non-empty line of a command's output: the cause shown when nothing better is known. */
export function lastLine(output: string): string {
  return (
    output
      .split('\n')
      .map((l) => l.trim())
      .filter(Boolean)
      .pop() ?? ''
  );
}

/**
 * Classifies a failed docker command from its output. The last registry answer or known text in
 * the output decides: that is the error the command ended with (earlier lines may be retries the
 * engine already made); at the same place, a registry answer beats a text. Unknown failures are
 * permanent: retrying what nobody understands only makes a job slower.
 */
export function classifyOutput(output: string): Fault {
  const answer = lastMatch(output, [...ANSWER_FORMS]);
  const text = lastMatch(output, FALLBACK_TEXTS.map((s) => ({ re: s.re, fault: () => s.fault() })));
  const best = answer && (!text || answer.at >= text.at) ? answer : text;
  if (best) return best.fault;
  const line = lastLine(output);
  return { kind: 'permanent', reason: line ? `unrecognised error: ${line}` : 'failed without a message' };
}
