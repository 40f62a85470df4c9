// Decodes the module's access-control event records (types 48..95; layout in
// bindings/c/iacsec.h): subject and actor, interface, and the detail field b.

import { EVENT_TYPES, statusByCode } from '../bindings/abi.js';

export interface AuthEvent {
  type: string;
  typeCode: number;
  status: string;
  statusCode: number;
  sequence: number;
  /** Account id the event is about (0: none or unknown). */
  subjectId: number;
  /** Account id of the acting user (0: none). */
  actorId: number;
  /** The acting user's name ('' when none). */
  actor: string;
  /** Interface index, or null. */
  iface: number | null;
  /** The subject's name (user, role), as given. */
  subject: string;
  /** The type's detail (source key, permission, serial, time, ...), as an unsigned 64-bit value. */
  b: bigint;
}

const dec = new TextDecoder();

export function isAuthEvent(typeCode: number): boolean {
  return typeCode >= 48 && typeCode <= 95;
}

export function decodeAuthEvent(r: Uint8Array): AuthEvent {
  const dv = new DataView(r.buffer, r.byteOffset, r.byteLength);
  const typeCode = dv.getUint16(0, true);
  const statusCode = dv.getInt16(2, true);
  const a = dv.getBigUint64(8, true);
  return {
    type: EVENT_TYPES[typeCode] ?? `UNKNOWN_${typeCode}`,
    typeCode,
    status: statusByCode(statusCode)?.name ?? `STATUS_${statusCode}`,
    statusCode,
    sequence: dv.getUint32(4, true),
    subjectId: Number(a & 0xffff_ffffn),
    actorId: Number(a >> 32n),
    actor: dec.decode(r.subarray(25, 25 + Math.min(r[24], 32))),
    iface: r[57] === 0 ? null : r[57] - 1,
    subject: dec.decode(r.subarray(59, 59 + Math.min(r[58], 64))),
    b: dv.getBigUint64(16, true),
  };
}
