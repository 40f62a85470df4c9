import { ct_eq, wipe } from "../../assembly/_mem";
import { in_io, overlaps, IO_BASE, IO_BYTES } from "../../assembly/abi/_io";
import { slot_acquire, slot_lookup, slot_release, SLOTS } from "../../assembly/abi/_slots";
import { ERR_NO_SLOT } from "../../assembly/status";

const A: usize = memory.data(64, 16);
const B: usize = memory.data(64, 16);
const META: usize = memory.data(<i32>(SLOTS * 4), 4);

describe("ct_eq", () => {
  it("is 0 for equal bytes at every length 0..64", () => {
    for (let n: usize = 0; n <= 64; n++) {
      for (let i: usize = 0; i < 64; i++) { store<u8>(A + i, <u8>(i * 7)); store<u8>(B + i, <u8>(i * 7)); }
      expect(ct_eq(A, B, n)).toBe(0);
    }
  });
  it("is -1 when any single bit of any byte differs, at every length", () => {
    for (let n: usize = 1; n <= 64; n++) {
      for (let i: usize = 0; i < n; i++) {
        for (let bit = 0; bit < 8; bit++) {
          memory.fill(A, 0x5a, 64);
          memory.fill(B, 0x5a, 64);
          store<u8>(B + i, <u8>(<i32>load<u8>(B + i) ^ (1 << bit)));
          expect(ct_eq(A, B, n)).toBe(-1);
        }
      }
    }
  });
  it("ignores bytes past n", () => {
    memory.fill(A, 1, 64);
    memory.fill(B, 1, 64);
    store<u8>(B + 40, 2);
    expect(ct_eq(A, B, 40)).toBe(0);
    expect(ct_eq(A, B, 41)).toBe(-1);
  });
});

describe("wipe", () => {
  it("zeroes exactly n bytes", () => {
    memory.fill(A, 0xff, 64);
    wipe(A + 3, 50);
    expect(load<u8>(A + 2)).toBe(0xff);
    for (let i: usize = 3; i < 53; i++) expect(load<u8>(A + i)).toBe(0);
    expect(load<u8>(A + 53)).toBe(0xff);
  });
});

describe("in_io", () => {
  const base = <u32>IO_BASE;
  it("accepts ranges inside the I/O area, empty ones at both ends included", () => {
    expect(in_io(base, 0)).toBe(true);
    expect(in_io(base, IO_BYTES)).toBe(true);
    expect(in_io(base + IO_BYTES, 0)).toBe(true);
    expect(in_io(base + IO_BYTES - 1, 1)).toBe(true);
  });
  it("refuses ranges that start below, end past, or wrap around", () => {
    expect(in_io(base - 1, 1)).toBe(false);
    expect(in_io(base - 1, 0)).toBe(false);
    expect(in_io(base, IO_BYTES + 1)).toBe(false);
    expect(in_io(base + IO_BYTES, 1)).toBe(false);
    expect(in_io(base + 1, 0xffff_ffff)).toBe(false);
    expect(in_io(0xffff_ffff, 2)).toBe(false);
    expect(in_io(0, 0)).toBe(false);
  });
  it("overlaps: shared bytes only", () => {
    expect(overlaps(100, 10, 110, 10)).toBe(false);
    expect(overlaps(100, 10, 109, 10)).toBe(true);
    expect(overlaps(100, 0, 100, 10)).toBe(false);
    expect(overlaps(105, 1, 100, 10)).toBe(true);
  });
});

describe("slots", () => {
  it("hands out every slot once, refuses the next, and reuses a freed one under a new handle", () => {
    memory.fill(META, 0, <usize>SLOTS * 4);
    const handles = new Array<i32>(0);
    for (let i: u32 = 0; i < SLOTS; i++) {
      const h = slot_acquire(META);
      expect(h).toBeGreaterThan(0);
      handles.push(h);
    }
    expect(slot_acquire(META)).toBe(ERR_NO_SLOT);
    const i3 = slot_lookup(META, handles[3]);
    expect(i3).toBeGreaterThanOrEqual(0);
    slot_release(META, i3);
    expect(slot_lookup(META, handles[3])).toBe(-1);
    const again = slot_acquire(META);
    expect(again).not.toBe(handles[3]);
    expect(slot_lookup(META, again)).toBe(i3);
    expect(slot_lookup(META, 0)).toBe(-1);
    expect(slot_lookup(META, -5)).toBe(-1);
  });
});
