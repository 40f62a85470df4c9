// A strict CBOR reader for audit exports (RFC 8949, deterministic encoding as
// the module writes it, section 4.2.1): definite lengths, shortest heads, no
// floats, no tags, UTF-8 text. It reports where each item ends, since the
// verifier hashes and names items by their exact bytes and position.

export type CborValue = bigint | number | Uint8Array | string | CborValue[] | Map<number, CborValue>;

/** The input ended inside an item (a truncated export), or an item is not encoded as the module encodes. */
export class CborError extends Error {
  readonly offset: number;
  readonly truncated: boolean;
  constructor(message: string, offset: number, truncated: boolean) {
    super(`${message} at byte ${offset}`);
    this.name = 'CborError';
    this.offset = offset;
    this.truncated = truncated;
  }
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** Reads one item at off; returns it and the offset after it. Integers below 2^53 are numbers, larger ones bigints. */
export function readItem(b: Uint8Array, off: number, depth = 0): [CborValue, number] {
  if (depth > 8) throw new CborError('nesting deeper than 8', off, false);
  if (off >= b.length) throw new CborError('item expected', off, true);
  const ib = b[off];
  const mt = ib >> 5;
  const ai = ib & 31;
  let p = off + 1;
  // Arguments up to 32 bits stay numbers (the common case); 64-bit ones are bigints.
  let arg: number | bigint;
  if (ai < 24) arg = ai;
  else if (ai <= 26) {
    const n = 1 << (ai - 24);
    if (p + n > b.length) throw new CborError('head runs past the end', off, true);
    let v = 0;
    for (let i = 0; i < n; i++) v = v * 256 + b[p + i];
    p += n;
    if (v < (ai === 24 ? 24 : 2 ** (4 * n))) throw new CborError('head not in shortest form', off, false);
    arg = v;
  } else if (ai === 27) {
    if (p + 8 > b.length) throw new CborError('head runs past the end', off, true);
    let v = 0n;
    for (let i = 0; i < 8; i++) v = (v << 8n) | BigInt(b[p + i]);
    p += 8;
    if (v < 1n << 32n) throw new CborError('head not in shortest form', off, false);
    arg = v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v;
  } else throw new CborError('indefinite length or reserved value', off, false);
  const left = b.length - p;
  switch (mt) {
    case 0: return [arg, p];
    case 1: return [typeof arg === 'number' && arg < Number.MAX_SAFE_INTEGER ? -1 - arg : -1n - BigInt(arg), p];
    case 2: case 3: {
      if (arg > left) throw new CborError('string runs past the end', off, true);
      const n = Number(arg);
      const s = b.subarray(p, p + n);
      if (mt === 2) return [s, p + n];
      try { return [utf8.decode(s), p + n]; } catch { throw new CborError('text is not UTF-8', off, false); }
    }
    case 4: {
      if (arg > left) throw new CborError('array runs past the end', off, true);
      const out: CborValue[] = [];
      for (let i = 0; i < arg; i++) { const [v, q] = readItem(b, p, depth + 1); out.push(v); p = q; }
      return [out, p];
    }
    case 5: {
      if (arg > left) throw new CborError('map runs past the end', off, true);
      const m = new Map<number, CborValue>();
      let last = -1;
      for (let i = 0; i < arg; i++) {
        const [k, q] = readItem(b, p, depth + 1);
        if (typeof k !== 'number' || k < 0) throw new CborError('map key is not a small unsigned integer', p, false);
        if (k <= last) throw new CborError('map keys not in ascending order', p, false);
        last = k;
        const [v, r] = readItem(b, q, depth + 1);
        m.set(k, v);
        p = r;
      }
      return [m, p];
    }
    default: throw new CborError(`major type ${mt} does not occur in an audit export`, off, false);
  }
}

/** Encodes an unsigned integer head (for tests and tools that build items). */
export function head(mt: number, v: number | bigint): Uint8Array {
  const x = BigInt(v);
  const m = mt << 5;
  if (x < 24n) return Uint8Array.of(m | Number(x));
  const n = x < 0x100n ? 1 : x < 0x10000n ? 2 : x < 0x100000000n ? 4 : 8;
  const out = new Uint8Array(1 + n);
  out[0] = m | (24 + Math.log2(n));
  for (let i = 0; i < n; i++) out[n - i] = Number((x >> BigInt(8 * i)) & 0xffn);
  return out;
}
