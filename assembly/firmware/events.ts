// The event queue (CR 3.4 RE2 notification; ready for the audit log): every
// decision on firmware, trust anchors and state is one fixed-size record.
// When the queue is full, events are counted, not stored; the next event
// stored is preceded by one EVENTS_DROPPED record, so loss is itself recorded.

import { OK, END } from "../status";
import { EVENT_BYTES, EVENTS_MAX } from "../limits";
import { audit_on_event } from "../audit/events_map";
import { FULL_BUILD } from "../build_profile";

export const EV_FW_ACCEPTED: u16 = 1;
export const EV_FW_REJECTED: u16 = 2;
export const EV_COUNTER_RAISED: u16 = 3;
export const EV_ANCHOR_ADDED: u16 = 4;
export const EV_ANCHOR_REVOKED: u16 = 5;
export const EV_BOOT_CHECK_PASSED: u16 = 6;
export const EV_BOOT_CHECK_FAILED: u16 = 7;
export const EV_PROVISIONING_CLOSED: u16 = 8;
export const EV_STATE_IMPORTED: u16 = 9;
export const EV_EVENTS_DROPPED: u16 = 10;
export const EV_STATE_IMPORT_REJECTED: u16 = 11;
export const EV_TRUST_STATEMENT_REJECTED: u16 = 12;
export const EV_COUNTER_SET: u16 = 13;
export const EV_STATE_RECOVERED: u16 = 14;
export const EV_STATE_BACKUP: u16 = 15;
export const EV_STATE_RESTORED: u16 = 16;
export const EV_STATE_RESTORE_REJECTED: u16 = 17;
export const EV_FW_SESSION_REFUSED: u16 = 18;

// Record layout (IACSEC_EVENT_BYTES).
@inline const O_TYPE: usize = 0;
@inline const O_STATUS: usize = 2;
@inline const O_SEQ: usize = 4;
@inline const O_A: usize = 8;
@inline const O_B: usize = 16;
@inline const O_KID_LEN: usize = 24;
@inline const O_KID: usize = 25;
@inline const O_ROLE: usize = 57;
@inline const O_COMP_LEN: usize = 58;
@inline const O_COMP: usize = 59;

// @ts-ignore: decorator
@lazy const RING: usize = memory.data(<i32>(EVENTS_MAX * EVENT_BYTES), 16);
/** The record being filled. */
// @ts-ignore: decorator
@lazy const STAGE: usize = memory.data(<i32>EVENT_BYTES, 16);

let head: u32 = 0;       // index of the oldest record
let count: u32 = 0;
let next_seq: u32 = 1;
let dropped: u64 = 0;

/** Sequence number the next event receives. */
export function events_next_seq(): u32 { return next_seq; }
/** Continues numbering at seq unless the numbering is already past it (after a state import). */
export function events_resume_seq(seq: u32): void { if (seq > next_seq) next_seq = seq; }

/** Starts a new record of type t with status s; the fields default to zero. */
export function ev_new(t: u16, s: i32): void {
  memory.fill(STAGE, 0, EVENT_BYTES);
  store<u16>(STAGE + O_TYPE, t);
  store<i16>(STAGE + O_STATUS, <i16>s);
}
export function ev_ab(a: u64, b: u64): void {
  store<u64>(STAGE + O_A, a);
  store<u64>(STAGE + O_B, b);
}
/** Key id (at most 32 bytes are kept) and the role of its anchor (0 when none). */
export function ev_kid(p: usize, n: usize, role: u8): void {
  if (n > 32) n = 32;
  store<u8>(STAGE + O_KID_LEN, <u8>n);
  memory.copy(STAGE + O_KID, p, n);
  store<u8>(STAGE + O_ROLE, role);
}
/** Component name (at most 64 bytes are kept). */
export function ev_component(p: usize, n: usize): void {
  if (n > 64) n = 64;
  store<u8>(STAGE + O_COMP_LEN, <u8>n);
  memory.copy(STAGE + O_COMP, p, n);
}

function slot(i: u32): usize {
  return RING + <usize>((head + i) % EVENTS_MAX) * EVENT_BYTES;
}

/** Numbers the staged record and queues it (or counts it as dropped). */
export function ev_push(): void {
  const seq = next_seq++;
  const free = EVENTS_MAX - count;
  const need: u32 = dropped != 0 ? 2 : 1;
  if (free < need) {
    dropped++;
    store<u32>(STAGE + O_SEQ, seq);
    if (FULL_BUILD) audit_on_event(STAGE);   // the audit log keeps what the queue cannot
    return;
  }
  if (dropped != 0) {
    const d = slot(count);
    memory.fill(d, 0, EVENT_BYTES);
    store<u16>(d + O_TYPE, EV_EVENTS_DROPPED);
    store<u32>(d + O_SEQ, seq);
    store<u64>(d + O_A, dropped);
    count++;
    dropped = 0;
    store<u32>(STAGE + O_SEQ, next_seq++);
  } else {
    store<u32>(STAGE + O_SEQ, seq);
  }
  memory.copy(slot(count), STAGE, EVENT_BYTES);
  count++;
  if (FULL_BUILD) audit_on_event(STAGE);     // every queued decision is also an audit record
}

/** Moves the oldest record to out (EVENT_BYTES): OK, or END when the queue is empty. */
export function events_next(out: usize): i32 {
  if (count == 0) return END;
  const s = slot(0);
  memory.copy(out, s, EVENT_BYTES);
  memory.fill(s, 0, EVENT_BYTES);
  head = (head + 1) % EVENTS_MAX;
  count--;
  return OK;
}
