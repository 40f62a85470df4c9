// Streaming contexts live in module-owned slots; the host holds only a
// handle. A handle names a slot and the generation it was issued in, so a
// handle used after final (or after its slot was reused) is refused with
// ERR_STATE instead of touching another caller's context.

import { ERR_NO_SLOT } from "../status";

/** Slots per kind of context (IACSEC_SLOTS). */
export const SLOTS: u32 = 8;
const INDEX_BITS: u32 = 3;
const GENERATION_MASK: u32 = 0x00ff_ffff;

// Each slot has one meta word: bit 0 = in use, bits 1..24 = generation.

/** Takes a free slot; returns its handle (> 0), or ERR_NO_SLOT. */
export function slot_acquire(meta: usize): i32 {
  for (let i: u32 = 0; i < SLOTS; i++) {
    const m = load<u32>(meta + (<usize>i << 2));
    if ((m & 1) == 0) {
      let generation = ((m >>> 1) + 1) & GENERATION_MASK;
      if (generation == 0) generation = 1;
      store<u32>(meta + (<usize>i << 2), (generation << 1) | 1);
      return <i32>((generation << INDEX_BITS) | i);
    }
  }
  return ERR_NO_SLOT;
}

/** The slot index a live handle names, or -1 for a stale, unknown or negative handle. */
export function slot_lookup(meta: usize, handle: i32): i32 {
  if (handle <= 0) return -1;
  const i = <u32>handle & (SLOTS - 1);
  const generation = <u32>handle >>> INDEX_BITS;
  const m = load<u32>(meta + (<usize>i << 2));
  if ((m & 1) == 0 || (m >>> 1) != generation) return -1;
  return <i32>i;
}

/** Frees a slot (its generation is kept, so the old handle stays dead). */
export function slot_release(meta: usize, i: i32): void {
  const p = meta + (<usize>i << 2);
  store<u32>(p, load<u32>(p) & ~1);
}
