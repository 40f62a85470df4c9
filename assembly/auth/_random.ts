// Randomness from the host's CSPRNG (WASI random_get, on the import
// allow-list). Salts, session ids, TOTP secrets and challenges come from here.

// @ts-ignore: decorator
@external("wasi_snapshot_preview1", "random_get")
declare function wasi_random_get(buf: usize, len: usize): u16;

/** Fills n bytes at p; false when the host could not (the caller refuses the operation). */
export function random_fill(p: usize, n: usize): bool {
  return wasi_random_get(p, n) == 0;
}
