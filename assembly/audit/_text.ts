// ASCII output for signed notes: decimal, lower-case hex, and standard
// base64 with padding (RFC 4648 section 4), as the C2SP note format uses.

// @ts-ignore: decorator
@lazy const B64: usize = memory.data<u8>([
  65, 66, 67, 68, 69, 70, 71, 72, 73, 74, 75, 76, 77, 78, 79, 80, 81, 82, 83, 84, 85, 86, 87, 88, 89, 90,
  97, 98, 99, 100, 101, 102, 103, 104, 105, 106, 107, 108, 109, 110, 111, 112, 113, 114, 115, 116, 117, 118,
  119, 120, 121, 122, 48, 49, 50, 51, 52, 53, 54, 55, 56, 57, 43, 47,
]);

/** Writes v in decimal at p; returns the digits written. */
export function put_dec(p: usize, v: u64): usize {
  let n: usize = 1;
  for (let t = v / 10; t != 0; t /= 10) n++;
  for (let i = n; i > 0; i--) {
    store<u8>(p + i - 1, <u8>(48 + v % 10));
    v /= 10;
  }
  return n;
}

/** Writes the n bytes at src as 2n lower-case hex digits at p. */
export function put_hex(p: usize, src: usize, n: usize): usize {
  for (let i: usize = 0; i < n; i++) {
    const b = <u32>load<u8>(src + i);
    const hi = b >> 4, lo = b & 15;
    store<u8>(p + 2 * i, <u8>(hi < 10 ? 48 + hi : 87 + hi));
    store<u8>(p + 2 * i + 1, <u8>(lo < 10 ? 48 + lo : 87 + lo));
  }
  return 2 * n;
}

/** Writes the n bytes at src in padded base64 at p; returns 4 * ceil(n / 3). */
export function put_b64(p: usize, src: usize, n: usize): usize {
  let o: usize = 0;
  let i: usize = 0;
  for (; i + 3 <= n; i += 3) {
    const w = (<u32>load<u8>(src + i) << 16) | (<u32>load<u8>(src + i + 1) << 8) | <u32>load<u8>(src + i + 2);
    store<u8>(p + o, load<u8>(B64 + (w >> 18)));
    store<u8>(p + o + 1, load<u8>(B64 + ((w >> 12) & 63)));
    store<u8>(p + o + 2, load<u8>(B64 + ((w >> 6) & 63)));
    store<u8>(p + o + 3, load<u8>(B64 + (w & 63)));
    o += 4;
  }
  const r = n - i;
  if (r != 0) {
    let w = <u32>load<u8>(src + i) << 16;
    if (r == 2) w |= <u32>load<u8>(src + i + 1) << 8;
    store<u8>(p + o, load<u8>(B64 + (w >> 18)));
    store<u8>(p + o + 1, load<u8>(B64 + ((w >> 12) & 63)));
    store<u8>(p + o + 2, r == 2 ? load<u8>(B64 + ((w >> 6) & 63)) : 61);
    store<u8>(p + o + 3, 61);
    o += 4;
  }
  return o;
}

/** Copies n bytes of ASCII from a static string's UTF-16 storage. */
export function put_ascii(p: usize, s: string): usize {
  const n = <usize>s.length;
  const src = changetype<usize>(s);
  for (let i: usize = 0; i < n; i++) store<u8>(p + i, <u8>load<u16>(src + 2 * i));
  return n;
}
