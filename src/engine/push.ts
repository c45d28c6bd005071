import { UserError } from '../errors.js';
import type { Docker } from './docker.js';
import { tail } from './exec.js';

export interface PushedRef {
  ref: string;
  digest: string;
}

export function parsePushDigest(output: string): string | undefined {
  return /digest: (sha256:[a-f0-9]{64})/.exec(output)?.[1];
}

/** Tags the tested image as `ref` and pushes it; returns the manifest digest the registry stored. */
export async function tagAndPush(docker: Docker, image: string, ref: string, timeoutMs?: number): Promise<PushedRef> {
  await docker.ok(['tag', image, ref], `docker tag ${ref}`);
  const r = await docker.run(['push', ref], { timeoutMs });
  if (r.code !== 0) throw new UserError(`Pushing ${ref} failed: ${tail(r, 3)}`);
  const digest = parsePushDigest(r.stdout);
  if (!digest) throw new UserError(`Pushing ${ref} gave no digest:\n${tail(r, 3)}`);
  return { ref, digest };
}
