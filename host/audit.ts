// Typed API over the module's audit log (assembly/audit/; record and export
// formats in bindings/audit.cddl). Records are appended inside the module;
// the host exports them from a cursor, stores them, and acknowledges them.

import { SIZES, STATUS } from '../bindings/abi.js';
import { IacsecError } from './errors.js';
import type { Iacsec } from './api.js';
import { moduleGate } from './module_gate.js';
import { CATEGORIES, OUTCOMES, CLOCK_SYNC, type Category, type Outcome, type ClockSync } from './audit_record.js';

export { CATEGORIES, OUTCOMES, CLOCK_SYNC, type Category, type Outcome, type ClockSync };

const OK = STATUS.OK.code;
const END = STATUS.END.code;
const enc = new TextEncoder();
/** Room for one text or detail field in the I/O area; above the module's own limits, so it decides. */
const FIELD_MAX = 1024;

export const AUDIT_POLICIES = { overwrite: 0, reject: 1 } as const;
export type AuditPolicy = keyof typeof AUDIT_POLICIES;

export interface AppendInput {
  category: Category;
  /** Event type id, 96..65535 (lower ids belong to the module's own parts). */
  type: number;
  outcome: Outcome;
  /** Interface the request came in on (e.g. "opcua", "eth0"). */
  iface?: string;
  /** Peer address (e.g. "192.0.2.7:4840"). */
  peer?: string;
  /** User or device id, when known. */
  subject?: string;
  /** At most AUDIT_DETAIL_MAX bytes (text is UTF-8 encoded). */
  detail?: Uint8Array | string;
}

export interface AuditStatus {
  nextSeq: bigint;
  lastSeq: bigint;
  /** First sequence number not acknowledged by the host. */
  ackSeq: bigint;
  lost: bigint;
  refused: bigint;
  checkpointIndex: bigint;
  checkpointSeq: bigint;
  ringBytes: number;
  usedBytes: number;
  unackedBytes: number;
  checkpointEvery: number;
  policy: AuditPolicy;
  thresholdPercent: number;
  aboveThreshold: boolean;
  clockSync: ClockSync;
  deviceKeyReady: boolean;
  sealKeySet: boolean;
  sealFirst: bigint;
  lossPending: bigint;
}

export interface ExportChunk {
  /** Items (CBOR sequence); empty when nothing was at or after the cursor. */
  bytes: Uint8Array;
  /** Cursor to continue from. */
  next: bigint;
  /** More items wait (call again from `next`). */
  more: boolean;
}

/** An audit call the module refused. */
export class AuditError extends IacsecError {
  constructor(code: number, what: string) {
    super(code, what);
    this.name = 'AuditError';
  }
}

export class Audit {
  private readonly raw: Iacsec['raw'];
  constructor(private readonly api: Iacsec) {
    this.raw = api.raw;
    if (typeof this.raw.iacsec_audit_append !== 'function') throw new Error('this build of the module has no audit log');
  }

  private dv(): DataView { return new DataView(this.api.heap().buffer); }
  private check(st: number, what: string): void { if (st !== OK) throw new AuditError(st, what); }

  /** Sets the device secret (once per instance); the checkpoint signing key is derived from it in the module. */
  setDeviceSecret(secret: Uint8Array): void {
    if (secret.byteLength !== 32) throw new TypeError('the device secret is 32 bytes');
    const io = this.api.ioPtr;
    this.api.heap().set(secret, io);
    const st = this.raw.iacsec_device_key_set(io);
    this.api.heap().fill(0, io, io + 32);
    this.check(st, 'device_key_set');
  }

  /** The device's Ed25519 public key: what verifiers of the log need. */
  devicePublicKey(): Uint8Array {
    const io = this.api.ioPtr;
    this.check(this.raw.iacsec_device_public_key(io), 'device_public_key');
    return this.api.heap().slice(io, io + 32);
  }

