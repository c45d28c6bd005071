/**
 * What a Dockerfile builds on, read without building: its stages, and the images the final stage
 * (or `target`) takes files from, through `FROM`, `COPY --from` and `RUN --mount=...,from=`, with
 * the `ARG`s declared before the first `FROM` expanded (build arguments win over their defaults).
 * Pure: tested table-style.
 */
import { parseImage } from './images.js';

/** Dockerfile lines with continuations joined and comments dropped, honouring `# escape=`. */
export function instructions(text: string): string[] {
  const lines = text.replace(/\r\n?/g, '\n').split('\n');
  let escape = '\\';
  // Parser directives: `# key=value` lines at the very top.
  for (const line of lines) {
    const m = /^#\s*([a-z]+)\s*=\s*(\S+)\s*$/i.exec(line);
    if (!m) break;
    if (m[1]!.toLowerCase() === 'escape' && (m[2] === '`' || m[2] === '\\')) escape = m[2];
  }
  const out: string[] = [];
  let current = '';
  for (const raw of lines) {
    const line = raw.trim();
    if (line.startsWith('#')) continue;
    if (line.endsWith(escape)) {
      current += `${line.slice(0, -1)} `;
      continue;
    }
    current += line;
    if (current.trim()) out.push(current.trim());
    current = '';
  }
  if (current.trim()) out.push(current.trim());
  return out;
}

export function unquote(value: string): string {
  return /^(["']).*\1$/.test(value) ? value.slice(1, -1) : value;
}

/** `$NAME`, `${NAME}`, `${NAME:-default}` and `${NAME:+alt}` as Docker expands them in FROM; undefined when a name has no value. */
export function expand(value: string, args: Map<string, string | undefined>): string | undefined {
  let unresolved = false;
  const out = value.replace(/\$(?:\{([A-Za-z_][A-Za-z0-9_]*)(?::([-+])([^}]*))?\}|([A-Za-z_][A-Za-z0-9_]*))/g, (_, braced, op, word, bare) => {
    const name = (braced ?? bare) as string;
    const v = args.get(name);
    if (op === '-') return v ? v : word;
    if (op === '+') return v ? word : '';
    if (v === undefined) unresolved = true;
    return v ?? '';
  });
  return unresolved || !out ? undefined : out;
}

export interface Stage {
  index: number;
  /** `AS name`, lower-cased. */
  name?: string;
  /** The FROM image as written (before expansion). */
  from: string;
  /** `--platform=` as written, when given. */
  platform?: string;
  /** What `COPY --from=` and `RUN --mount=...,from=` name in this stage, as written. */
  uses: string[];
}

export interface ParsedDockerfile {
  /** ARGs declared before the first FROM, with their defaults (undefined: no default). */
  globalArgs: Map<string, string | undefined>;
  stages: Stage[];
}

/** The flags (`--name=value`) at the start of an instruction's arguments, and the rest. */
function flags(rest: string): { flags: [string, string][]; words: string[] } {
  const words = rest.split(/\s+/).filter(Boolean);
  const out: [string, string][] = [];
  while (words[0]?.startsWith('--')) {
    const flag = words.shift()!.slice(2);
    const eq = flag.indexOf('=');
    out.push(eq < 0 ? [flag.toLowerCase(), ''] : [flag.slice(0, eq).toLowerCase(), flag.slice(eq + 1)]);
  }
  return { flags: out, words };
}

export function parseDockerfile(text: string): ParsedDockerfile {
  const globalArgs = new Map<string, string | undefined>();
  const stages: Stage[] = [];
  for (const line of instructions(text)) {
    const m = /^(\S+)\s*(.*)$/.exec(line)!;
    const keyword = m[1]!.toUpperCase();
    const rest = m[2]!;
    const current = stages[stages.length - 1];
    if (keyword === 'ARG' && !current) {
      for (const decl of rest.split(/\s+/).filter(Boolean)) {
        const eq = decl.indexOf('=');
        globalArgs.set(eq < 0 ? decl : decl.slice(0, eq), eq < 0 ? undefined : unquote(decl.slice(eq + 1)));
      }
    } else if (keyword === 'FROM') {
      const { flags: f, words } = flags(rest);
      const stage: Stage = { index: stages.length, from: words[0] ?? '', uses: [] };
      if (words[1]?.toLowerCase() === 'as' && words[2]) stage.name = words[2].toLowerCase();
      const platform = f.find(([k]) => k === 'platform')?.[1];
      if (platform) stage.platform = platform;
      stages.push(stage);
    } else if (current && (keyword === 'COPY' || keyword === 'ADD')) {
      const from = flags(rest).flags.find(([k]) => k === 'from')?.[1];
      if (from) current.uses.push(unquote(from));
    } else if (current && keyword === 'RUN') {
      for (const [k, v] of flags(rest).flags) {
        if (k !== 'mount') continue;
        const from = v.split(',').map((kv) => kv.split('=')).find(([key]) => key?.trim().toLowerCase() === 'from')?.[1];
        if (from) current.uses.push(unquote(from.trim()));
      }
    }
  }
  return { globalArgs, stages };
}

/** An image reference, as docker reads it, fully qualified: `alpine` is `docker.io/library/alpine:latest`. */
export interface ImageReference {
  /** The reference as the Dockerfile wrote it, ARGs expanded. */
  written: string;
  registry: string;
  /** The repository inside the registry (`library/alpine`). */
  repository: string;
  tag?: string;
  /** `@sha256:...` in the reference: it cannot move. */
  digest?: string;
  /** registry/repository[:tag][@digest], `:latest` when neither is given. */
  name: string;
}

/** Parses an image reference; undefined when it is not one. */
export function parseReference(written: string): ImageReference | undefined {
  let rest = written.trim();
  let digest: string | undefined;
  const at = rest.indexOf('@');
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
    if (!/^[a-z0-9]+(?:[+._-][a-z0-9]+)*:[a-zA-Z0-9=_-]+$/.test(digest)) return undefined;
  }
  let tag: string | undefined;
  const colon = rest.lastIndexOf(':');
  if (colon > rest.lastIndexOf('/')) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
    if (!/^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/.test(tag)) return undefined;
  }
  const image = parseImage(rest);
  if (typeof image === 'string' || image.lowercased) return undefined;
  if (!tag && !digest) tag = 'latest';
  const name = `${image.name}${tag ? `:${tag}` : ''}${digest ? `@${digest}` : ''}`;
  return { written, registry: image.registry, repository: image.path, tag, digest, name };
}

