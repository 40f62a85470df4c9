// One-time passwords: HOTP (RFC 4226) and TOTP (RFC 6238) with HMAC-SHA1,
// HMAC-SHA256 or HMAC-SHA512, 6 to 8 digits, 64-bit time. A login accepts the
// code of the current step or of one step either side (RFC 6238 section 5.2),
// and only for a step later than the last one accepted: each code works once
// (section 5.2, "MUST NOT accept the second attempt of the same OTP").
// Recovery codes are HOTP values (HMAC-SHA256, 10 digits) of a separate
// random key, counters 0..RECOVERY_CODES-1, each accepted once.

import { wipe } from "../_mem";
import { hmac_sha1 } from "../hash/hmac_sha1";
import { hmac_sha256, hmac_sha512 } from "../hash/hmac";
import { RECOVERY_CODES } from "./limits";
import {
  A_TOTP_SECRET, A_TOTP_LEN, A_TOTP_ALG, A_TOTP_DIGITS, A_TOTP_PERIOD, A_TOTP_LAST, A_RECOVERY_KEY, A_RECOVERY_USED,
} from "./accounts";

export const ALG_SHA1: i32 = 1;
export const ALG_SHA256: i32 = 2;
export const ALG_SHA512: i32 = 3;

// @ts-ignore: decorator
@lazy const MAC: usize = memory.data(64, 16);
// @ts-ignore: decorator
@lazy const CTR: usize = memory.data(8, 8);

// @ts-ignore: decorator
@lazy const POW10: usize = memory.data<u64>([1, 10, 100, 1000, 10000, 100000, 1000000, 10000000, 100000000, 1000000000, 10000000000]);

export function alg_valid(alg: i32): bool { return alg >= ALG_SHA1 && alg <= ALG_SHA512; }

/** HOTP(K, C) with dynamic truncation (RFC 4226 section 5.3), digits 6..10. */
export function hotp(key: usize, klen: usize, alg: i32, counter: u64, digits: u32): u64 {
  store<u64>(CTR, bswap<u64>(counter));
  let n: usize;
  if (alg == ALG_SHA1) { hmac_sha1(MAC, key, klen, CTR, 8); n = 20; }
  else if (alg == ALG_SHA256) { hmac_sha256(MAC, key, klen, CTR, 8); n = 32; }
  else { hmac_sha512(MAC, key, klen, CTR, 8); n = 64; }
  const off = <usize>(load<u8>(MAC + n - 1) & 0x0f);
  const bin = (<u32>(load<u8>(MAC + off) & 0x7f) << 24) | (<u32>load<u8>(MAC + off + 1) << 16)
    | (<u32>load<u8>(MAC + off + 2) << 8) | <u32>load<u8>(MAC + off + 3);
  wipe(MAC, 64);
  wipe(CTR, 8);
  return <u64>bin % load<u64>(POW10 + (<usize>digits << 3));
}

/** Time step of Unix time t (seconds; may be negative: floor) for a period. */
export function totp_step(t: i64, period: u32): i64 {
  const p = <i64>period;
  let s = t / p;
  if (t % p != 0 && t < 0) s--;
  return s;
}

/** Parses 1..10 ASCII digits: the value, or -1. */
export function parse_code(p: usize, n: usize): i64 {
  if (n == 0 || n > 10) return -1;
  let v: i64 = 0;
  for (let i: usize = 0; i < n; i++) {
    const c = load<u8>(p + i);
    if (c < 0x30 || c > 0x39) return -1;
    v = v * 10 + <i64>(c - 0x30);
  }
  return v;
}

/** Verdicts of a code check. */
export const CODE_OK: i32 = 0;
export const CODE_WRONG: i32 = 1;
export const CODE_REPLAYED: i32 = 2;
export const CODE_RECOVERY: i32 = 3;  // a recovery code was accepted (index in last_recovery_index)

let last_index: i32 = -1;
let last_step: i64 = 0;
export function last_recovery_index(): i32 { return last_index; }
export function last_code_step(): i64 { return last_step; }

/**
 * Checks a code for the account at r at Unix time now_s: a TOTP code (as many
 * digits as enrolled) or a recovery code (10 digits). Accepting one records it
 * (the step, or the recovery code's bit), so it is never accepted again.
 * Every candidate is computed whatever matches first.
 */
export function code_check(r: usize, code: usize, clen: usize, now_s: i64): i32 {
  const v = parse_code(code, clen);
  if (v < 0) return CODE_WRONG;
  const digits = <u32>load<u8>(r + A_TOTP_DIGITS);
  if (clen == 10) {
    let hit: i32 = -1;
    const used = <u32>load<u16>(r + A_RECOVERY_USED);
    for (let i: u32 = 0; i < RECOVERY_CODES; i++) {
      const c = hotp(r + A_RECOVERY_KEY, 32, ALG_SHA256, <u64>i, 10);
      if (<i64>c == v && ((used >> i) & 1) == 0) hit = <i32>i;
    }
    if (hit < 0) return CODE_WRONG;
    store<u16>(r + A_RECOVERY_USED, <u16>(used | (1 << hit)));
    last_index = hit;
    return CODE_RECOVERY;
  }
  if (<u32>clen != digits) return CODE_WRONG;
  const period = <u32>load<u8>(r + A_TOTP_PERIOD);
  const step = totp_step(now_s, period);
  const key = r + A_TOTP_SECRET, klen = <usize>load<u8>(r + A_TOTP_LEN), alg = <i32>load<u8>(r + A_TOTP_ALG);
  let matched: i64 = i64.MIN_VALUE;
  for (let d: i64 = -1; d <= 1; d++) {
    const c = hotp(key, klen, alg, <u64>(step + d), digits);
    if (<i64>c == v && matched == i64.MIN_VALUE) matched = step + d;
  }
  if (matched == i64.MIN_VALUE) return CODE_WRONG;
  last_step = matched;
  if (matched <= load<i64>(r + A_TOTP_LAST)) return CODE_REPLAYED;
  store<i64>(r + A_TOTP_LAST, matched);
  return CODE_OK;
}