  /** Appends a record; returns its sequence number. Throws AuditError (ERR_AUDIT_FULL under the reject policy, ...). */
  append(r: AppendInput): bigint {
    const st = this.tryAppend(r);
    if (typeof st === 'number') throw new AuditError(st, 'audit_append');
    return st;
  }

  /**
   * Appends through the module's gate (module_gate.ts): queued behind the
   * other parts' operations and, with a state store attached, one locked
   * transaction: the newest state is loaded first (so the chain continues
   * from the last record any process stored), and the record is drained to
   * the store's audit files and the state saved before this resolves.
   */
  record(r: AppendInput): Promise<bigint> {
    return moduleGate(this.api).run(async () => ({ value: this.append(r), changed: true }));
  }

  /** As append, but returns the module's status instead of throwing for a refusal. */
  tryAppend(r: AppendInput): bigint | number {
    const cat = CATEGORIES[r.category];
    const out = OUTCOMES[r.outcome];
    if (cat === undefined) throw new TypeError(`unknown category '${String(r.category)}'`);
    if (out === undefined) throw new TypeError(`unknown outcome '${String(r.outcome)}'`);
    if (!Number.isInteger(r.type) || r.type < 96 || r.type > 0xffff) throw new TypeError('type must be an integer from 96 to 65535');
    const heap = this.api.heap();
    const io = this.api.ioPtr;
    let p = io + 16;
    // Text is encoded straight into the I/O area (no copy); anything longer than
    // FIELD_MAX is passed with its true length, which the module refuses (ERR_LENGTH).
    const put = (v: string | Uint8Array | undefined): [number, number] => {
      const at = p;
      if (v === undefined) return [at, 0];
      if (typeof v === 'string') {
        const r = enc.encodeInto(v, heap.subarray(p, p + FIELD_MAX));
        if (r.read < v.length) return [at, Buffer.byteLength(v, 'utf8')];
        p += r.written;
        return [at, r.written];
      }
      if (v.byteLength > FIELD_MAX) return [at, v.byteLength];
      heap.set(v, p);
      p += v.byteLength;
      return [at, v.byteLength];
    };
    const [ip, il] = put(r.iface), [pp, pl] = put(r.peer), [sp, sl] = put(r.subject), [dp, dl] = put(r.detail);
    const st = this.raw.iacsec_audit_append(io, cat, r.type, out, ip, il, pp, pl, sp, sl, dp, dl);
    if (st !== OK) return st;
    return this.dv().getBigUint64(io, true);
  }

  /** Raw append of already-encoded text fields (tests of the module's checks). */
  appendRaw(category: number, type: number, outcome: number, fields: { iface?: Uint8Array; peer?: Uint8Array; subject?: Uint8Array; detail?: Uint8Array } = {}): number {
    const heap = this.api.heap();
    const io = this.api.ioPtr;
    let p = io + 16;
    const put = (b: Uint8Array = new Uint8Array(0)): [number, number] => { heap.set(b, p); const at = p; p += b.byteLength; return [at, b.byteLength]; };
    const [ip, il] = put(fields.iface), [pp, pl] = put(fields.peer), [sp, sl] = put(fields.subject), [dp, dl] = put(fields.detail);
    return this.raw.iacsec_audit_append(io, category, type, outcome, ip, il, pp, pl, sp, sl, dp, dl);
  }

  status(): AuditStatus {
    const io = this.api.ioPtr;
    this.check(this.raw.iacsec_audit_status(io), 'audit_status');
    const d = this.dv();
    const q = (o: number) => d.getBigUint64(io + o, true);
    const w = (o: number) => d.getUint32(io + o, true);
    const b = (o: number) => d.getUint8(io + o);
    const sync = (['unknown', 'unsynchronized', 'synchronized'] as const)[b(75)];
    return {
      nextSeq: q(0), lastSeq: q(8), ackSeq: q(16), lost: q(24), refused: q(32), checkpointIndex: q(40), checkpointSeq: q(48),
      ringBytes: w(56), usedBytes: w(60), unackedBytes: w(64), checkpointEvery: w(68),
      policy: b(72) === 1 ? 'reject' : 'overwrite', thresholdPercent: b(73), aboveThreshold: b(74) === 1, clockSync: sync,
      deviceKeyReady: b(76) === 1, sealKeySet: b(77) === 1, sealFirst: q(80), lossPending: q(88),
    };
  }

