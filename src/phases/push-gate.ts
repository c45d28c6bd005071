import type { Facts } from '../context.js';
import type { Credential } from '../engine/login.js';
import type { Inputs } from '../inputs.js';
import type { ImageRef } from '../plan/images.js';
import type { PushDecision } from '../plan/plan.js';

/**
 * The plan's push decision, checked against the credentials this run has. A pull request whose
 * registry has no credentials (a Dependabot pull request, secrets not shared with pull requests)
 * is built and tested but not pushed, instead of failing on the registry's refusal. Only an
 * explicit `push: true` still tries. Pure.
 */
export function gatePush(
  decision: PushDecision,
  facts: Pick<Facts, 'pr'>,
  inputs: Pick<Inputs, 'push'>,
  images: ImageRef[],
  credentials: Pick<Credential, 'registry'>[],
): PushDecision {
  if (!decision.enabled || !facts.pr || inputs.push === 'true') return decision;
  const missing = [...new Set(images.map((i) => i.registry))].filter((r) => !credentials.some((c) => c.registry === r));
  if (missing.length === 0) return decision;
  return {
    enabled: false,
    reason: `no credentials for ${missing.join(', ')}: pull request #${facts.pr.number} is built and tested, not pushed (give username and password, or registry-auth, to push previews)`,
  };
}
