// Export from a cursor (CR 6.1 RE1) as a CBOR sequence (RFC 8742) of items
// (bindings/audit.cddl):
//
//   [2, prev-seq, prev-head]      start: the chain head after record prev-seq
//   [0, record, head]             a record (bstr holding its CBOR) and the chain head after it
//   [1, note, seal]               a signed checkpoint (text) and its HMAC seal (32 bytes)
//
// The cursor is the sequence number of the first record wanted. Each call
// writes whole items, never separating a record from the checkpoints that
// follow it, and returns the cursor to continue from; the first call of an
// export closes it with a new checkpoint marked "export", so that the last
// item of a complete export is always a signed checkpoint over its last
// record. Only records the host has not acknowledged can be exported.

import { OK, END, ERR_BUFFER_SMALL, ERR_STATE, ERR_AUDIT_STALE, ERR_AUDIT_CURSOR } from "../status";
import { device_key_ready } from "../device/key";
import { AUDIT_ITEM_MAX } from "./limits";
import { ITEM_HEADER, KIND_RECORD, ring_put_pos, ring_read, item_header, item_kind, item_seq } from "./_ring";
import { cbor_put_head, cbor_put_str } from "./_cbor_out";
import {
  audit_next_seq, audit_last_seq, audit_ack_seq, audit_ack_last, audit_ack_head, audit_ack_pos, audit_ack,
  chain_step, export_closed, close_for_export,
} from "./log";

/** Minimum room for one call of iacsec_audit_export: a record and the two checkpoints that may follow it. */
export const AUDIT_EXPORT_MIN_BYTES: u32 = 2 * AUDIT_ITEM_MAX;

// @ts-ignore: decorator
@lazy const BUF: usize = memory.data(<i32>AUDIT_ITEM_MAX, 16);
// @ts-ignore: decorator
@lazy const H: usize = memory.data(32, 8);
// @ts-ignore: decorator
@lazy const MARK_HEAD: usize = memory.data(32, 8);

// Where the last export call stopped, so the next call (and the host's
// acknowledgement) continues there without hashing the records again.
let mark_ok: bool = false;
let mark_seq: u64 = 0;
let mark_pos: u64 = 0;
let mark_last: u64 = 0;

export function export_forget(): void { mark_ok = false; }

function valid_mark(): bool {
  return mark_ok && mark_seq >= audit_ack_seq() && mark_pos >= audit_ack_pos();
}

/** Bytes of an export item whose single variable field is a string of n bytes. */
@inline function str_item_bytes(n: usize): usize {
  return 2 + (n < 24 ? 1 : n < 256 ? 2 : 3) + n + 2 + 32;
}

/**
 * Writes items from cursor *cur onward (0: from the oldest unacknowledged
 * record) to out (cap bytes). On return cur
 * holds: [0,8) the cursor to continue from, [8,12) bytes written, [12,16)
 * flags (bit 0: more items wait). OK, END (nothing at or after the cursor),
 * ERR_AUDIT_STALE (records at the cursor were acknowledged or overwritten;
 * cur[0,8) then holds the oldest cursor that can be exported),
 * ERR_AUDIT_CURSOR (past the next sequence number), ERR_BUFFER_SMALL (cap
 * below AUDIT_EXPORT_MIN_BYTES), ERR_STATE (no device key to sign with).
 */
export function audit_export(out: usize, cap: usize, cur: usize): i32 {
  if (!device_key_ready()) return ERR_STATE;
  if (cap < <usize>AUDIT_EXPORT_MIN_BYTES) return ERR_BUFFER_SMALL;
  let c = load<u64>(cur);
  store<u64>(cur + 8, 0);
  const oldest = c == 0;
  if (oldest) c = audit_ack_seq();
  if (c > audit_next_seq()) return ERR_AUDIT_CURSOR;
  if (c < audit_ack_seq()) { store<u64>(cur, audit_ack_seq()); return ERR_AUDIT_STALE; }
  if (c > audit_last_seq()) return END;
  if (!export_closed()) {
    close_for_export();
    // Closing may have overwritten unacknowledged records under the overwrite policy.
    if (oldest) c = audit_ack_seq();
    if (c < audit_ack_seq()) { store<u64>(cur, audit_ack_seq()); return ERR_AUDIT_STALE; }
  }
  let pos: u64, last: u64;
  if (valid_mark() && mark_seq <= c) {
    pos = mark_pos; last = mark_last; memory.copy(H, MARK_HEAD, 32);
  } else {
    pos = audit_ack_pos(); last = audit_ack_last(); memory.copy(H, audit_ack_head(), 32);
  }
  const end = ring_put_pos();
  let o: usize = 0;
  let started = false;
  let more = false;
  let next = c;
  while (pos < end) {
    const len = <usize>item_header(pos);
    const kind = item_kind();
    const seq = item_seq();
    if (seq < c) {
      if (kind == KIND_RECORD) {
        ring_read(pos + <u64>ITEM_HEADER, BUF, len - ITEM_HEADER);
        chain_step(H, BUF, len - ITEM_HEADER);
        last = seq;
      }
      pos += <u64>len;
      continue;
    }
    // A group: this item and the checkpoints right after it.
    let need = str_item_bytes(len - ITEM_HEADER);
    let q = pos + <u64>len;
    while (q < end) {
      const l2 = <usize>item_header(q);
      if (item_kind() == KIND_RECORD) break;
      need += str_item_bytes(l2 - ITEM_HEADER - 32);
      q += <u64>l2;
    }
    if (!started) need += 2 + 9 + 2 + 32;
    if (need > cap - o) { more = true; next = seq; break; }
    if (!started) {
      started = true;
      o += cbor_put_head(out + o, 4, 3);
      o += cbor_put_head(out + o, 0, 2);
      o += cbor_put_head(out + o, 0, last);
      o += cbor_put_str(out + o, 2, H, 32);
    }
    while (pos < q) {
      const l = <usize>item_header(pos);
      const k = item_kind();
      const s = item_seq();
      ring_read(pos + <u64>ITEM_HEADER, BUF, l - ITEM_HEADER);
      o += cbor_put_head(out + o, 4, 3);
      if (k == KIND_RECORD) {
        chain_step(H, BUF, l - ITEM_HEADER);
        last = s;
        o += cbor_put_head(out + o, 0, 0);
        o += cbor_put_str(out + o, 2, BUF, l - ITEM_HEADER);
        o += cbor_put_str(out + o, 2, H, 32);
        next = s + 1;
      } else {
        const nl = l - ITEM_HEADER - 32;
        o += cbor_put_head(out + o, 0, 1);
        o += cbor_put_str(out + o, 3, BUF, nl);
        o += cbor_put_str(out + o, 2, BUF + nl, 32);
      }
      pos += <u64>l;
    }
  }
  if (!more) next = audit_last_seq() + 1;
  mark_ok = true;
  mark_seq = next;
  mark_pos = pos;
  mark_last = last;
  memory.copy(MARK_HEAD, H, 32);
  store<u64>(cur, next);
  store<u32>(cur + 8, <u32>o);
  store<u32>(cur + 12, more ? 1 : 0);
  return o == 0 ? END : OK;
}

/** Acknowledges every record before seq (see audit_ack in log.ts). */
export function audit_export_ack(seq: u64): i32 {
  const use_mark = valid_mark() && mark_seq == seq;
  const st = audit_ack(seq, mark_pos, MARK_HEAD, mark_last, use_mark);
  if (!valid_mark()) mark_ok = false;
  return st;
}
