import {
  auth_state_bytes, auth_state_write, auth_state_valid, auth_state_read, auth_state_reset, auth_state_fresh,
} from "../../assembly/auth/state";
import {
  account_claim, account_rec, account_find, accounts_set_provisioned, accounts_next_id, A_ITER, A_FAILS,
  A_LOCKED_UNTIL, A_ROLE, ACCOUNT_BYTES, LOCK_FOREVER,
} from "../../assembly/auth/accounts";
import { account_fail } from "../../assembly/auth/lockout";
import { source_fail, source_locked_until } from "../../assembly/auth/lockout";
import { prof, P_LOCK_THRESHOLD, P_ITERATIONS, profile_ptr } from "../../assembly/auth/profile";
import { role_set, role_perms } from "../../assembly/auth/roles";
import { siphash24 } from "../../assembly/ratelimit/siphash";

const NAME: usize = memory.data<u8>([0x61, 0x64, 0x6d, 0x69, 0x6e]); // "admin"
const BOB: usize = memory.data<u8>([0x62, 0x6f, 0x62]);             // "bob"
const RNAME: usize = memory.data<u8>([0x6d, 0x61, 0x69, 0x6e, 0x74]); // "maint"
const BUF: usize = memory.data(64 * 1024, 16);
const BUF2: usize = memory.data(64 * 1024, 16);
const KEY: usize = memory.data<u8>([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15]);
const MSG: usize = memory.data<u8>([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14]);

function populate(): void {
  auth_state_reset();
  account_claim(0, NAME, 5, 0, 1000);
  store<u32>(account_rec(0) + A_ITER, 600000);
  account_claim(1, BOB, 3, 7, 2000);
  store<u32>(account_rec(1) + A_ITER, 600000);
  role_set(7, RNAME, 5, 0x20, 0);
  accounts_set_provisioned(true);
  for (let i = 0; i < 5; i++) account_fail(account_rec(1), 5000);
  source_fail(0x1234, 5000);
}

describe("auth state section", () => {
  it("has a fixed size that is a multiple of 8 and fits the I/O area", () => {
    expect(auth_state_bytes() % 8).toBe(0);
    expect(auth_state_bytes()).toBeLessThan(64 * 1024);
  });

  it("round-trips accounts, failure counts and locks, roles, sources and counters", () => {
    populate();
    expect(load<i64>(account_rec(1) + A_LOCKED_UNTIL)).toBeGreaterThan(5000);
    auth_state_write(BUF);
    expect(auth_state_valid(BUF)).toBe(true);
    auth_state_reset();
    expect(auth_state_fresh()).toBe(true);
    expect(account_find(BOB, 3)).toBe(-1);
    auth_state_read(BUF);
    expect(auth_state_fresh()).toBe(false);
    const i = account_find(BOB, 3);
    expect(i).toBe(1);
    expect(load<u16>(account_rec(1) + A_FAILS)).toBe(5);
    expect(load<i64>(account_rec(1) + A_LOCKED_UNTIL)).toBeGreaterThan(5000);
    expect(load<u8>(account_rec(1) + A_ROLE)).toBe(7);
    expect(role_perms(7)).toBe(0x20);
    expect(accounts_next_id()).toBe(3);
    expect(source_locked_until(0x1234, 5000)).toBe(0);
    auth_state_write(BUF2);
    expect(memory.compare(BUF, BUF2, auth_state_bytes())).toBe(0);
  });

  it("refuses an image with any of these fields wrong", () => {
    populate();
    auth_state_write(BUF);
    const n = auth_state_bytes();
    const acc = n - 64 * ACCOUNT_BYTES - 16 * 112;  // accounts, then the peers table
    // version, next id, flags, profile iterations, account used byte, role, name length, id beyond next, duplicate name
    const offsets: usize[] = [0, 4, 12, 32, acc, acc + 2, acc + 1, acc + 4, acc + ACCOUNT_BYTES + 16];
    const values: u32[] = [2, 0, 8, 10, 2, 9, 0, 99, 0x61];
    for (let k = 0; k < offsets.length; k++) {
      memory.copy(BUF2, BUF, n);
      if (k == 8) {
        // bob renamed "adm" with length 5 -> "admin": a duplicate name
        store<u8>(BUF2 + acc + ACCOUNT_BYTES + 1, 5);
        memory.copy(BUF2 + acc + ACCOUNT_BYTES + 16, NAME, 5);
      } else if (k == 3) store<u32>(BUF2 + offsets[k], values[k]);
      else if (k == 0 || k == 1 || k == 2) store<u32>(BUF2 + offsets[k], values[k]);
      else if (k == 7) store<u32>(BUF2 + offsets[k], values[k]);
      else store<u8>(BUF2 + offsets[k], <u8>values[k]);
      expect(auth_state_valid(BUF2)).toBe(false, "field " + k.toString());
    }
    // A role that no account refers to may go; the role an account holds may not.
    memory.copy(BUF2, BUF, n);
    expect(auth_state_valid(BUF2)).toBe(true);
  });

  it("a fresh module writes a valid image", () => {
    auth_state_reset();
    auth_state_write(BUF);
    expect(auth_state_valid(BUF)).toBe(true);
    expect(prof(P_LOCK_THRESHOLD)).toBe(5);
    expect(prof(P_ITERATIONS)).toBe(600000);
    expect(profile_ptr()).toBeGreaterThan(0);
  });
});

describe("siphash24", () => {
  it("matches the reference vector for 15 bytes (Aumasson and Bernstein, vectors.h)", () => {
    // key 00..0f, message 00..0e: a129ca6149be45e5 (little-endian output bytes e5 45 be 49 61 ca 29 a1)
    expect(siphash24(KEY, MSG, 15)).toBe(0xa129ca6149be45e5);
    expect(siphash24(KEY, MSG, 0)).toBe(0x726fdb47dd0e0e31);
    expect(siphash24(KEY, MSG, 8)).toBe(0x93f5f5799a932462);
  });
});

export { LOCK_FOREVER };
