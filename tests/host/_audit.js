// Shared by the audit tests: a module with a device key and a seal key, and a log of n records.
import { loadModule, audit } from '../../dist/host/index.js';
import { seeded } from './_helpers.js';

export const DEVICE_SECRET = new Uint8Array(32).fill(0x42);
export const SEAL_KEY = new Uint8Array(32).fill(0x5e);
const CATS = ['access_control', 'request_error', 'control_system_event', 'backup_restore', 'configuration_change',
  'potential_reconnaissance', 'audit_log_event', 'integrity_event'];
const OUTS = ['success', 'failure', 'denied'];

export async function auditModule({ secret = DEVICE_SECRET, sealKey = SEAL_KEY, checkpointEvery = 64, policy } = {}) {
  const api = await loadModule();
  const log = audit(api);
  log.setDeviceSecret(secret);
  const sealFirst = sealKey ? log.setSealKey(sealKey) : undefined;
  log.configure({ checkpointEvery, ...(policy ? { policy } : {}) });
  return { api, log, publicKey: log.devicePublicKey(), sealFirst };
}

/** Appends n records with varied fields (deterministic). */
export function appendMany(log, n, seed = 7) {
  const rnd = seeded(seed);
  const seqs = [];
  for (let i = 0; i < n; i++) {
    const r = {
      category: CATS[rnd.below(CATS.length)], type: 96 + rnd.below(200), outcome: OUTS[rnd.below(3)],
      ...(rnd.below(2) ? { iface: 'opcua' } : {}),
      ...(rnd.below(2) ? { peer: `192.0.2.${rnd.below(255)}:4840` } : {}),
      ...(rnd.below(3) === 0 ? { subject: `user${rnd.below(50)}` } : {}),
      ...(rnd.below(2) ? { detail: rnd.bytes(rnd.below(24)) } : {}),
    };
    if (r.detail && r.detail.length === 0) delete r.detail;
    seqs.push(log.append(r));
  }
  return seqs;
}