export interface DockerfileBases {
  /** Every image the final stage is made from, once each: its own FROM base first, then in Dockerfile order. */
  bases: ImageReference[];
  /** The image the final stage's filesystem starts from (FROM, followed through stages); undefined for scratch. */
  runtime?: ImageReference;
  /** References the plan cannot resolve (an ARG without a value, not an image name), as written. */
  unresolved: string[];
  /** Why nothing could be read (no FROM, an unknown target). */
  error?: string;
}

/**
 * The base images of the final stage (or `target`): the image its FROM chain starts from, and
 * those of every stage it takes files from, followed through stage names and indexes. `scratch`
 * is no image. Build arguments (`NAME=value`) win over the ARG defaults; as docker does, only
 * the ARGs before the first FROM reach a FROM (and here, a --from).
 */
export function dockerfileBases(text: string, opts: { target?: string; buildArgs?: Record<string, string> } = {}): DockerfileBases {
  const { globalArgs, stages } = parseDockerfile(text);
  const args = new Map<string, string | undefined>();
  for (const [name, value] of globalArgs) args.set(name, opts.buildArgs?.[name] ?? value);
  const out: DockerfileBases = { bases: [], unresolved: [] };
  if (!stages.length) return { ...out, error: 'the Dockerfile has no FROM' };
  const final = opts.target ? stages.findIndex((s) => s.name === opts.target!.toLowerCase()) : stages.length - 1;
  if (final < 0) return { ...out, error: `the Dockerfile has no stage named '${opts.target}'` };
  const visited = new Set<number>();
  const seen = new Set<string>();
  const addImage = (written: string): ImageReference | undefined => {
    const expanded = expand(written, args);
    if (expanded === undefined) {
      if (!out.unresolved.includes(written)) out.unresolved.push(written);
      return undefined;
    }
    if (expanded.toLowerCase() === 'scratch') return undefined;
    const ref = parseReference(expanded);
    if (!ref) {
      if (!out.unresolved.includes(expanded)) out.unresolved.push(expanded);
      return undefined;
    }
    if (!seen.has(ref.name)) {
      seen.add(ref.name);
      out.bases.push(ref);
    }
    return out.bases.find((b) => b.name === ref.name);
  };
  /** The stage a name refers to from stage `before` (an earlier stage's name, or its index for --from). */
  const stageNamed = (name: string, before: number, byIndex: boolean): number | undefined => {
    const lower = name.toLowerCase();
    for (let i = before - 1; i >= 0; i--) if (stages[i]!.name === lower) return i;
    if (byIndex && /^\d+$/.test(name) && Number(name) < before) return Number(name);
    return undefined;
  };
  // Depth first from the final stage: its FROM chain first (that base is the runtime one).
  const visit = (index: number): void => {
    if (visited.has(index)) return;
    visited.add(index);
    const stage = stages[index]!;
    const expanded = expand(stage.from, args);
    const parent = expanded !== undefined ? stageNamed(expanded, index, false) : undefined;
    if (parent !== undefined) visit(parent);
    else addImage(stage.from);
    for (const used of stage.uses) {
      const e = expand(used, args);
      const s = e !== undefined ? stageNamed(e, index, true) : undefined;
      if (s !== undefined) visit(s);
      else addImage(used);
    }
  };
  // The runtime base comes first in `bases`: visit its chain before the stages it copies from.
  const runtime = visitChain(final);
  function visitChain(index: number): ImageReference | undefined {
    // Walk the FROM chain to its image without the --from uses, then visit everything.
    let i = index;
    const chain: number[] = [];
    for (;;) {
      chain.push(i);
      const e = expand(stages[i]!.from, args);
      const parent = e !== undefined ? stageNamed(e, i, false) : undefined;
      if (parent === undefined || chain.includes(parent)) break;
      i = parent;
    }
    const root = stages[chain[chain.length - 1]!]!;
    const base = addImage(root.from);
    visit(index);
    return base;
  }
  if (runtime) out.runtime = runtime;
  return out;
}
