// The audit log (CR 2.8, 2.9, 2.10, 3.9): records appended to the ring in
// O(1), each one hashed into a SHA-256 chain, head = SHA-256(0x00 || head ||
// record), starting from 32 zero bytes; signed checkpoints every N records
// and on every export; capacity warning and overflow policy.
//
// Other parts of the module record their decisions here:
//
//   audit_append_internal(category, type, outcome,
//                         iface, iface_len, peer, peer_len, subject, subject_len,
//                         detail, detail_len): i32
//
// with pointers into module memory; it returns OK (the record's sequence
// number is then audit_last_seq()), ERR_INVALID (unknown category or
// outcome), ERR_LENGTH (a text longer than AUDIT_TEXT_MAX, detail longer than
// AUDIT_DETAIL_MAX), ERR_MALFORMED (text that is not UTF-8) or ERR_AUDIT_FULL
// (reject policy, ring full). Events queued with ev_push (firmware/events.ts)
// reach it by themselves (audit/events_map.ts maps their type and status).
//
// Costs: an append hashes once (SHA-256 over 33 + record bytes: two
// compressions for a typical record); a record overwritten before it was
// acknowledged costs one more. Every N records a checkpoint costs one Ed25519
// signature, two SHA-256 and, once a seal key is set, one HMAC and one HKDF.

import { OK, ERR_INVALID, ERR_LENGTH, ERR_MALFORMED, ERR_AUDIT_FULL, ERR_AUDIT_CURSOR } from "../status";
import { sha256_init, sha256_update, sha256_final } from "../hash/sha256";
import { utf8_valid } from "../cbor/reader";
import { device_key_ready } from "../device/key";
import { ev_new, ev_ab, ev_push } from "../firmware/events";
import {
  AUDIT_RING_BYTES, AUDIT_DETAIL_MAX, AUDIT_TEXT_MAX, AUDIT_ITEM_MAX, AUDIT_CHECKPOINT_EVERY,
  AUDIT_THRESHOLD_PERCENT, AUDIT_CRITICAL_RESERVE,
} from "./limits";
import {
  ITEM_HEADER, KIND_RECORD, KIND_CHECKPOINT, ring_append, ring_drop_oldest, ring_free, ring_put_pos, ring_read,
  ring_reset, ring_tail_pos, ring_used, item_header, item_header_put, item_kind, item_seq,
} from "./_ring";
import { cbor_put_head, cbor_put_str } from "./_cbor_out";
import { clock_now_ms, clock_sync } from "./clock";
import { cp_build, cp_last_is_export, cp_last_size, CP_FLAG_EXPORT } from "./checkpoint";

// Categories (CR 2.8).
export const CAT_ACCESS_CONTROL: u32 = 1;
export const CAT_REQUEST_ERROR: u32 = 2;
export const CAT_CONTROL_SYSTEM: u32 = 3;
export const CAT_BACKUP_RESTORE: u32 = 4;
export const CAT_CONFIGURATION: u32 = 5;
export const CAT_RECONNAISSANCE: u32 = 6;
export const CAT_AUDIT_LOG: u32 = 7;
export const CAT_INTEGRITY: u32 = 8;

export const OUTCOME_SUCCESS: u32 = 0;
export const OUTCOME_FAILURE: u32 = 1;
export const OUTCOME_DENIED: u32 = 2;

/** Overflow policies (CR 2.10). */
export const POLICY_OVERWRITE: u32 = 0;
export const POLICY_REJECT: u32 = 1;

// Audit-log events (event types 32..47), queued with ev_push like every other decision.
export const EV_AUDIT_RECORDS_LOST: u16 = 32;     // a = first sequence number lost since the host's last acknowledgement, b = last
export const EV_AUDIT_THRESHOLD: u16 = 33;        // a = percent of the ring unacknowledged, b = threshold
export const EV_AUDIT_RECORDS_REFUSED: u16 = 34;  // a = records refused (reject policy) since the last report
export const EV_AUDIT_RESTARTED: u16 = 35;        // a = first sequence number that may be missing, b = resumed at
export const EV_AUDIT_CONFIGURED: u16 = 36;       // a = policy | threshold << 8, b = checkpoint interval
export const EV_AUDIT_CLOCK_SYNC: u16 = 37;       // a = old sync state, b = new
export const EV_AUDIT_SEAL_KEY_SET: u16 = 38;     // a = index of the first sealed checkpoint

@inline const CAP: u64 = <u64>AUDIT_RING_BYTES;

