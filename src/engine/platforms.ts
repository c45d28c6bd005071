/**
 * Which platforms the builder can build, and so the engine run: a platform the runner's CPU is
 * not runs under emulation (a binfmt handler such as QEMU's), which BuildKit finds at start and
 * lists among its platforms. Found, never assumed: a platform without a handler fails before the
 * build, naming the fixes.
 */
import { UserError } from '../errors.js';
import type { Capabilities } from './capabilities.js';
import type { Docker } from './docker.js';

/** The engine host's own platform, as the runner's CPU gives it (linux/amd64, linux/arm64). */
export const NATIVE_PLATFORM = `linux/${process.arch === 'x64' ? 'amd64' : process.arch === 'ia32' ? '386' : process.arch}`;

/** `linux/arm64/v8` and `linux/arm64` are one platform, as `linux/arm` and `linux/arm/v7` are. Pure. */
export function normalizePlatform(platform: string): string {
  const [os = '', arch = '', variant] = platform.trim().toLowerCase().split('/');
  const implied = (arch === 'arm64' && variant === 'v8') || (arch === 'arm' && variant === 'v7') || (arch === 'amd64' && variant === 'v1');
  return variant && !implied ? `${os}/${arch}/${variant}` : `${os}/${arch}`;
}

/** The platforms of `docker buildx inspect` text (its `Platforms:` line, `*` marks dropped). Pure. */
export function parsePlatforms(inspect: string): string[] {
  const line = /^Platforms:\s*(.*)$/m.exec(inspect)?.[1] ?? '';
  return line
    .split(',')
    .map((p) => p.replace(/\*/g, '').trim())
    .filter(Boolean);
}

/** The requested platforms the builder does not list. Pure. */
export function missingPlatforms(requested: string[], available: string[]): string[] {
  const have = new Set(available.map(normalizePlatform));
  return requested.filter((p) => !have.has(normalizePlatform(p)));
}

/** The error for platforms the builder cannot build or run, with both fixes. Pure. */
export function platformError(missing: string[], available: string[], builder: string): UserError {
  const which = missing.join(', ');
  return new UserError(
    `Input 'platforms': the builder ${builder} cannot build or run ${which} (it lists ${available.join(', ') || 'no platforms'}): no emulator is registered for ${
      missing.length === 1 ? 'it' : 'them'
    } on this engine's host. Either register one before autobuild runs (a QEMU setup step such as docker/setup-qemu-action, or on a host of your own Debian's qemu-user-static and binfmt-support packages), or build ${
      missing.length === 1 ? 'that platform' : 'those platforms'
    } on a runner of ${missing.length === 1 ? 'its' : 'their'} own architecture.`,
  );
}

/**
 * A hint for output that says "exec format error": a program of another CPU was started with no
 * emulator to run it (no binfmt handler for it, or one registered without the F flag, which
 * containers need). `platforms` are the ones the build or test was for. Undefined when the output
 * does not say so. Pure.
 */
export function execFormatHint(output: string, platforms: readonly string[]): string | undefined {
  if (!/exec format error/i.test(output)) return undefined;
  const which = platforms.length ? platforms.join(', ') : 'the image\'s platform';
  return `"exec format error": a program for another CPU (${which}) found no emulator on the engine's host. Register QEMU's binfmt handlers with the F (fix binary) flag before autobuild runs (docker/setup-qemu-action, or Debian's qemu-user-static and binfmt-support), then restart the engine if it was started before, or build that platform on a runner of its own architecture.`;
}

/**
 * Whether the platforms are built one at a time, each loaded under a name of its own: the classic
 * image store holds one platform of an image (whatever builder loads it), so each platform is its
 * own image there, tested on its own and pushed by digest, and the index is put together in the
 * registry. Pure.
 */
export function buildsEachPlatform(caps: Pick<Capabilities, 'containerdStore'>, platforms: string[]): boolean {
  return platforms.length > 1 && !caps.containerdStore;
}

/** Checks, before any build, that every platform of `platforms` can be built and its image run here. */
export async function checkPlatforms(docker: Docker, caps: Pick<Capabilities, 'buildx' | 'driver' | 'builder' | 'containerdStore'>, platforms: string[]): Promise<string[]> {
  if (platforms.length === 0) return [];
  if (!caps.buildx) throw new UserError(`Input 'platforms' needs docker buildx, which this runner does not have: install the buildx plugin, or leave 'platforms' empty to build for the engine's own platform.`);
  const inspect = await docker.run(['buildx', 'inspect', '--bootstrap']);
  if (inspect.code !== 0) return [];
  const available = parsePlatforms(inspect.stdout);
  // A builder that lists nothing is not judged: the build itself says what it cannot do.
  if (available.length === 0) return [];
  const missing = missingPlatforms(platforms, available);
  if (missing.length) throw platformError(missing, available, caps.builder ?? 'default');
  return available;
}
