// Emits the unrolled GF(2^255-19) multiplication and squaring of
// assembly/sig/_fe25519.ts (radix 2^25.5: ten limbs of 26,25,26,25,... bits)
// and rewrites the region between the GENERATED markers in that file.
// Usage: node assembly/sig/gen/fe25519_mul.mjs
import { readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

const FILE = fileURLToPath(new URL("../_fe25519.ts", import.meta.url));
const W = (i) => (i & 1 ? 25 : 26);
const odd = (i) => (i & 1) === 1;

// Largest |limb| accepted on input, as a multiple of 2^26 (even) / 2^25 (odd).
const C_IN = 4n;
function checkBound(coeffs) {
  // coeffs[k] = list of [c, i, j]; bound of |h_k| must stay below 2^63.
  for (const terms of coeffs) {
    let s = 0n;
    for (const [c, i, j] of terms) s += BigInt(c) * (C_IN << BigInt(W(i))) * (C_IN << BigInt(W(j)));
    if (s >= 1n << 63n) throw new Error("limb bound overflow");
  }
}

function carryChain(L) {
  // Floor carries (limbs end in [0, 2^w)), two interleaved chains as in ref10.
  const order = [0, 4, 1, 5, 2, 6, 3, 7, 4, 8, 9, 0];
  for (const i of order) {
    const w = W(i);
    const mask = "0x" + ((1 << w) - 1).toString(16);
    if (i === 9) {
      L.push(`  c = h9 >> 25; h0 += c * 19; h9 &= ${mask};`);
    } else {
      L.push(`  c = h${i} >> ${w}; h${i + 1} += c; h${i} &= ${mask};`);
    }
  }
}

function store(L) {
  for (let i = 0; i < 10; i++) L.push(`  store<i32>(h, <i32>h${i}, ${4 * i});`);
}

function genMul() {
  const L = [];
  const coeffs = [];
  L.push("/** h = f * g. Inputs: |limb| <= 4 * 2^26 (even) / 4 * 2^25 (odd). Output limbs in [0, 2^26) / [0, 2^25] (limb 1 may exceed by a few). */");
  L.push("export function fe_mul(h: usize, f: usize, g: usize): void {");
  for (let i = 0; i < 10; i++) L.push(`  const f${i}: i64 = <i64>load<i32>(f, ${4 * i});`);
  for (let i = 0; i < 10; i++) L.push(`  const g${i}: i64 = <i64>load<i32>(g, ${4 * i});`);
  for (let i = 1; i < 10; i += 2) L.push(`  const f${i}_2 = f${i} + f${i};`);
  for (let k = 0; k < 10; k++) {
    const lo = [], hi = [];
    const cs = [];
    for (let i = 0; i < 10; i++) {
      const j = (k - i + 10) % 10;
      const wrap = i + j >= 10;
      const dbl = odd(i) && odd(j);
      cs.push([(wrap ? 19 : 1) * (dbl ? 2 : 1), i, j]);
      (wrap ? hi : lo).push(`${dbl ? `f${i}_2` : `f${i}`} * g${j}`);
    }
    coeffs.push(cs);
    L.push(`  let h${k} = ${lo.join(" + ")}${hi.length ? ` + 19 * (${hi.join(" + ")})` : ""};`);
  }
  checkBound(coeffs);
  L.push("  let c: i64;");
  carryChain(L);
  store(L);
  L.push("}");
  return L.join("\n");
}

function genSq() {
  const L = [];
  const coeffs = [];
  const need = new Set();
  const body = [];
  for (let k = 0; k < 10; k++) {
    const terms = [];
    const cs = [];
    for (let i = 0; i < 10; i++) {
      const j = (k - i + 10) % 10;
      if (j < i) continue;
      let c = (i !== j ? 2 : 1) * (odd(i) && odd(j) ? 2 : 1) * (i + j >= 10 ? 19 : 1);
      cs.push([i !== j ? c / 2 : c, i, j], ...(i !== j ? [[c / 2, j, i]] : []));
      // split c = a * b, a in {1,2} on f_i, b in {1,2,19,38} on f_j
      let a = 1, b = c;
      if (c === 4) { a = 2; b = 2; } else if (c === 76) { a = 2; b = 38; }
      const A = a === 1 ? `f${i}` : `f${i}_2`;
      const B = b === 1 ? `f${j}` : `f${j}_${b}`;
      if (a !== 1) need.add(`f${i}_2`);
      if (b !== 1) need.add(`f${j}_${b}`);
      terms.push(`${A} * ${B}`);
    }
    coeffs.push(cs);
    body.push(`  let h${k} = ${terms.join(" + ")};`);
  }
  checkBound(coeffs);
  L.push("/** h = f^2. Same limb bounds as fe_mul. */");
  L.push("export function fe_sq(h: usize, f: usize): void {");
  for (let i = 0; i < 10; i++) L.push(`  const f${i}: i64 = <i64>load<i32>(f, ${4 * i});`);
  const sorted = [...need].sort((x, y) => {
    const [xi, xb] = x.slice(1).split("_").map(Number), [yi, yb] = y.slice(1).split("_").map(Number);
    return xb - yb || xi - yi;
  });
  for (const v of sorted) {
    const [i, b] = v.slice(1).split("_").map(Number);
    L.push(`  const ${v} = f${i} * ${b};`);
  }
  L.push(...body);
  L.push("  let c: i64;");
  carryChain(L);
  store(L);
  L.push("}");
  return L.join("\n");
}

const BEGIN = "// BEGIN GENERATED: gen/fe25519_mul.mjs";
const END = "// END GENERATED";
const src = readFileSync(FILE, "utf8");
const a = src.indexOf(BEGIN), b = src.indexOf(END);
if (a < 0 || b < a) throw new Error("markers not found in " + FILE);
const out = src.slice(0, a + BEGIN.length) + "\n" + genMul() + "\n\n" + genSq() + "\n" + src.slice(b);
writeFileSync(FILE, out);
