// Shared by the host tests: the built module and its vectors.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const MODULE_PATH = `${ROOT}build/iacsec.wasm`;

export const hex = (s) => Uint8Array.from(Buffer.from(s, 'hex'));
export const toHex = (b) => Buffer.from(b).toString('hex');

export function wycheproof(name) {
  return JSON.parse(readFileSync(`${ROOT}tests/vectors/wycheproof/${name}.json`, 'utf8'));
}

/** Every test case of a Wycheproof file, each with its group. */
export function* cases(file) {
  for (const group of file.testGroups) for (const test of group.tests) yield { group, test };
}

/** Deterministic pseudo-random bytes (xorshift32), for reproducible sweeps. */
export function seeded(seed) {
  let s = seed >>> 0 || 1;
  const next = () => { s ^= s << 13; s >>>= 0; s ^= s >>> 17; s ^= s << 5; s >>>= 0; return s; };
  return {
    next,
    bytes(n) { const b = new Uint8Array(n); for (let i = 0; i < n; i++) b[i] = next() & 0xff; return b; },
    below(n) { return next() % n; },
  };
}
