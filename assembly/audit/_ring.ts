// The ring: items of variable length in AUDIT_RING_BYTES of static memory.
// Positions are u64 byte counts since the ring was last reset (the offset in
// the ring is the position modulo its size), so no offset comparison wraps.
// An item is a 12-byte header, u16 total length | u8 kind | u8 flags |
// u64 sequence number, then its payload; an item may wrap past the end.

import { AUDIT_RING_BYTES } from "./limits";

export const ITEM_HEADER: usize = 12;
export const KIND_RECORD: u8 = 0;
export const KIND_CHECKPOINT: u8 = 1;

@inline const CAP: u64 = <u64>AUDIT_RING_BYTES;

// @ts-ignore: decorator
@lazy const RING: usize = memory.data(<i32>AUDIT_RING_BYTES, 16);
// @ts-ignore: decorator
@lazy const HDR: usize = memory.data(16, 8);

/** Bytes ever put since the last reset: the position where the next item goes. */
let put_pos: u64 = 0;
/** Bytes held (oldest item at put_pos - used). */
let used: u64 = 0;

export function ring_put_pos(): u64 { return put_pos; }
export function ring_used(): u64 { return used; }
export function ring_free(): u64 { return CAP - used; }
export function ring_tail_pos(): u64 { return put_pos - used; }

export function ring_reset(): void {
  memory.fill(RING, 0, AUDIT_RING_BYTES);
  put_pos = 0;
  used = 0;
}

/** Copies n bytes at ring position pos to dst (n <= ring size). */
export function ring_read(pos: u64, dst: usize, n: usize): void {
  const off = <usize>(pos % CAP);
  const first = <usize>AUDIT_RING_BYTES - off;
  if (n <= first) { memory.copy(dst, RING + off, n); return; }
  memory.copy(dst, RING + off, first);
  memory.copy(dst + first, RING, n - first);
}

function ring_write(pos: u64, src: usize, n: usize): void {
  const off = <usize>(pos % CAP);
  const first = <usize>AUDIT_RING_BYTES - off;
  if (n <= first) { memory.copy(RING + off, src, n); return; }
  memory.copy(RING + off, src, first);
  memory.copy(RING, src + first, n - first);
}

/** Appends an item (its header already written at item); the caller has made room. */
export function ring_append(item: usize, n: usize): void {
  ring_write(put_pos, item, n);
  put_pos += <u64>n;
  used += <u64>n;
}

/** Drops the oldest item (the caller has read what it needs). */
export function ring_drop_oldest(n: u64): void {
  const tail = put_pos - used;
  // Wipe the dropped bytes: the ring holds no stale copy of an old record.
  const off = <usize>(tail % CAP);
  const first = <usize>AUDIT_RING_BYTES - off;
  const len = <usize>n;
  if (len <= first) memory.fill(RING + off, 0, len);
  else { memory.fill(RING + off, 0, first); memory.fill(RING, 0, len - first); }
  used -= n;
}

/** Reads the header of the item at pos: its length (kind and sequence via item_kind/item_seq). */
export function item_header(pos: u64): u32 {
  ring_read(pos, HDR, ITEM_HEADER);
  return <u32>load<u16>(HDR);
}
export function item_kind(): u8 { return load<u8>(HDR + 2); }
export function item_flags(): u8 { return load<u8>(HDR + 3); }
export function item_seq(): u64 { return load<u64>(HDR + 4); }

/** Writes an item header at p. */
export function item_header_put(p: usize, len: usize, kind: u8, flags: u8, seq: u64): void {
  store<u16>(p, <u16>len);
  store<u8>(p + 2, kind);
  store<u8>(p + 3, flags);
  store<u64>(p + 4, seq);
}
