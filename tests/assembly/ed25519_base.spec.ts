// The tables of multiples of B, built by the module from B on first use
// (assembly/sig/_ge25519.ts), against the same tables computed with exact
// integer arithmetic by assembly/sig/gen/ed25519_precomp.mjs.
import { ge_bi_table, ge_base_table } from "../../assembly/sig/_ge25519";
import { ED_BI_EXPECTED, ED_BASE_EXPECTED } from "./_ed25519_base_table";

function expectTable(built: usize, expected: usize, bytes: usize): void {
  for (let i: usize = 0; i < bytes; i += 4) {
    expect(load<i32>(built + i)).toBe(load<i32>(expected + i), `byte ${i}: entry ${i / 120}, coordinate ${(i % 120) / 40}`);
  }
}

describe("ed25519 tables of multiples of B", () => {
  it("the verifier's odd multiples: every limb is the generator's", () => {
    expectTable(ge_bi_table(), ED_BI_EXPECTED, 1920);
  });
  it("the signer's fixed-base tables: every limb is the generator's", () => {
    expectTable(ge_base_table(), ED_BASE_EXPECTED, 7680);
  });
  it("are built once: later calls return them unchanged", () => {
    const bi = ge_bi_table(), base = ge_base_table();
    expect(ge_bi_table()).toBe(bi);
    expect(ge_base_table()).toBe(base);
    expect(memory.compare(bi, ED_BI_EXPECTED, 1920)).toBe(0);
    expect(memory.compare(base, ED_BASE_EXPECTED, 7680)).toBe(0);
  });
});
