import { UserError } from './errors.js';
import { looksSecret, maskSecret } from './secrets.js';

/**
 * Input `test-options`: options for the `test-command` container, from a list that fits tests.
 * Nothing that reaches the host's files (a volume or bind mount), widens the container's rights
 * (`--privileged`, `--cap-add`, another namespace than `host` networking or IPC) or changes what
 * runs (a second image, `--entrypoint`, `--platform`) is taken; devices are character devices of
 * a short list, never a disk. Pure, but for masking `--env` values whose names say they are secret.
 */

const SIZE = /^\d+(\.\d+)?([kmgt]i?b?|b)?$/i;
const PATH = /^\/[^\s:]*$/;
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
/**
 * Devices a test may be given: character devices for FUSE, KVM, tun, GPUs and sound. Never a disk
 * or a folder (docker adds every device under a folder), which would hand over the host's files.
 */
const DEVICES = [/^\/dev\/(fuse|kvm|net\/tun|nvidiactl|nvidia-uvm|nvidia-uvm-tools|nvidia-modeset)$/, /^\/dev\/nvidia\d+$/, /^\/dev\/dri\/(card|renderD)\d+$/, /^\/dev\/snd\/[\w]+$/];
const DEVICES_SHOWN = '/dev/fuse, /dev/kvm, /dev/net/tun, /dev/nvidia*, /dev/dri/card* and renderD*, /dev/snd/*';

interface OptionSpec {
  /** The option as docker spells it; `aliases` are its other spellings. */
  name: string;
  aliases?: string[];
  accepts: string;
  valid: (value: string) => boolean;
}

const OPTIONS: OptionSpec[] = [
  { name: '--gpus', accepts: '`all`, a count, or `device=...` / `count=...,capabilities=...`', valid: (v) => /^(all|\d+|"?[a-z]+=[\w.,=:-]+"?)$/i.test(v) },
  { name: '--shm-size', accepts: 'a size such as 256m or 2g', valid: (v) => SIZE.test(v) },
  { name: '--env', aliases: ['-e'], accepts: 'NAME or NAME=value', valid: (v) => ENV_NAME.test(v.split('=')[0]!) },
  { name: '--tmpfs', accepts: 'an absolute path in the container, with :options', valid: (v) => /^\/[^\s:]*(:[\w=,.-]+)?$/.test(v) },
  { name: '--ulimit', accepts: 'nofile, nproc, memlock, stack or core =soft[:hard], such as nofile=1024:2048', valid: (v) => /^(nofile|nproc|memlock|stack|core)=-?\d+(:-?\d+)?$/.test(v) },
  { name: '--network', aliases: ['--net'], accepts: 'none, bridge or host', valid: (v) => ['none', 'bridge', 'host'].includes(v) },
  { name: '--user', aliases: ['-u'], accepts: 'a user or uid, with :group', valid: (v) => /^[\w.-]+(:[\w.-]+)?$/.test(v) },
  { name: '--workdir', aliases: ['-w'], accepts: 'an absolute path in the container', valid: (v) => PATH.test(v) },
  { name: '--memory', aliases: ['-m'], accepts: 'a size such as 512m or 4g', valid: (v) => SIZE.test(v) },
  { name: '--cpus', accepts: 'a number of CPUs such as 1.5', valid: (v) => /^\d+(\.\d+)?$/.test(v) && Number(v) > 0 },
  {
    name: '--device',
    accepts: `one of ${DEVICES_SHOWN}, with :/dev/path in the container and :rwm`,
    valid: (v) => {
      const [host = '', inside, mode] = v.split(':');
      const insideOk = inside === undefined || (/^\/dev\/[\w/-]+$/.test(inside) && !inside.includes('..')) || (mode === undefined && /^[rwm]{1,3}$/.test(inside));
      return DEVICES.some((d) => d.test(host)) && insideOk && (mode === undefined || /^[rwm]{1,3}$/.test(mode));
    },
  },
  { name: '--ipc', accepts: 'none, private, shareable or host', valid: (v) => ['none', 'private', 'shareable', 'host'].includes(v) },
];

const LIST = OPTIONS.map((o) => [o.name, ...(o.aliases ?? [])].join('/')).join(', ');

/** Splits like a shell, without expansion: whitespace separates words, quotes group them. */
export function splitWords(text: string): string[] {
  const words: string[] = [];
  let word: string | undefined;
  let quote: string | undefined;
  for (const ch of text) {
    if (quote) {
      if (ch === quote) quote = undefined;
      else word += ch;
    } else if (ch === '"' || ch === "'") {
      quote = ch;
      word ??= '';
    } else if (/\s/.test(ch)) {
      if (word !== undefined) words.push(word);
      word = undefined;
    } else {
      word = (word ?? '') + ch;
    }
  }
  if (quote) throw new UserError(`Input 'test-options' has an unclosed ${quote} quote: close it, or leave quotes out.`);
  if (word !== undefined) words.push(word);
  return words;
}

/** One option of `test-options`, as parsed: the docker spelling, and its value. */
export interface TestOption {
  name: string;
  value: string;
}

/** Parses `test-options`; a word that is not an allowed option with a valid value fails naming it and the list. */
export function parseTestOptions(text: string): TestOption[] {
  const words = splitWords(text);
  const options: TestOption[] = [];
  for (let i = 0; i < words.length; i++) {
    const word = words[i]!;
    const eq = word.startsWith('--') ? word.indexOf('=') : -1;
    const given = eq > 0 ? word.slice(0, eq) : word;
    const spec = OPTIONS.find((o) => o.name === given || o.aliases?.includes(given));
    if (!spec) {
      const why = given.startsWith('-') ? `'${given}' is not an option autobuild gives the test container` : `'${given}' is not an option (a second image or a command goes in test-command)`;
      throw new UserError(`Input 'test-options': ${why}. Accepted: ${LIST}.`);
    }
    let value: string | undefined;
    if (eq > 0) value = word.slice(eq + 1);
    else value = words[++i];
    if (value === undefined || value === '') throw new UserError(`Input 'test-options': ${given} needs a value: ${spec.accepts}.`);
    if (!spec.valid(value)) throw new UserError(`Input 'test-options' has an invalid value '${value}' for ${given}: expected ${spec.accepts}.`);
    options.push({ name: spec.name, value });
    // A variable's value given here is masked when its name says it is a secret (as build-env's).
    const [envName = '', ...rest] = spec.name === '--env' ? value.split('=') : [];
    if (rest.length && looksSecret(envName)) maskSecret(rest.join('='));
  }
  return options;
}

/**
 * Options that reach into the runner's host: a variable of the step (`--env NAME`), its network
 * (services on its loopback), its shared memory and IPC, its devices. Pure.
 */
export function reachesHost(o: TestOption): boolean {
  return (o.name === '--env' && !o.value.includes('=')) || ((o.name === '--network' || o.name === '--ipc') && o.value === 'host') || o.name === '--device';
}

/**
 * The `docker run` arguments for the test container. Code that is not a writer's (`trusted`
 * false) gets none of the options that reach into the host (reachesHost): those are left out and
 * returned as `dropped`, as they were written.
 */
export function testOptionArgs(options: readonly TestOption[], trusted: boolean): { args: string[]; dropped: string[] } {
  const args: string[] = [];
  const dropped: string[] = [];
  for (const o of options) {
    if (!trusted && reachesHost(o)) {
      dropped.push(`${o.name} ${o.value}`);
      continue;
    }
    args.push(`${o.name}=${o.value}`);
  }
  return { args, dropped };
}
