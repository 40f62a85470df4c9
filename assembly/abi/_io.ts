// The I/O area: the only memory the host may name in a call. Every pointer
// and length an export receives is checked against it here, once, before any
// inner code runs (inner code assumes valid sizes).

/** Size of the I/O area in bytes (IACSEC_IO_BYTES). */
export const IO_BYTES: u32 = 65536;

/** Start of the I/O area: 64 KiB, 16-byte aligned, in the module's static memory. */
export const IO_BASE: usize = memory.data(IO_BYTES, 16);

/**
 * True when [ptr, ptr + len) lies inside the I/O area. Written so that no sum
 * can wrap: offset <= IO_BYTES is proven before IO_BYTES - offset is taken
 * (the unsigned subtraction folds "ptr below the area" into the same compare).
 */
@inline
export function in_io(ptr: u32, len: u32): bool {
  const offset = ptr - <u32>IO_BASE;
  return offset <= IO_BYTES && len <= IO_BYTES - offset;
}

/** True when the two ranges share at least one byte (empty ranges share none). */
@inline
export function overlaps(a: u32, alen: u32, b: u32, blen: u32): bool {
  return alen != 0 && blen != 0 && a < b + blen && b < a + alen;
}
