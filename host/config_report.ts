// The configuration report (CR 7.6, RE1): the device's currently deployed
// security settings, read from the module's own getters, never from the
// host's idea of what it configured. One JSON object of a stable shape,
// `schema` naming it; its JSON Schema is host/config_report.schema.json.
// `iacsec config show --json` prints it; the conformance suite checks it.
//
// Sections: module; state (when a state store is open); provisioning, device
// ids, anchors, revocations, grants and counters (firmware part); access
// control (the security profile: password policy, lockout, sessions; roles
// with their permissions and whether they need a second factor); rate
// limits; audit log policy. A section the build lacks is null.

import { SIZES } from '../bindings/abi.js';
import type { Iacsec } from './api.js';
import { Audit } from './audit.js';
import { Auth, type Profile } from './auth.js';
import type { Firmware } from './firmware.js';
import { toHex } from './keys.js';
import { formatUuid } from './manifest.js';
import { RateLimit } from './ratelimit.js';
import type { DeviceSection } from './cli_state_section.js';

export const CONFIG_REPORT_SCHEMA = 'iacsec-config-report/1';

export interface ConfigReportInput {
  fw: Firmware;
  /** The state store's facts (the CLI), or null when the module runs without one. */
  state: Record<string, unknown> | null;
  /** The firmware section read from the verified state file (revocations, stored counters), when there is one. */
  section?: DeviceSection;
  /** Component names to show counters and grants by name (the module stores SHA-256 of names). */
  components?: readonly string[];
}

const has = (api: Iacsec, ...names: string[]) => {
  const raw = api.raw as unknown as Record<string, unknown>;
  return names.every((n) => typeof raw[n] === 'function');
};

function accessControl(api: Iacsec): { profile: Profile; roles: { index: number; name: string; permissions: string[]; mfaRequired: boolean }[] } | null {
  if (!has(api, 'iacsec_auth_profile_get', 'iacsec_role_get')) return null;
  const a = new Auth(api);
  return {
    profile: a.profile(),
    roles: a.roles().map((r) => ({ index: r.index, name: r.name, permissions: r.permissionNames, mfaRequired: r.mfaRequired })),
  };
}

function auditPolicy(api: Iacsec) {
  if (!has(api, 'iacsec_audit_status')) return null;
  const s = new Audit(api).status();
  return {
    onFull: s.policy, warnThresholdPercent: s.thresholdPercent, checkpointEvery: s.checkpointEvery, ringBytes: s.ringBytes,
    clockSync: s.clockSync, deviceKeyReady: s.deviceKeyReady, sealKeySet: s.sealKeySet,
  };
}

export function configReport(i: ConfigReportInput) {
  const { fw } = i;
  const api = fw.api;
  const info = api.info();
  const failSecure = fw.failSecure();
  const names = new Map<string, string>();
  for (const n of new Set(['firmware', 'config', ...(i.components ?? [])])) names.set(toHex(api.sha256(new TextEncoder().encode(n))), n);
  const section = i.section;
  const anchors = failSecure ? [] : fw.anchors();
  const grants = failSecure ? [] : fw.grants().map((g) => ({
    anchor: g.anchor, kid: anchors[g.anchor]?.kidHex ?? null, componentHash: g.componentHash, component: names.get(g.componentHash) ?? null,
  }));
  const counters = failSecure ? [] : [
    ...[...names].map(([hash, component]) => ({ component, componentHash: hash, counter: fw.securityCounter(component), stored: section?.counters.some((x) => x.componentHash === hash) ?? null })),
    ...(section?.counters ?? []).filter((x) => !names.has(x.componentHash)).map((x) => ({ component: null, componentHash: x.componentHash, counter: x.counter, stored: true })),
  ];
  return {
    schema: CONFIG_REPORT_SCHEMA,
    module: { path: info.source, sha256: info.sha256, abiVersion: info.abiVersion, capabilities: info.capabilities },
    state: i.state,
    provisioning: failSecure ? 'unknown (fail-secure)' : fw.provisioningOpen() ? 'open' : 'closed',
    device: section ? { vendor: section.deviceSet ? formatUuid(section.vendor) : null, deviceClass: section.deviceSet ? formatUuid(section.deviceClass) : null } : null,
    devicePublicKey: (() => { try { return toHex(fw.devicePublicKey()); } catch { return null; } })(),
    anchors: anchors.map((a) => ({ role: a.role, alg: a.alg, kid: a.kidHex, revoked: a.revoked, publicKey: toHex(a.publicKey) })),
    revocations: section?.revoked ?? null,
    grants,
    counters,
    limits: { anchors: SIZES.ANCHORS_MAX, revocations: SIZES.REVOKED_MAX, counters: SIZES.COUNTERS_MAX, grants: SIZES.GRANTS_MAX },
    accessControl: failSecure ? null : accessControl(api),
    rateLimit: !failSecure && has(api, 'iacsec_ratelimit_config_get') ? new RateLimit(api).config() : null,
    audit: auditPolicy(api),
  };
}

export type ConfigReport = ReturnType<typeof configReport>;
