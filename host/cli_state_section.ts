// Reads the firmware section of the stored state for the configuration
// report: the device ids, the revocation list and every stored counter,
// which the module's getters do not list. Only a blob whose seal verifies
// under the sealing key and whose generation is the one the module loaded
// is read, so the report shows what the module holds. Layout: the header
// of assembly/firmware/fw_state.ts (section id 1 of the version-2 blob of
// assembly/firmware/state.ts).

import { SIZES } from '../bindings/abi.js';
import { readFileBounded } from './atomic_file.js';
import { toHex } from './keys.js';
import type { Firmware } from './firmware.js';

const MAGIC = 0x53434149;
const VERSION = 2;
const HEADER_BYTES = 24;
const SECTION_HEADER_BYTES = 8;
const SECTION_FIRMWARE = 1;
const TAG_BYTES = 32;
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

/** The section, or undefined when the file is not the verified state the module holds. */
export async function readDeviceSection(fw: Firmware, path: string, sealKey: Uint8Array): Promise<DeviceSection | undefined> {
  let b: Uint8Array;
  try { b = await readFileBounded(path, SIZES.STATE_MAX_BYTES); } catch { return undefined; }
  if (b.byteLength < HEADER_BYTES + SECTION_HEADER_BYTES + O_COUNTERS + TAG_BYTES) return undefined;
  const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
  if (dv.getUint32(0, true) !== MAGIC || dv.getUint16(4, true) !== VERSION || dv.getUint32(16, true) !== b.byteLength) return undefined;
  if (dv.getBigUint64(8, true) !== fw.generation()) return undefined;
  const tag = fw.api.hmacSha256(sealKey, b.subarray(0, b.byteLength - TAG_BYTES));
  if (toHex(tag) !== toHex(b.subarray(b.byteLength - TAG_BYTES))) return undefined;
  const sections = dv.getUint16(6, true);
  let p = HEADER_BYTES;
  for (let i = 0; i < sections && p + SECTION_HEADER_BYTES <= b.byteLength - TAG_BYTES; i++) {
    const id = dv.getUint16(p, true);
    const n = dv.getUint32(p + 4, true);
    const s = p + SECTION_HEADER_BYTES;
    if (id === SECTION_FIRMWARE && s + O_COUNTERS + SIZES.COUNTERS_MAX * COUNTER_ENTRY <= b.byteLength) {
      const flags = b[s];
      const nr = b[s + 2];
      const nc = b[s + 3];
      const revoked: string[] = [];
      for (let j = 0; j < Math.min(nr, SIZES.REVOKED_MAX); j++) {
        const e = s + O_REVOKED + j * REVOKED_ENTRY;
        revoked.push(toHex(b.subarray(e + 1, e + 1 + Math.min(b[e], 32))));
      }
      const counters = [];
      for (let j = 0; j < Math.min(nc, SIZES.COUNTERS_MAX); j++) {
        const e = s + O_COUNTERS + j * COUNTER_ENTRY;
        counters.push({ componentHash: toHex(b.subarray(e, e + 32)), counter: dv.getBigUint64(e + 32, true) });
      }
      return {
        provisioningClosed: (flags & 1) !== 0, deviceSet: (flags & 2) !== 0,
        vendor: b.slice(s + 16, s + 32), deviceClass: b.slice(s + 32, s + 48), revoked, counters,
      };
    }
    p = s + n;
  }
  return undefined;
}
