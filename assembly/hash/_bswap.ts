// Byte swaps for the hashes' big-endian words, inlined by the compiler itself.
// ~lib's bswap<T> is an ordinary function: at shrink level 1 (asconfig.json)
// Binaryen's inliner leaves it out of line, one call per message word, which
// costs SHA-256 about 8% in V8. These are the same expressions, @inline.

/** bswap<u32>(x). */
// @ts-ignore: decorator
@inline export function bswap32(x: u32): u32 {
  return rotl<u32>(x & 0xff00ff00, 8) | rotr<u32>(x & 0x00ff00ff, 8);
}

/** bswap<u64>(x). */
// @ts-ignore: decorator
@inline export function bswap64(x: u64): u64 {
  x = ((x >>> 8) & 0x00ff00ff00ff00ff) | ((x & 0x00ff00ff00ff00ff) << 8);
  x = ((x >>> 16) & 0x0000ffff0000ffff) | ((x & 0x0000ffff0000ffff) << 16);
  return rotr<u64>(x, 32);
}