// @ts-ignore: decorator
@lazy const STAGE: usize = memory.data(<i32>AUDIT_ITEM_MAX, 16);
// @ts-ignore: decorator
@lazy const EVICT: usize = memory.data(<i32>AUDIT_ITEM_MAX, 16);
// @ts-ignore: decorator
@lazy const CTX: usize = memory.data(128, 16);
// @ts-ignore: decorator
@lazy const ZERO1: usize = memory.data(1, 1);
/** Chain head after the last record appended. */
// @ts-ignore: decorator
@lazy const HEAD: usize = memory.data(32, 8);
/** Chain head after the last record acknowledged (or lost). */
// @ts-ignore: decorator
@lazy const ACK_HEAD: usize = memory.data(32, 8);

let next_seq: u64 = 1;
let last_seq: u64 = 0;
/** First sequence number the host has not acknowledged; records before it may be overwritten freely. */
let ack_seq: u64 = 1;
/** Sequence number of the last record hashed into ACK_HEAD. */
let ack_last: u64 = 0;
/** Unacknowledged bytes, at the newest end of the ring. */
let unacked: u64 = 0;

let policy: u32 = POLICY_OVERWRITE;
let threshold: u32 = AUDIT_THRESHOLD_PERCENT;
let cp_every: u32 = AUDIT_CHECKPOINT_EVERY;
let since_cp: u32 = 0;
let above: bool = false;
let busy: bool = false;

let lost_first: u64 = 0;
let lost_last: u64 = 0;
let lost_n: u64 = 0;
let loss_noted: bool = false;
let lost_total: u64 = 0;
let refused_n: u64 = 0;
let refused_total: u64 = 0;

// ---- accessors for export, state and status ----
export function audit_next_seq(): u64 { return next_seq; }
export function audit_last_seq(): u64 { return last_seq; }
export function audit_head(): usize { return HEAD; }
export function audit_ack_seq(): u64 { return ack_seq; }
export function audit_ack_last(): u64 { return ack_last; }
export function audit_ack_head(): usize { return ACK_HEAD; }
export function audit_ack_pos(): u64 { return ring_put_pos() - unacked; }
export function audit_unacked(): u64 { return unacked; }
export function audit_policy(): u32 { return policy; }
export function audit_threshold(): u32 { return threshold; }
export function audit_cp_every(): u32 { return cp_every; }
export function audit_above(): bool { return above; }
export function audit_lost_total(): u64 { return lost_total; }
export function audit_refused_total(): u64 { return refused_total; }
export function audit_lost_pending(): u64 { return lost_n; }
export function audit_lost_first(): u64 { return lost_first; }
export function audit_lost_last(): u64 { return lost_last; }
export function audit_refused_pending(): u64 { return refused_n; }

/** Critical records are never refused: the log's own events and integrity events (CR 2.10). */
@inline function critical(category: u32): bool {
  return category == CAT_AUDIT_LOG || category == CAT_INTEGRITY;
}

/** head = SHA-256(0x00 || head || record). */
export function chain_step(head: usize, rec: usize, n: usize): void {
  sha256_init(CTX);
  sha256_update(CTX, ZERO1, 1);
  sha256_update(CTX, head, 32);
  sha256_update(CTX, rec, n);
  sha256_final(CTX, head);
}

/** Drops the oldest item; one not yet acknowledged is a loss, counted and hashed past. */
function evict_oldest(): void {
  const pos = ring_tail_pos();
  const len = item_header(pos);
  const kind = item_kind();
  const seq = item_seq();
  if (ring_used() == unacked) {
    if (kind == KIND_RECORD) {
      ring_read(pos + <u64>ITEM_HEADER, EVICT, <usize>len - ITEM_HEADER);
      chain_step(ACK_HEAD, EVICT, <usize>len - ITEM_HEADER);
      ack_last = seq;
      if (lost_first == 0) lost_first = seq;
      lost_last = seq;
      lost_n++;
      lost_total++;
    }
    if (seq + 1 > ack_seq) ack_seq = seq + 1;
    unacked -= <u64>len;
  }
  ring_drop_oldest(<u64>len);
}

/** Appends the item built at STAGE (its header included), evicting the oldest items as needed. */
function put_item(len: usize): void {
  while (ring_free() < <u64>len) evict_oldest();
  ring_append(STAGE, len);
  unacked += <u64>len;
}

