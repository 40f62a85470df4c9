// Audit records as the module writes them (bindings/audit.cddl): decoding,
// names of categories and outcomes, and the detail of module events.

import { EVENT_TYPES } from '../bindings/abi.js';
import { readItem, type CborValue } from './audit_cbor.js';

export const CATEGORIES = {
  access_control: 1,
  request_error: 2,
  control_system_event: 3,
  backup_restore: 4,
  configuration_change: 5,
  potential_reconnaissance: 6,
  audit_log_event: 7,
  integrity_event: 8,
} as const;
export type Category = keyof typeof CATEGORIES;
export const CATEGORY_NAMES: Readonly<Record<number, Category>> = Object.fromEntries(
  Object.entries(CATEGORIES).map(([k, v]) => [v, k as Category]));

export const OUTCOMES = { success: 0, failure: 1, denied: 2 } as const;
export type Outcome = keyof typeof OUTCOMES;
export const OUTCOME_NAMES: Readonly<Record<number, Outcome>> = { 0: 'success', 1: 'failure', 2: 'denied' };

export const CLOCK_SYNC = { unknown: 0, unsynchronized: 1, synchronized: 2 } as const;
export type ClockSync = keyof typeof CLOCK_SYNC;
export const CLOCK_SYNC_NAMES: Readonly<Record<number, ClockSync>> = { 0: 'unknown', 1: 'unsynchronized', 2: 'synchronized' };

export interface AuditRecord {
  seq: bigint;
  /** Milliseconds since the Unix epoch, from the host clock. */
  time: number;
  clockSync: ClockSync;
  category: Category;
  type: number;
  /** The event type's name where the module defines it. */
  typeName?: string;
  outcome: Outcome;
  iface?: string;
  peer?: string;
  subject?: string;
  detail?: Uint8Array;
  /** For module events (types 1..95): the decoded detail. */
  event?: { eventSeq: number; status: number; a: bigint; b: bigint; kid?: Uint8Array; role?: number; component?: Uint8Array };
}

const KEYS_REQUIRED = [0, 1, 2, 3, 4, 5];

function uint(v: CborValue | undefined, max: bigint): bigint | undefined {
  const x = typeof v === 'number' ? BigInt(v) : typeof v === 'bigint' && v >= 0n ? v : undefined;
  return x !== undefined && x >= 0n && x <= max ? x : undefined;
}

/** Decodes a record's CBOR; throws Error naming the field that is not as bindings/audit.cddl says. */
export function decodeRecord(bytes: Uint8Array): AuditRecord {
  const [m, end] = readItem(bytes, 0);
  if (end !== bytes.length) throw new Error('bytes after the record map');
  if (!(m instanceof Map)) throw new Error('a record is a map');
  for (const k of KEYS_REQUIRED) if (!m.has(k)) throw new Error(`field ${k} missing`);
  for (const k of m.keys()) if (k > 9) throw new Error(`unknown field ${k}`);
  const seq = uint(m.get(0), (1n << 64n) - 1n);
  const time = uint(m.get(1), BigInt(Number.MAX_SAFE_INTEGER));
  const sync = uint(m.get(2), 2n);
  const cat = uint(m.get(3), 8n);
  const type = uint(m.get(4), 0xffffn);
  const outcome = uint(m.get(5), 2n);
  if (seq === undefined || seq === 0n) throw new Error('sequence number (field 0)');
  if (time === undefined) throw new Error('time (field 1)');
  if (sync === undefined) throw new Error('clock sync state (field 2)');
  if (cat === undefined || cat === 0n) throw new Error('category (field 3)');
  if (type === undefined) throw new Error('event type (field 4)');
  if (outcome === undefined) throw new Error('outcome (field 5)');
  const rec: AuditRecord = {
    seq, time: Number(time), clockSync: CLOCK_SYNC_NAMES[Number(sync)], category: CATEGORY_NAMES[Number(cat)],
    type: Number(type), outcome: OUTCOME_NAMES[Number(outcome)],
  };
  const name = EVENT_TYPES[rec.type];
  if (name) rec.typeName = name;
  for (const [k, f] of [[6, 'iface'], [7, 'peer'], [8, 'subject']] as const) {
    if (!m.has(k)) continue;
    const v = m.get(k);
    if (typeof v !== 'string' || v.length === 0) throw new Error(`${f} (field ${k}) is non-empty text`);
    rec[f] = v;
  }
  if (m.has(9)) {
    const d = m.get(9);
    if (!(d instanceof Uint8Array) || d.length === 0) throw new Error('detail (field 9) is a non-empty byte string');
    rec.detail = d;
    if (rec.type >= 1 && rec.type <= 95) rec.event = decodeEventDetail(d);
  }
  return rec;
}

function decodeEventDetail(d: Uint8Array): AuditRecord['event'] {
  try {
    const [m] = readItem(d, 0);
    if (!(m instanceof Map)) return undefined;
    const n = (k: number) => { const v = m.get(k); return typeof v === 'number' ? BigInt(v) : typeof v === 'bigint' ? v : 0n; };
    const out: NonNullable<AuditRecord['event']> = { eventSeq: Number(n(1)), status: Number(n(2)), a: n(3), b: n(4) };
    const kid = m.get(5), comp = m.get(7);
    if (kid instanceof Uint8Array) out.kid = kid;
    if (m.has(6)) out.role = Number(n(6));
    if (comp instanceof Uint8Array) out.component = comp;
    return out;
  } catch {
    return undefined;
  }
}

/** A JSON-friendly view of a record (bigints as strings, bytes as hex). */
export function recordToJson(r: AuditRecord): Record<string, unknown> {
  const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');
  const out: Record<string, unknown> = {
    seq: r.seq.toString(), time: new Date(r.time).toISOString(), clockSync: r.clockSync, category: r.category,
    type: r.type, outcome: r.outcome,
  };
  if (r.typeName) out.typeName = r.typeName;
  if (r.iface) out.iface = r.iface;
  if (r.peer) out.peer = r.peer;
  if (r.subject) out.subject = r.subject;
  if (r.detail) out.detail = hex(r.detail);
  if (r.event) {
    const e = r.event;
    out.event = { eventSeq: e.eventSeq, status: e.status, a: e.a.toString(), b: e.b.toString(),
      ...(e.kid ? { kid: hex(e.kid) } : {}), ...(e.role ? { role: e.role } : {}),
      ...(e.component ? { component: Buffer.from(e.component).toString('utf8') } : {}) };
  }
  return out;
}
