// The signer's fixed-base tables, built by the module from B on first use
// (assembly/sig/_ge25519.ts), against the same tables computed with exact
// integer arithmetic by assembly/sig/gen/ed25519_precomp.mjs.
import { ge_base_table } from "../../assembly/sig/_ge25519";
import { ED_BASE_EXPECTED } from "./_ed25519_base_table";

describe("ed25519 fixed-base tables", () => {
  it("every limb of every entry is the generator's", () => {
    const built = ge_base_table();
    for (let i: usize = 0; i < 7680; i += 4) {
      expect(load<i32>(built + i)).toBe(load<i32>(ED_BASE_EXPECTED + i), `byte ${i}: table ${i / 960}, entry ${(i % 960) / 120}`);
    }
  });
  it("are built once: a second call returns them unchanged", () => {
    const a = ge_base_table();
    const b = ge_base_table();
    expect(b).toBe(a);
    expect(memory.compare(b, ED_BASE_EXPECTED, 7680)).toBe(0);
  });
});
