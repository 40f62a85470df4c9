// Streaming contexts live in module-owned slots; the host holds only a
// handle. Every handle is a number this module instance has never issued
// before (one counter for every kind of context), so a handle used after
// final or abort, or after its slot was reused, or a handle of another kind,
// is refused with ERR_STATE instead of touching another caller's context.
// An instance issues at most 2^31 - 1 handles; after that init answers
// ERR_NO_SLOT until the module is instantiated again.

import { ERR_NO_SLOT } from "../status";

/** Slots per kind of context (IACSEC_SLOTS). */
export const SLOTS: u32 = 8;

/** The next handle to issue; 0 once every positive i32 has been issued. */
let next_handle: u32 = 1;

// Each slot has one meta word: the live handle it holds, or 0 when free.

/** Takes a free slot; returns its handle (> 0), or ERR_NO_SLOT. */
export function slot_acquire(meta: usize): i32 {
  if (next_handle == 0) return ERR_NO_SLOT;
  for (let i: u32 = 0; i < SLOTS; i++) {
    const p = meta + (<usize>i << 2);
    if (load<u32>(p) == 0) {
      const h = next_handle;
      next_handle = h == <u32>i32.MAX_VALUE ? 0 : h + 1;
      store<u32>(p, h);
      return <i32>h;
    }
  }
  return ERR_NO_SLOT;
}

/** The slot index a live handle names, or -1 for a stale, unknown or non-positive handle. */
export function slot_lookup(meta: usize, handle: i32): i32 {
  if (handle <= 0) return -1;
  for (let i: u32 = 0; i < SLOTS; i++) {
    if (load<u32>(meta + (<usize>i << 2)) == <u32>handle) return <i32>i;
  }
  return -1;
}

/** Frees a slot; its handle is never issued again. */
export function slot_release(meta: usize, i: i32): void {
  store<u32>(meta + (<usize>i << 2), 0);
}
