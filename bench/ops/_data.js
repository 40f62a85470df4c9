// Deterministic inputs for the benchmarks (xorshift32), so that every run,
// and the native harness, works on the same bytes.
export function seeded(seed) {
  let s = seed >>> 0 || 1;
  const next = () => { s ^= s << 13; s >>>= 0; s ^= s >>> 17; s ^= s << 5; s >>>= 0; return s; };
  return {
    bytes(n) { const b = new Uint8Array(n); for (let i = 0; i < n; i++) b[i] = next() & 0xff; return b; },
  };
}

export const text = (s) => new TextEncoder().encode(s);
