// Verifies an exported audit log (a CBOR sequence, RFC 8742, of the items in
// bindings/audit.cddl; several exports appended, as the host's drain writes
// them) and names the first item that is wrong.
//
// What it proves: every record up to `provenThrough` is, byte for byte, what
// the module appended, in order, with nothing removed except where the log
// itself records the loss (AUDIT_RECORDS_LOST, AUDIT_RESTARTED); the proof
// is a signed checkpoint (and, with a seal key, an HMAC seal) over the chain
// head after that record. A record after the last checkpoint is not proven,
// and a log that does not end with the checkpoint closing an export is
// truncated. A later checkpoint from elsewhere (forwarded to a collector)
// shows a tail cut at an export boundary.

import { readItem, CborError } from './audit_cbor.js';
import { decodeRecord, type AuditRecord } from './audit_record.js';
import { parseCheckpoint, checkSignature, SealKeys, sha256, type Checkpoint } from './audit_note.js';

export type ProblemKind =
  | 'malformed' | 'changed' | 'deleted' | 'inserted' | 'reordered' | 'duplicated' | 'truncated' | 'unsealed'
  | 'signature' | 'foreign' | 'seal' | 'checkpoint' | 'continuity';

export interface VerifyProblem {
  kind: ProblemKind;
  /** Position of the item in the sequence (0-based). */
  item: number;
  /** Byte offset of the item. */
  offset: number;
  /** Sequence number of the record concerned (the missing one, for 'deleted'). */
  seq?: bigint;
  message: string;
}

export interface VerifyOptions {
  /** The device's Ed25519 public key (32 bytes). Without it, signatures are not checked and nothing is proven. */
  publicKey?: Uint8Array;
  /** The seal key the host set, and the index of the first checkpoint sealed under it. */
  seal?: { key: Uint8Array; first: bigint };
  /** A later checkpoint note received elsewhere (from a collector): the log must reach it. */
  latest?: string;
}

export interface VerifyResult {
  ok: boolean;
  items: number;
  records: number;
  checkpoints: number;
  firstSeq?: bigint;
  lastSeq?: bigint;
  /** Sequence number of the last record proven by a valid checkpoint (0n: none). */
  provenThrough: bigint;
  /** Index of the checkpoint that proves it. */
  provenCheckpoint?: bigint;
  /** Ranges of sequence numbers the log itself declares lost or skipped. */
  declaredGaps: [bigint, bigint][];
  /** Numbers a restart skipped with the chain unbroken (nothing is missing there). */
  skipped: [bigint, bigint][];
  /** Sealed checkpoints whose seal was not checked (no seal key given). */
  sealsUnchecked: number;
  problem?: VerifyProblem;
}

export interface ExportItem {
  kind: 'start' | 'record' | 'checkpoint';
  item: number;
  offset: number;
  end: number;
  /** start: the previous record's sequence number; record: its own. */
  seq?: bigint;
  head?: Uint8Array;
  record?: Uint8Array;
  note?: string;
  seal?: Uint8Array;
}

const eq = (a: Uint8Array, b: Uint8Array) => a.length === b.length && Buffer.compare(Buffer.from(a), Buffer.from(b)) === 0;
const ZERO32 = new Uint8Array(32);
const u64 = (v: unknown): bigint | undefined =>
  typeof v === 'number' && v >= 0 ? BigInt(v) : typeof v === 'bigint' && v >= 0n && v < 1n << 64n ? v : undefined;

