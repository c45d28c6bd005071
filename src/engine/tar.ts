/**
 * The headers of a tar archive, as `docker save` writes it: ustar names with their prefix, octal
 * or base-256 sizes, and PAX records (long names, entries over 8 GiB). Pure.
 */

export interface TarHeader {
  name: string;
  size: number;
  /** The type flag: '0' a file, 'x' / 'g' PAX records, 'L' a GNU long name, '5' a folder. */
  kind: string;
}

/** One 512-byte header; undefined for the zero block that ends the archive. */
export function parseTarHeader(h: Buffer): TarHeader | undefined {
  if (h.every((b) => b === 0)) return undefined;
  const str = (from: number, len: number): string => h.subarray(from, from + len).toString('utf8').replace(/\0.*$/s, '');
  const prefix = h.subarray(257, 262).toString() === 'ustar' ? str(345, 155) : '';
  const name = prefix ? `${prefix}/${str(0, 100)}` : str(0, 100);
  let size = 0;
  if (h[124]! & 0x80) {
    for (let i = 125; i < 136; i++) size = size * 256 + h[i]!;
  } else {
    size = parseInt(str(124, 12).trim() || '0', 8);
  }
  return { name, size, kind: String.fromCharCode(h[156]! || 48) };
}

/** The records of a PAX header's data (`27 path=...\n`). */
export function parsePax(body: Buffer): Record<string, string> {
  const out: Record<string, string> = {};
  for (let rest = body.toString('utf8'); rest.length; ) {
    const m = /^(\d+) /.exec(rest);
    if (!m) break;
    const record = rest.slice(m[0].length, Number(m[1]) - 1);
    const eq = record.indexOf('=');
    if (eq > 0) out[record.slice(0, eq)] = record.slice(eq + 1);
    rest = rest.slice(Number(m[1]));
  }
  return out;
}

/** The bytes of padding after an entry's data. */
export function tarPadding(size: number): number {
  return (512 - (size % 512)) % 512;
}