  configure(o: { policy?: AuditPolicy; thresholdPercent?: number; checkpointEvery?: number }): void {
    const s = this.status();
    const policy = AUDIT_POLICIES[o.policy ?? s.policy];
    if (policy === undefined) throw new TypeError(`unknown policy '${String(o.policy)}'`);
    this.check(this.raw.iacsec_audit_configure(policy, o.thresholdPercent ?? s.thresholdPercent, o.checkpointEvery ?? s.checkpointEvery), 'audit_configure');
  }

  /** Tells the module whether the host clock is synchronized (CR 2.11 RE1); a change is itself recorded. */
  clockSync(state: ClockSync): void {
    const v = CLOCK_SYNC[state];
    if (v === undefined) throw new TypeError(`unknown clock state '${String(state)}'`);
    this.check(this.raw.iacsec_audit_clock_sync(v), 'audit_clock_sync');
  }

  /** Sets the seal key (once); returns the index of the first checkpoint sealed. Keep the key offline for verification. */
  setSealKey(key: Uint8Array): bigint {
    if (key.byteLength !== 32) throw new TypeError('a seal key is 32 bytes');
    const io = this.api.ioPtr;
    this.api.heap().set(key, io + 16);
    const st = this.raw.iacsec_audit_seal_key_set(io, io + 16);
    this.api.heap().fill(0, io + 16, io + 48);
    this.check(st, 'audit_seal_key_set');
    return this.dv().getBigUint64(io, true);
  }

  /** Signs a checkpoint now; false when no record came since the last one. */
  checkpoint(): boolean {
    const st = this.raw.iacsec_audit_checkpoint();
    if (st === END) return false;
    this.check(st, 'audit_checkpoint');
    return true;
  }

  /** One export call from cursor (0n: from the first unacknowledged record). Throws AuditError (ERR_AUDIT_STALE, ...). */
  exportChunk(cursor: bigint = 0n): ExportChunk {
    const io = this.api.ioPtr;
    const d = this.dv();
    d.setBigUint64(io, cursor, true);
    const out = io + 16;
    const st = this.raw.iacsec_audit_export(out, this.api.ioBytes - 16, io);
    const next = d.getBigUint64(io, true);
    if (st === END) return { bytes: new Uint8Array(0), next: cursor === 0n ? next : cursor, more: false };
    if (st !== OK) {
      const e = new AuditError(st, 'audit_export');
      (e as AuditError & { cursor?: bigint }).cursor = next;
      throw e;
    }
    const n = d.getUint32(io + 8, true);
    return { bytes: this.api.heap().slice(out, out + n), next, more: d.getUint32(io + 12, true) === 1 };
  }

  /** Exports everything from cursor to the closing checkpoint, in one byte string. */
  exportAll(cursor: bigint = 0n): { bytes: Uint8Array; next: bigint } {
    const parts: Uint8Array[] = [];
    let c = cursor;
    for (;;) {
      const ch = this.exportChunk(c);
      if (ch.bytes.length) parts.push(ch.bytes);
      c = ch.next;
      if (!ch.more) break;
    }
    return { bytes: Buffer.concat(parts), next: c };
  }

  /** The host has stored every record before cursor: the module may overwrite them. */
  ack(cursor: bigint): void {
    const io = this.api.ioPtr;
    this.dv().setBigUint64(io, cursor, true);
    this.check(this.raw.iacsec_audit_ack(io), 'audit_ack');
  }
}

export function audit(api: Iacsec): Audit { return new Audit(api); }
export const AUDIT_LIMITS = {
  RING_BYTES: SIZES.AUDIT_RING_BYTES, DETAIL_MAX: SIZES.AUDIT_DETAIL_MAX, TEXT_MAX: SIZES.AUDIT_TEXT_MAX,
} as const;