/** Reads the item at off (index i): its shape checked; throws CborError or Error, each carrying the item's position. */
export function readExportItem(b: Uint8Array, off: number, i: number): ExportItem {
  let v, end: number;
  try { [v, end] = readItem(b, off); } catch (e) { throw Object.assign(e as Error, { item: i, itemOffset: off }); }
  const bad = (what: string) => Object.assign(new Error(`item ${i}: ${what}`), { item: i, itemOffset: off });
  if (!Array.isArray(v) || v.length !== 3) throw bad('an item is an array of 3');
  const [k, x, y] = v;
  if (k === 2) {
    const seq = u64(x);
    if (seq === undefined || !(y instanceof Uint8Array) || y.length !== 32) throw bad('start item: [2, uint, bstr .size 32]');
    return { kind: 'start', item: i, offset: off, end, seq, head: y };
  }
  if (k === 0) {
    if (!(x instanceof Uint8Array) || !(y instanceof Uint8Array) || y.length !== 32) throw bad('record item: [0, bstr, bstr .size 32]');
    return { kind: 'record', item: i, offset: off, end, record: x, head: y };
  }
  if (k === 1) {
    if (typeof x !== 'string' || !(y instanceof Uint8Array) || y.length !== 32) throw bad('checkpoint item: [1, tstr, bstr .size 32]');
    return { kind: 'checkpoint', item: i, offset: off, end, note: x, seal: y };
  }
  throw bad(`unknown item kind ${String(k)}`);
}

/** Splits an export into items (see readExportItem). */
export function* exportItems(b: Uint8Array): Generator<ExportItem> {
  for (let off = 0, i = 0; off < b.length; i++) {
    const it = readExportItem(b, off, i);
    yield it;
    off = it.end;
  }
}

/** head' = SHA-256(0x00 || head || record), as assembly/audit/log.ts. */
export function chainStep(head: Uint8Array, record: Uint8Array): Uint8Array {
  return sha256(Uint8Array.of(0), head, record);
}

const TYPE_LOST = 32;
const TYPE_RESTARTED = 35;

/** Verifies an exported log; see the top of this file. */
export function verifyLog(bytes: Uint8Array, options: VerifyOptions = {}): VerifyResult {
  return new LogVerifier(options).run(bytes).finish(bytes);
}

/**
 * The verifier as a state machine over the items of a log, in order. run()
 * continues from where the last run stopped (so a log can be checked as it
 * grows, and a checked prefix need not be checked again); clone() copies the
 * state.
 */
export class LogVerifier {
  readonly res: VerifyResult = { ok: false, items: 0, records: 0, checkpoints: 0, provenThrough: 0n, declaredGaps: [], skipped: [], sealsUnchecked: 0 };
  offset = 0;
  private heads = new Map<bigint, Uint8Array>();   // verified chain head after each record
  private needGaps: { from: bigint; to: bigint; item: number; offset: number }[] = [];
  private head: Uint8Array | undefined;            // chain head so far
  private last: bigint | undefined;                // sequence number of the record it follows
  private started = false;
  private gapSinceCp = false;                      // records (and checkpoints) lost since the last checkpoint
  private genesis = false;                         // the log begins with the first record ever
  private parent: LogVerifier | undefined;         // read-only state this one continues (clone({ share: true }))
  private uncovered: { seq: bigint; item: number; offset: number } | undefined;
  private lastCp: Checkpoint | undefined;
  private lastItem: ExportItem | undefined;
  private readonly seal: SealKeys | undefined;

  constructor(private readonly options: VerifyOptions = {}) {
    this.seal = options.seal ? new SealKeys(options.seal.key, options.seal.first) : undefined;
  }

  /**
   * A copy of the state. With share, the copy reads the chain heads recorded
   * so far from this verifier instead of copying them: this one must then not
   * run again.
   */
  clone(o: { share?: boolean } = {}): LogVerifier {
    const c = Object.assign(Object.create(LogVerifier.prototype) as LogVerifier, this);
    Object.assign(c, {
      res: { ...this.res, declaredGaps: [...this.res.declaredGaps], skipped: [...this.res.skipped] },
      heads: o.share ? new Map() : new Map(this.heads),
      parent: o.share ? this : this.parent,
      needGaps: [...this.needGaps],
    });
    return c;
  }

  private headOf(seq: bigint): Uint8Array | undefined {
    return this.heads.get(seq) ?? this.parent?.headOf(seq);
  }

