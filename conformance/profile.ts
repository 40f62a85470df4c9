// The deployment profile: the settings a gateway actually runs with (password
// policy, lockout, MFA per role, sessions, audit policy, rate limits,
// firmware and state handling, provisioning). Capability checks show what
// the module can do (SL-C); profile checks show what this configuration
// enforces (SL-A). Example: conformance/profiles/default.json; a section or
// field left out counts as not configured.

import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';

export interface Profile {
  profileVersion: 1;
  name: string;
  description?: string;
  accounts?: { defaultPasswordKept?: boolean };
  passwordPolicy?: { minLength?: number; requireClasses?: number; maxAgeDays?: number; history?: number };
  lockout?: { enabled?: boolean; maxAttempts?: number; lockSeconds?: number };
  mfa?: { roles?: Record<string, boolean> };
  sessions?: { idleLockSeconds?: number; maxConcurrentPerUser?: number };
  audit?: {
    enabled?: boolean; chain?: boolean; capacityRecords?: number; warnThresholdPercent?: number;
    onFailure?: string; forward?: { syslog?: string };
  };
  rateLimit?: { enabled?: boolean; requestsPerSecond?: number; burst?: number; outboundPerSecond?: number };
  firmware?: { bootCheck?: boolean };
  state?: { persist?: boolean };
  provisioning?: { closed?: boolean; supplierAnchors?: number };
  selftest?: { periodicSeconds?: number };
  /** The OPC UA gateway (host/gateway/server.ts): message security modes offered, and whether unknown client certificates are accepted. */
  gateway?: { securityModes?: ('None' | 'Sign' | 'SignAndEncrypt')[]; acceptUnknownClients?: boolean };
}

export interface LoadedProfile {
  profile: Profile;
  /** Where it came from ("default" for the bundled one). */
  source: string;
  /** SHA-256 of the profile file's bytes. */
  sha256: string;
}

/** The bundled reference profile. */
export const DEFAULT_PROFILE_PATH = fileURLToPath(new URL('../../conformance/profiles/default.json', import.meta.url));

export class ProfileError extends Error {}

/** Parses and checks a profile file's bytes (the shape above; unknown sections are refused). */
export function parseProfile(bytes: Uint8Array, source: string): LoadedProfile {
  let v: unknown;
  try {
    v = JSON.parse(Buffer.from(bytes).toString('utf8'));
  } catch (e) {
    throw new ProfileError(`${source}: not JSON (${(e as Error).message})`);
  }
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new ProfileError(`${source}: a profile is a JSON object`);
  const p = v as Record<string, unknown>;
  if (p.profileVersion !== 1) throw new ProfileError(`${source}: profileVersion must be 1`);
  if (typeof p.name !== 'string' || p.name.length === 0) throw new ProfileError(`${source}: name must be a non-empty string`);
  const known = new Set(['profileVersion', 'name', 'description', 'accounts', 'passwordPolicy', 'lockout', 'mfa', 'sessions',
    'audit', 'rateLimit', 'firmware', 'state', 'provisioning', 'selftest', 'gateway']);
  for (const [k, s] of Object.entries(p)) {
    if (!known.has(k)) throw new ProfileError(`${source}: unknown section '${k}'`);
    if (k !== 'profileVersion' && k !== 'name' && k !== 'description' && (typeof s !== 'object' || s === null || Array.isArray(s))) {
      throw new ProfileError(`${source}: '${k}' must be an object`);
    }
  }
  const g = p.gateway as Record<string, unknown> | undefined;
  if (g?.securityModes !== undefined && (!Array.isArray(g.securityModes) || g.securityModes.length === 0
    || g.securityModes.some((m) => m !== 'None' && m !== 'Sign' && m !== 'SignAndEncrypt'))) {
    throw new ProfileError(`${source}: gateway.securityModes must list one or more of None, Sign, SignAndEncrypt`);
  }
  if (g?.acceptUnknownClients !== undefined && typeof g.acceptUnknownClients !== 'boolean') {
    throw new ProfileError(`${source}: gateway.acceptUnknownClients must be true or false`);
  }
  return { profile: p as unknown as Profile, source, sha256: createHash('sha256').update(bytes).digest('hex') };
}

export async function loadProfile(path?: string): Promise<LoadedProfile> {
  const file = path ?? DEFAULT_PROFILE_PATH;
  let bytes: Uint8Array;
  try {
    bytes = new Uint8Array(await readFile(file));
  } catch (e) {
    throw new ProfileError(`cannot read profile ${file}: ${(e as Error).message}`);
  }
  return parseProfile(bytes, path ?? 'default');
}