/** Checks a record's fields (the boundary check for every caller). */
export function audit_check(category: u32, type: u32, outcome: u32, iface: usize, iface_len: usize, peer: usize,
  peer_len: usize, subject: usize, subject_len: usize, detail: usize, detail_len: usize): i32 {
  if (category < CAT_ACCESS_CONTROL || category > CAT_INTEGRITY) return ERR_INVALID;
  if (outcome > OUTCOME_DENIED || type > 0xffff) return ERR_INVALID;
  if (iface_len > <usize>AUDIT_TEXT_MAX || peer_len > <usize>AUDIT_TEXT_MAX || subject_len > <usize>AUDIT_TEXT_MAX) return ERR_LENGTH;
  if (detail_len > <usize>AUDIT_DETAIL_MAX) return ERR_LENGTH;
  if (!utf8_valid(iface, iface_len) || !utf8_valid(peer, peer_len) || !utf8_valid(subject, subject_len)) return ERR_MALFORMED;
  return OK;
}

/** See the top of this file. */
export function audit_append_internal(category: u32, type: u32, outcome: u32, iface: usize, iface_len: usize,
  peer: usize, peer_len: usize, subject: usize, subject_len: usize, detail: usize, detail_len: usize): i32 {
  const st = audit_check(category, type, outcome, iface, iface_len, peer, peer_len, subject, subject_len, detail, detail_len);
  if (st != OK) return st;
  // Record: a deterministic CBOR map (bindings/audit.cddl), keys ascending.
  const r = STAGE + ITEM_HEADER;
  let p = r;
  let fields: u64 = 6;
  if (iface_len) fields++;
  if (peer_len) fields++;
  if (subject_len) fields++;
  if (detail_len) fields++;
  const seq = next_seq;
  p += cbor_put_head(p, 5, fields);
  p += cbor_put_head(p, 0, 0); p += cbor_put_head(p, 0, seq);
  p += cbor_put_head(p, 0, 1); p += cbor_put_head(p, 0, clock_now_ms());
  p += cbor_put_head(p, 0, 2); p += cbor_put_head(p, 0, <u64>clock_sync());
  p += cbor_put_head(p, 0, 3); p += cbor_put_head(p, 0, <u64>category);
  p += cbor_put_head(p, 0, 4); p += cbor_put_head(p, 0, <u64>type);
  p += cbor_put_head(p, 0, 5); p += cbor_put_head(p, 0, <u64>outcome);
  if (iface_len) { p += cbor_put_head(p, 0, 6); p += cbor_put_str(p, 3, iface, iface_len); }
  if (peer_len) { p += cbor_put_head(p, 0, 7); p += cbor_put_str(p, 3, peer, peer_len); }
  if (subject_len) { p += cbor_put_head(p, 0, 8); p += cbor_put_str(p, 3, subject, subject_len); }
  if (detail_len) { p += cbor_put_head(p, 0, 9); p += cbor_put_str(p, 2, detail, detail_len); }
  const rlen = p - r;
  const len = ITEM_HEADER + rlen;
  // Reject policy (CR 2.10): while the unacknowledged records fill the ring,
  // only critical records get in; the refusal is counted and later recorded.
  if (policy == POLICY_REJECT && !critical(category) && CAP - unacked < <u64>(len + <usize>AUDIT_CRITICAL_RESERVE)) {
    refused_n++;
    refused_total++;
    return ERR_AUDIT_FULL;
  }
  chain_step(HEAD, r, rlen);
  last_seq = seq;
  next_seq = seq + 1;
  item_header_put(STAGE, len, KIND_RECORD, 0, seq);
  put_item(len);
  since_cp++;
  after_append();
  return OK;
}

/** Queues an audit-log event (it reaches the ring through the event hook). */
function notice(t: u16, a: u64, b: u64): void {
  ev_new(t, OK);
  ev_ab(a, b);
  ev_push();
}

/**
 * Records the loss: every record lost since the host's last acknowledgement
 * (they are contiguous, from the oldest end), so the newest loss record
 * covers the losses of the records before it, itself lost or not.
 */
function flush_loss(): void {
  if (lost_n != 0) {
    lost_n = 0;
    notice(EV_AUDIT_RECORDS_LOST, lost_first, lost_last);
  }
}

function threshold_check(): void {
  const reached = unacked * 100 >= <u64>threshold * CAP;
  if (reached && !above) {
    above = true;
    notice(EV_AUDIT_THRESHOLD, unacked * 100 / CAP, <u64>threshold);
  } else if (!reached) {
    above = false;
  }
}

function after_append(): void {
  if (busy) return;
  busy = true;
  // The first loss of an episode is recorded at once; later ones at the next checkpoint.
  if (lost_n != 0 && !loss_noted) {
    loss_noted = true;
    flush_loss();
  }
  threshold_check();
  if (since_cp >= cp_every && device_key_ready()) checkpoint_now(0);
  busy = false;
}

