// The deployment profile applied to the module under test: the profile
// checks (SL-A) of access control read a setting, then show that the module
// enforces it when configured so. Mapping (conformance/profile.ts to the
// module's security profile, host/auth.ts):
//   passwordPolicy.minLength -> minLength, history -> history, maxAgeDays -> maxLifetime
//   lockout.maxAttempts -> lockThreshold, lockSeconds -> lockDuration (lockout off: threshold 1000, the most)
//   sessions.idleLockSeconds -> idleLock, maxConcurrentPerUser -> sessionsPerUser
//   mfa.roles.<name> -> the "second factor" flag of the module's role of that name
//   rateLimit.requestsPerSecond, burst -> the per-source rate and burst
// A setting the module refuses (out of its range) is reported as not enforced.

import type { Profile } from '../profile.js';
import { PARTS } from '../parts.js';
import type { CheckContext, CheckOutcome } from './registry.js';
import { accessBench, type AccessBench } from './_access.js';

/** The module's profile fields for this deployment. */
export function moduleProfile(p: Profile): Record<string, number> {
  const out: Record<string, number> = { iterations: 1000, minLifetime: 0, sessionsPerUser: 8 };
  const pp = p.passwordPolicy;
  if (typeof pp?.minLength === 'number') out.minLength = pp.minLength;
  if (typeof pp?.history === 'number') out.history = pp.history;
  if (typeof pp?.maxAgeDays === 'number') out.maxLifetime = pp.maxAgeDays * 86_400;
  const l = p.lockout;
  if (l?.enabled === true) {
    if (typeof l.maxAttempts === 'number') out.lockThreshold = l.maxAttempts;
    if (typeof l.lockSeconds === 'number') out.lockDuration = l.lockSeconds;
  } else {
    out.lockThreshold = 1000;
  }
  const s = p.sessions;
  if (typeof s?.idleLockSeconds === 'number') { out.idleLock = s.idleLockSeconds; out.idleTerminate = Math.max(3600, s.idleLockSeconds); }
  if (typeof s?.maxConcurrentPerUser === 'number') out.sessionsPerUser = s.maxConcurrentPerUser;
  return out;
}

/**
 * A fresh module configured as the deployment says, or an outcome when it
 * cannot be (no access-control part, or a setting out of the module's range).
 */
export async function deployed(ctx: CheckContext): Promise<AccessBench | CheckOutcome> {
  if (!PARTS.access.present({ caps: ctx.module.caps, exports: ctx.module.exports })) {
    return { result: 'fail', summary: 'not enforced: the module under test has no access-control part' };
  }
  const profile = moduleProfile(ctx.profile);
  try {
    return await accessBench(ctx, { profile });
  } catch (e) {
    const st = (e as { status?: string }).status;
    if (st) return { result: 'fail', summary: `not enforced: the module refuses these settings (${st})` };
    throw e;
  }
}

export const isOutcome = (x: AccessBench | CheckOutcome): x is CheckOutcome => 'result' in x;
