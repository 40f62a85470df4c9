// Reads the firmware section of the state the module holds, for the
// configuration report: the device ids, the revocation list and every
// stored counter, which the module's getters do not list. The module gives
// out this section alone (iacsec_fw_state_read): its fields are public,
// while the other sections hold secrets and leave the module only sealed
// and encrypted. Layout: assembly/firmware/fw_state.ts.

import { SIZES } from '../bindings/abi.js';
import { toHex } from './keys.js';
import type { Firmware } from './firmware.js';

const REVOKED_ENTRY = 33;
const COUNTER_ENTRY = 40;
const O_REVOKED = 48 + SIZES.ANCHORS_MAX * SIZES.ANCHOR_RECORD_BYTES;
const O_COUNTERS = O_REVOKED + SIZES.REVOKED_MAX * REVOKED_ENTRY;

export interface DeviceSection {
  deviceSet: boolean;
  provisioningClosed: boolean;
  vendor: Uint8Array;
  deviceClass: Uint8Array;
  /** Revoked key ids, hex. */
  revoked: string[];
  counters: { componentHash: string; counter: bigint }[];
}

/** The section of the state held, or undefined when the module gives none (fail-secure). */
export function readDeviceSection(fw: Firmware): DeviceSection | undefined {
  const api = fw.api;
  const n = api.raw.iacsec_fw_state_read(api.ioPtr, api.ioBytes);
  if (n !== SIZES.FW_STATE_BYTES) return undefined;
  const b = api.heap().slice(api.ioPtr, api.ioPtr + n);
  const dv = new DataView(b.buffer);
  const flags = b[0];
  const nr = b[2];
  const nc = b[3];
  const revoked: string[] = [];
  for (let j = 0; j < Math.min(nr, SIZES.REVOKED_MAX); j++) {
    const e = O_REVOKED + j * REVOKED_ENTRY;
    revoked.push(toHex(b.subarray(e + 1, e + 1 + Math.min(b[e], 32))));
  }
  const counters = [];
  for (let j = 0; j < Math.min(nc, SIZES.COUNTERS_MAX); j++) {
    const e = O_COUNTERS + j * COUNTER_ENTRY;
    counters.push({ componentHash: toHex(b.subarray(e, e + 32)), counter: dv.getBigUint64(e + 32, true) });
  }
  return {
    provisioningClosed: (flags & 1) !== 0, deviceSet: (flags & 2) !== 0,
    vendor: b.slice(16, 32), deviceClass: b.slice(32, 48), revoked, counters,
  };
}
