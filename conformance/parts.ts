// The parts of iacsec that catalogue items depend on, and how a build of the
// module shows that it has one: capability bits of iacsec_caps() and
// exports. The same suite runs against any build; an item whose part a
// build lacks fails with the reason "not implemented".

import { createRequire } from 'node:module';
import { CAPS } from '../bindings/abi.js';
import type { PartId } from './catalogue/index.js';

/** What the suite knows about the module under test before running any check. */
export interface ModuleFacts {
  caps: number;
  exports: ReadonlySet<string>;
}

export interface Part {
  id: PartId;
  name: string;
  /** How the suite detects the part in a build (shown in the report). */
  detection: string;
  /** What would close a gap that is there because the part is missing. */
  closes: string;
  present(m: ModuleFacts): boolean;
}

/** Whether node-opcua resolves from here (the gateway's OPC UA stack; resolved, not loaded). */
function opcuaInstalled(): boolean {
  try {
    createRequire(import.meta.url).resolve('node-opcua');
    return true;
  } catch {
    return false;
  }
}

const anyBit = (caps: number, from: number, to: number) => {
  for (let b = from; b <= to; b++) if ((caps & (1 << b)) !== 0) return true;
  return false;
};

export const PARTS: Readonly<Record<PartId, Part>> = {
  core: {
    id: 'core', name: 'ABI, hashes, MACs, key derivation, signatures',
    detection: 'iacsec_abi_version export; SHA256 and ED25519_VERIFY capability bits',
    closes: 'a build of the module with its crypto core',
    present: (m) => m.exports.has('iacsec_abi_version') && (m.caps & CAPS.SHA256) !== 0 && (m.caps & CAPS.ED25519_VERIFY) !== 0,
  },
  selftest: {
    id: 'selftest', name: 'power-on self-test',
    detection: 'iacsec_selftest and iacsec_selftest_failed exports',
    closes: 'a build with the power-on self-test',
    present: (m) => m.exports.has('iacsec_selftest') && m.exports.has('iacsec_selftest_failed'),
  },
  firmware: {
    id: 'firmware', name: 'signed firmware, anti-rollback, roots of trust',
    detection: 'FIRMWARE capability bit (9) and the iacsec_fw_* exports',
    closes: 'a build with signed firmware (assembly/firmware/)',
    present: (m) => (m.caps & CAPS.FIRMWARE) !== 0 && m.exports.has('iacsec_fw_begin'),
  },
  state: {
    id: 'state', name: 'state backup and restore',
    detection: 'iacsec_state_backup and iacsec_state_restore exports',
    closes: 'signed backup and verified restore of the sealed state, and its conformance checks',
    present: (m) => m.exports.has('iacsec_state_backup') && m.exports.has('iacsec_state_restore'),
  },
  config: {
    id: 'config', name: 'configuration report',
    detection: 'the host\'s report (host/config_report.ts, `iacsec config show`) built from the module\'s getters: iacsec_anchor_get, iacsec_state_generation, iacsec_auth_profile_get, iacsec_role_get, iacsec_ratelimit_config_get and iacsec_audit_status exports',
    closes: 'a build with the getters the configuration report reads (firmware, access control, rate limiting, audit)',
    present: (m) => ['iacsec_anchor_get', 'iacsec_state_generation', 'iacsec_auth_profile_get', 'iacsec_role_get', 'iacsec_ratelimit_config_get', 'iacsec_audit_status']
      .every((e) => m.exports.has(e)),
  },
  audit: {
    id: 'audit', name: 'tamper-evident audit log',
    detection: 'capability bits 13..15',
    closes: 'the audit log (ring buffer, hash chain, capacity warning, forwarding) and its conformance checks',
    present: (m) => anyBit(m.caps, 13, 15),
  },
  access: {
    id: 'access', name: 'authentication, authorization, sessions, rate limiting',
    detection: 'capability bits 16..20',
    closes: 'access control (users, devices, password policy, lockout, MFA, roles, sessions, rate limits) and its conformance checks',
    present: (m) => anyBit(m.caps, 16, 20),
  },
  gateway: {
    id: 'gateway', name: 'OPC UA gateway guard (host)',
    detection: 'a host part: the module has access control (capability bits 16..20) and the sealed state the gateway keeps its accounts in (iacsec_state_export, iacsec_state_import), and node-opcua resolves',
    closes: 'a build with access control and sealed state, and node-opcua installed (npm install)',
    present: (m) => anyBit(m.caps, 16, 20) && m.exports.has('iacsec_state_export') && m.exports.has('iacsec_state_import') && opcuaInstalled(),
  },
  integrator: {
    id: 'integrator', name: 'the product vendor\'s own evidence',
    detection: 'never detected: only the vendor can show it',
    closes: 'the vendor\'s evidence',
    present: () => false,
  },
};