  /** Checks the items of bytes from this.offset on, until the end, a problem, or (with stopAt) the first item at or past stopAt. */
  run(bytes: Uint8Array, stopAt = Infinity): this {
    while (!this.res.problem && this.offset < bytes.length && this.offset < stopAt) {
      let it: ExportItem;
      try {
        it = readExportItem(bytes, this.offset, this.res.items);
      } catch (e) {
        const err = e as Error;
        const at = e as { item?: number; itemOffset?: number };
        const truncated = err instanceof CborError && err.truncated;
        this.res.problem = {
          kind: truncated ? 'truncated' : 'malformed', item: at.item ?? this.res.items, offset: at.itemOffset ?? this.offset,
          message: truncated ? `the log ends inside item ${at.item} (${err.message})` : `item ${at.item} is malformed: ${err.message}`,
        };
        break;
      }
      this.push(it, bytes);
      this.offset = it.end;
    }
    return this;
  }

  private fail(p: VerifyProblem): void { this.res.problem = p; }

  private push(it: ExportItem, bytes: Uint8Array): void {
    const res = this.res;
    res.items++;
    this.lastItem = it;
    if (it.kind === 'start') {
      const prev = it.seq!;
      if (!this.started) {
        // The chain head is zero before the first record ever, and only then.
        if ((prev === 0n) !== eq(it.head!, ZERO32)) {
          return this.fail({ kind: 'continuity', item: it.item, offset: it.offset, message: `item ${it.item}: the start item's record number and chain head disagree` });
        }
      } else {
        const known = this.headOf(prev);
        if (known) {
          if (!eq(known, it.head!)) {
            return this.fail({ kind: 'continuity', item: it.item, offset: it.offset, seq: prev, message: `item ${it.item}: the export continues from record ${prev} with another chain head than that record's` });
          }
        } else if (this.last !== undefined && prev > this.last) {
          // A gap: legitimate only after a complete export, when the log records the loss (checked at the end).
          // The same chain head on both sides of the gap proves that nothing was chained in it: a restart
          // that skipped numbers (assembly/audit/state.ts), which the AUDIT_RESTARTED record declares.
          if (this.uncovered) {
            return this.fail({ kind: 'deleted', item: it.item, offset: it.offset, seq: this.last + 1n, message: `records ${this.last + 1n}..${prev} deleted (before item ${it.item})` });
          }
          this.needGaps.push({ from: this.last + 1n, to: prev, item: it.item, offset: it.offset });
          this.gapSinceCp = true;
        } else {
          return this.fail({ kind: 'continuity', item: it.item, offset: it.offset, seq: prev, message: `item ${it.item}: the export continues from record ${prev}, which is not in the log` });
        }
        // A fork (re-export, restart) leaves records of the old branch that no checkpoint covers.
        const u = this.uncovered;
        if (u && prev !== this.last) {
          return this.fail({ kind: 'unsealed', item: u.item, offset: u.offset, seq: u.seq, message: `record ${u.seq} (item ${u.item}) and those after it are covered by no checkpoint` });
        }
      }
      if (!this.started && prev === 0n) this.genesis = true;
      this.started = true;
      this.head = it.head;
      this.last = prev;
      return;
    }
    if (!this.started || this.head === undefined || this.last === undefined) {
      return this.fail({ kind: 'malformed', item: it.item, offset: it.offset, message: `item ${it.item}: the log must begin with a start item` });
    }
    const last = this.last;
    if (it.kind === 'record') {
      const computed = chainStep(this.head, it.record!);
      let rec: AuditRecord | undefined;
      try { rec = decodeRecord(it.record!); } catch { rec = undefined; }
      const expected = last + 1n;
      // A restart resumes numbering past a lease (assembly/audit/state.ts): its AUDIT_RESTARTED record
      // is chained right after the last record and names the numbers skipped, so nothing can hide there.
      const skip = rec !== undefined && rec.seq > expected && rec.type === TYPE_RESTARTED && rec.event !== undefined
        && rec.event.a <= expected && rec.event.b === rec.seq;
      if (!eq(computed, it.head!) || !rec || (rec.seq !== expected && !skip)) return this.fail(this.classify(it, rec, expected, bytes));
      res.records++;
      if (res.firstSeq === undefined) res.firstSeq = rec.seq;
      res.lastSeq = rec.seq;
      this.heads.set(rec.seq, it.head!);
      this.head = it.head;
      this.last = rec.seq;
      if (!this.uncovered) this.uncovered = { seq: rec.seq, item: it.item, offset: it.offset };
      if (skip) {
        res.skipped.push([expected, rec.seq - 1n]);
        // Records from the first unacknowledged one on were lost before the restart: a declared loss.
        if (rec.event!.a < expected) res.declaredGaps.push([rec.event!.a, expected - 1n]);
      }
      else if (rec.event && (rec.type === TYPE_LOST || rec.type === TYPE_RESTARTED)) {
        const from = rec.event.a, to = rec.type === TYPE_LOST ? rec.event.b : rec.event.b - 1n;
        if (from <= to) res.declaredGaps.push([from, to]);
      }
      return;
    }
    // checkpoint
    let cp: Checkpoint;
    try { cp = parseCheckpoint(it.note!); } catch (e) {
      return this.fail({ kind: 'malformed', item: it.item, offset: it.offset, message: `item ${it.item}: checkpoint note: ${(e as Error).message}` });
    }
    const at = (kind: ProblemKind, message: string) => this.fail({ kind, item: it.item, offset: it.offset, seq: cp.size, message: `item ${it.item} (checkpoint ${cp.index}): ${message}` });
    const pk = this.options.publicKey;
    if (pk) {
      const s = checkSignature(cp, pk);
      if (s === 'foreign') return at('foreign', 'not signed by this device (a checkpoint from another device, or another key)');
      if (s === 'invalid') return at('signature', 'the signature does not verify');
    }
    if (cp.size > last) return this.fail({ kind: 'deleted', item: it.item, offset: it.offset, seq: last + 1n, message: `record ${last + 1n}${cp.size > last + 1n ? `..${cp.size}` : ''} deleted (checkpoint ${cp.index} at item ${it.item} covers record ${cp.size})` });
    if (cp.size !== last) return at('checkpoint', `covers record ${cp.size}, but follows record ${last}`);
    if (!eq(cp.root, this.head)) return at('checkpoint', 'its chain head differs from the records\' (a record before it was changed)');
    const lc = this.lastCp;
    if (lc && this.gapSinceCp) {
      // Checkpoints lost with the records of a declared gap: the index only moves on.
      if (cp.index <= lc.index) return at('duplicated', `checkpoint ${cp.index} follows checkpoint ${lc.index}`);
    } else if (lc) {
      if (cp.index !== lc.index + 1n) {
        return at(cp.index > lc.index + 1n ? 'deleted' : 'duplicated', `checkpoint ${cp.index} follows checkpoint ${lc.index}`);
      }
      if (!eq(cp.prev, sha256(new TextEncoder().encode(lc.body)))) return at('checkpoint', 'does not name the checkpoint before it');
    } else if (cp.index === 1n && !eq(cp.prev, ZERO32)) {
      return at('checkpoint', 'the first checkpoint names a previous one');
    } else if (this.genesis && cp.index !== 1n) {
      return at('deleted', `the log begins with its first record, but its first checkpoint is checkpoint ${cp.index}`);
    }
    // An unsealed checkpoint's seal field is zero: no byte of a log goes unchecked.
    if (!cp.sealed && !eq(it.seal!, ZERO32)) return at('seal', 'a seal on a checkpoint signed as unsealed');
    if (this.seal) {
      if (!cp.sealed && this.seal.at(cp.index)) return at('seal', 'unsealed after sealing began');
      const sealed = this.seal.check(cp, it.seal!);
      if (sealed === false) return at('seal', eq(it.seal!, ZERO32) ? 'unsealed after sealing began' : 'the HMAC seal does not verify');
    } else if (cp.sealed) {
      res.sealsUnchecked++;
    }
    res.checkpoints++;
    this.lastCp = cp;
    this.gapSinceCp = false;
    if (pk) {
      res.provenThrough = cp.size;
      res.provenCheckpoint = cp.index;
    }
    this.uncovered = undefined;
  }

