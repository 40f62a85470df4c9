// Text checks for names and passwords: strict UTF-8 (RFC 3629: no overlong
// forms, no surrogates, nothing above U+10FFFF) and ASCII case folding.

/** True when n bytes at p are well-formed UTF-8. */
export function utf8_valid(p: usize, n: usize): bool {
  let i: usize = 0;
  while (i < n) {
    const c = <u32>load<u8>(p + i);
    if (c < 0x80) { i++; continue; }
    let need: usize, min: u32, cp: u32;
    if (c >= 0xc2 && c <= 0xdf) { need = 1; min = 0x80; cp = c & 0x1f; }
    else if (c >= 0xe0 && c <= 0xef) { need = 2; min = 0x800; cp = c & 0x0f; }
    else if (c >= 0xf0 && c <= 0xf4) { need = 3; min = 0x10000; cp = c & 0x07; }
    else return false;
    if (n - i <= need) return false;
    for (let k: usize = 1; k <= need; k++) {
      const d = <u32>load<u8>(p + i + k);
      if ((d & 0xc0) != 0x80) return false;
      cp = (cp << 6) | (d & 0x3f);
    }
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return false;
    i += need + 1;
  }
  return true;
}

/** True when no byte is an ASCII control character (names are shown in logs and terminals). */
export function no_controls(p: usize, n: usize): bool {
  for (let i: usize = 0; i < n; i++) {
    const c = load<u8>(p + i);
    if (c < 0x20 || c == 0x7f) return false;
  }
  return true;
}

// @ts-ignore: decorator
@inline export function lower(c: u8): u8 { return c >= 0x41 && c <= 0x5a ? c | 0x20 : c; }

/** Equality of byte strings up to ASCII case. */
export function eq_nocase(a: usize, an: usize, b: usize, bn: usize): bool {
  if (an != bn) return false;
  for (let i: usize = 0; i < an; i++) if (lower(load<u8>(a + i)) != lower(load<u8>(b + i))) return false;
  return true;
}

/** True when the needle (nn >= 3 bytes) occurs in the haystack, up to ASCII case. */
export function contains_nocase(h: usize, hn: usize, nd: usize, nn: usize): bool {
  if (nn < 3 || nn > hn) return false;
  for (let i: usize = 0; i + nn <= hn; i++) {
    let k: usize = 0;
    while (k < nn && lower(load<u8>(h + i + k)) == lower(load<u8>(nd + k))) k++;
    if (k == nn) return true;
  }
  return false;
}

/** Byte equality (public data: names). */
export function eq_bytes(a: usize, an: usize, b: usize, bn: usize): bool {
  return an == bn && memory.compare(a, b, an) == 0;
}