/** Records pending losses and refusals, then appends a signed checkpoint over the chain head. */
export function checkpoint_now(flags: u8): void {
  const was = busy;
  busy = true;
  // Room first for the loss and refusal records and the checkpoint, so that
  // nothing is overwritten after the loss record is written.
  while (ring_free() < <u64>AUDIT_ITEM_MAX) evict_oldest();
  flush_loss();
  loss_noted = false;
  if (refused_n != 0) {
    const n = refused_n;
    refused_n = 0;
    notice(EV_AUDIT_RECORDS_REFUSED, n, 0);
  }
  const note_len = cp_build(STAGE + ITEM_HEADER, last_seq, HEAD, flags);
  const len = ITEM_HEADER + note_len + 32;
  item_header_put(STAGE, len, KIND_CHECKPOINT, flags, last_seq);
  put_item(len);
  since_cp = 0;
  busy = was;
}

/** True when the newest checkpoint closes an export and covers every record. */
export function export_closed(): bool {
  return cp_last_is_export() && cp_last_size() == last_seq;
}

export function close_for_export(): void {
  checkpoint_now(CP_FLAG_EXPORT);
}

/**
 * The host has stored every record before seq (and the checkpoints between
 * them): they may be overwritten from now on. OK, or ERR_AUDIT_CURSOR for a
 * cursor past the next sequence number. A cursor at or before the current one
 * changes nothing.
 */
export function audit_ack(seq: u64, mark_pos: u64, mark_head: usize, mark_last: u64, mark_ok: bool): i32 {
  if (seq > next_seq) return ERR_AUDIT_CURSOR;
  if (seq <= ack_seq) return OK;
  let pos = audit_ack_pos();
  if (mark_ok) {
    pos = mark_pos;
    memory.copy(ACK_HEAD, mark_head, 32);
    ack_last = mark_last;
  } else {
    const end = ring_put_pos();
    while (pos < end) {
      const len = item_header(pos);
      const kind = item_kind();
      const s = item_seq();
      if (s >= seq) break;
      if (kind == KIND_RECORD) {
        ring_read(pos + <u64>ITEM_HEADER, EVICT, <usize>len - ITEM_HEADER);
        chain_step(ACK_HEAD, EVICT, <usize>len - ITEM_HEADER);
        ack_last = s;
      }
      pos += <u64>len;
    }
  }
  unacked = ring_put_pos() - pos;
  ack_seq = seq;
  if (lost_n == 0) { lost_first = 0; lost_last = 0; }
  threshold_check();
  return OK;
}

export function audit_configure(pol: u32, thr: u32, every: u32): i32 {
  if (pol > POLICY_REJECT || thr < 1 || thr > 100 || every < 1 || every > 65535) return ERR_INVALID;
  policy = pol;
  threshold = thr;
  cp_every = every;
  notice(EV_AUDIT_CONFIGURED, <u64>pol | (<u64>thr << 8), <u64>every);
  return OK;
}

/** Back to factory-fresh: empty ring, numbering from 1, default policy. */
export function audit_log_reset(): void {
  ring_reset();
  next_seq = 1;
  last_seq = 0;
  ack_seq = 1;
  ack_last = 0;
  unacked = 0;
  memory.fill(HEAD, 0, 32);
  memory.fill(ACK_HEAD, 0, 32);
  policy = POLICY_OVERWRITE;
  threshold = AUDIT_THRESHOLD_PERCENT;
  cp_every = AUDIT_CHECKPOINT_EVERY;
  since_cp = 0;
  above = false;
  busy = false;
  lost_first = 0; lost_last = 0; lost_n = 0; loss_noted = false; lost_total = 0;
  refused_n = 0; refused_total = 0;
}

/** Resumes from persisted state: the ring is empty, the chain continues from head. */
export function audit_log_restore(next: u64, last: u64, head: usize, pol: u32, thr: u32, every: u32,
  lost_tot: u64, refused_tot: u64, refused_pending: u64): void {
  audit_log_reset();
  next_seq = next;
  last_seq = last;
  memory.copy(HEAD, head, 32);
  ack_seq = last + 1;
  ack_last = last;
  memory.copy(ACK_HEAD, head, 32);
  policy = pol;
  threshold = thr;
  cp_every = every;
  lost_total = lost_tot;
  refused_total = refused_tot;
  refused_n = refused_pending;
}

export function notice_clock_sync(old: u64, now: u64): void { notice(EV_AUDIT_CLOCK_SYNC, old, now); }
export function notice_seal_key_set(first: u64): void { notice(EV_AUDIT_SEAL_KEY_SET, first, 0); }