  private classify(it: ExportItem, rec: AuditRecord | undefined, expected: bigint, bytes: Uint8Array): VerifyProblem {
    const base = { item: it.item, offset: it.offset };
    const last = this.last!;
    if (rec && rec.seq !== expected) {
      const s = rec.seq;
      if (s === last) return { ...base, kind: 'duplicated', seq: s, message: `item ${it.item}: record ${s} appears twice` };
      if (s < expected) {
        return this.headOf(s)
          ? { ...base, kind: 'reordered', seq: s, message: `item ${it.item}: record ${s} appears again after record ${last}` }
          : { ...base, kind: 'inserted', seq: s, message: `item ${it.item}: record ${s} does not belong here (after record ${last})` };
      }
      return laterRecord(bytes, it, expected)
        ? { ...base, kind: 'reordered', seq: expected, message: `item ${it.item}: record ${s} comes before record ${expected}` }
        : { ...base, kind: 'deleted', seq: expected, message: `record ${expected}${s > expected + 1n ? `..${s - 1n}` : ''} deleted (before item ${it.item})` };
    }
    return { ...base, kind: 'changed', seq: rec?.seq ?? expected, message: `item ${it.item}: record ${rec?.seq ?? expected} was changed (its chain head does not match)` };
  }

  /** Final checks once every item is read: the closing checkpoint, declared gaps, a later checkpoint. */
  finish(bytes: Uint8Array): VerifyResult {
    const res = this.res;
    const fail = (p: VerifyProblem) => { res.problem = p; return res; };
    if (res.problem) return res;
    if (res.items === 0) return fail({ kind: 'truncated', item: 0, offset: 0, message: 'the log is empty' });
    const endItem = this.lastItem!;
    const lc = this.lastCp;
    if (endItem.kind !== 'checkpoint' || !lc || !lc.export || lc.size !== this.last) {
      return fail({
        kind: 'truncated', item: endItem.item + 1, offset: endItem.end, seq: this.last,
        message: `truncated: the log does not end with the checkpoint closing an export (it ends after item ${endItem.item}, record ${this.last ?? 'none'})`,
      });
    }
    for (const g of this.needGaps) {
      if (!res.declaredGaps.some(([a, b]) => a <= g.from && g.to <= b)) {
        return fail({ kind: 'deleted', item: g.item, offset: g.offset, seq: g.from, message: `records ${g.from}..${g.to} are missing before item ${g.item}, and the log records no such loss` });
      }
    }
    if (this.options.latest) {
      let cp: Checkpoint;
      try { cp = parseCheckpoint(this.options.latest); } catch (e) {
        return fail({ kind: 'malformed', item: res.items, offset: bytes.length, message: `the later checkpoint: ${(e as Error).message}` });
      }
      if (this.options.publicKey && checkSignature(cp, this.options.publicKey) !== 'ok') {
        return fail({ kind: 'signature', item: res.items, offset: bytes.length, message: 'the later checkpoint is not signed by this device' });
      }
      if (cp.size > (this.last ?? 0n)) {
        return fail({ kind: 'truncated', item: res.items, offset: bytes.length, seq: cp.size, message: `truncated: a later checkpoint covers record ${cp.size}, the log ends at record ${this.last}` });
      }
      const h = this.headOf(cp.size);
      if (!h || !eq(h, cp.root)) {
        return fail({ kind: 'continuity', item: res.items, offset: bytes.length, seq: cp.size, message: `the later checkpoint's chain head differs from record ${cp.size}'s` });
      }
    }
    res.ok = true;
    return res;
  }
}

/** True when a record with sequence number seq follows item it (a few items ahead), as when two records are swapped. */
function laterRecord(bytes: Uint8Array, it: ExportItem, seq: bigint): boolean {
  let off = it.end;
  for (let i = 0; i < 8 && off < bytes.length; i++) {
    try {
      const x = readExportItem(bytes, off, it.item + 1 + i);
      if (x.kind === 'record') {
        try { if (decodeRecord(x.record!).seq === seq) return true; } catch { /* not a record */ }
      }
      off = x.end;
    } catch { return false; }
  }
  return false;
}
