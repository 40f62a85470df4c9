// Password hashes and the password policy (CR 1.5, CR 1.7 RE1).
//
// Hash: PBKDF2-HMAC-SHA256 (RFC 8018) with a fresh 16-byte random salt per
// password and the profile's iteration count, kept with the hash so that a
// profile change applies to the next password set. Compared in constant time.
//
// History: each account has its own random history salt; a password's history
// digest is PBKDF2 under that salt and the account's history iteration count,
// so checking "not one of the last N" costs one derivation, not N.
//
// Policy for a new password, in order (first failure answers):
//   ERR_LENGTH     longer than PASSWORD_MAX_BYTES bytes
//   ERR_MALFORMED  not UTF-8
//   ERR_POLICY     shorter than the profile's minimum (in characters); on the
//                  blocklist (ASCII case ignored; also when only digits or symbols
//                  are added before or after a listed word, or a listed word is
//                  repeated); fewer than 5 different characters; a keyboard or
//                  alphabet run; contains the user name or a context word
//                  (vendor, product, site: 3 bytes or more); one of the last N
//                  passwords (the current one included); changed by the user
//                  before the minimum lifetime has passed.

import { OK, ERR_LENGTH, ERR_MALFORMED, ERR_POLICY } from "../status";
import { ct_eq, wipe } from "../_mem";
import { pbkdf2_sha256 } from "../hash/pbkdf2";
import { PASSWORD_MAX_BYTES, HISTORY_MAX, CONTEXT_WORDS_MAX, CONTEXT_WORD_MAX_BYTES } from "./limits";
import { prof, P_ITERATIONS, P_MIN_LENGTH, P_HISTORY } from "./profile";
import {
  HIST_DIGEST_BYTES, A_SALT, A_HASH, A_ITER, A_HIST_SALT, A_HIST_ITER, A_HIST, A_HIST_COUNT, A_HIST_NEXT, A_PW_SET,
} from "./accounts";
import { utf8_valid, lower, contains_nocase } from "./_text";
import { random_fill } from "./_random";
import { BLOCKLIST } from "./_blocklist";

// @ts-ignore: decorator
@lazy const DK: usize = memory.data(32, 16);
// @ts-ignore: decorator
@lazy const HD: usize = memory.data(32, 16);
// @ts-ignore: decorator
@lazy const DUMMY_SALT: usize = memory.data(16, 16);
// @ts-ignore: decorator
@lazy const DUMMY_HASH: usize = memory.data(32, 16);
// @ts-ignore: decorator
@lazy const LOWER: usize = memory.data(<i32>PASSWORD_MAX_BYTES, 16);
// Context words: [0] count, then CONTEXT_WORDS_MAX records of [length][bytes].
// @ts-ignore: decorator
@lazy const CONTEXT: usize = memory.data(<i32>(1 + CONTEXT_WORDS_MAX * (1 + CONTEXT_WORD_MAX_BYTES)), 8);
// Runs that are not passwords: keyboard rows and columns, the alphabet, digits, both ways.
// @ts-ignore: decorator
@lazy const WALKS: usize = memory.data<u8>([
  // "01234567890123456789" "9876543210987654321" "abcdefghijklmnopqrstuvwxyz" "zyxwvutsrqponmlkjihgfedcba"
  // "qwertyuiopasdfghjklzxcvbnm" "mnbvcxzlkjhgfdsapoiuytrewq" "1qaz2wsx3edc4rfv5tgb6yhn7ujm8ik9ol0p" "qazwsxedcrfvtgbyhnujmikolp"
  20, 48, 49, 50, 51, 52, 53, 54, 55, 56, 57, 48, 49, 50, 51, 52, 53, 54, 55, 56, 57,
  19, 57, 56, 55, 54, 53, 52, 51, 50, 49, 48, 57, 56, 55, 54, 53, 52, 51, 50, 49,
  26, 97, 98, 99, 100, 101, 102, 103, 104, 105, 106, 107, 108, 109, 110, 111, 112, 113, 114, 115, 116, 117, 118, 119, 120, 121, 122,
  26, 122, 121, 120, 119, 118, 117, 116, 115, 114, 113, 112, 111, 110, 109, 108, 107, 106, 105, 104, 103, 102, 101, 100, 99, 98, 97,
  26, 113, 119, 101, 114, 116, 121, 117, 105, 111, 112, 97, 115, 100, 102, 103, 104, 106, 107, 108, 122, 120, 99, 118, 98, 110, 109,
  26, 109, 110, 98, 118, 99, 120, 122, 108, 107, 106, 104, 103, 102, 100, 115, 97, 112, 111, 105, 117, 121, 116, 114, 101, 119, 113,
  36, 49, 113, 97, 122, 50, 119, 115, 120, 51, 101, 100, 99, 52, 114, 102, 118, 53, 116, 103, 98, 54, 121, 104, 110, 55, 117, 106, 109, 56, 105, 107, 57, 111, 108, 48, 112,
  26, 113, 97, 122, 119, 115, 120, 101, 100, 99, 114, 102, 118, 116, 103, 98, 121, 104, 110, 117, 106, 109, 105, 107, 111, 108, 112,
  0,
]);

/** Built-in context word: the module's own name. */
// @ts-ignore: decorator
@lazy const SELF_NAME: usize = memory.data<u8>([0x69, 0x61, 0x63, 0x73, 0x65, 0x63]);

let dummy_ready: bool = false;

/** Characters (code points) in valid UTF-8. */
function chars(p: usize, n: usize): u32 {
  let c: u32 = 0;
  for (let i: usize = 0; i < n; i++) if ((load<u8>(p + i) & 0xc0) != 0x80) c++;
  return c;
}

function is_alpha(c: u8): bool { const l = lower(c); return (l >= 0x61 && l <= 0x7a) || c >= 0x80; }

/** True when s (lowercased, n bytes) is k >= 1 copies of the word at w (wn bytes). */
function repeats(s: usize, n: usize, w: usize, wn: usize): bool {
  if (wn == 0 || n % wn != 0) return false;
  for (let i: usize = 0; i < n; i += wn) if (memory.compare(s + i, w, wn) != 0) return false;
  return true;
}

function on_blocklist(s: usize, n: usize): bool {
  // The base: the password without digits and symbols at either end.
  let b0: usize = 0, b1 = n;
  while (b0 < n && !is_alpha(load<u8>(s + b0))) b0++;
  while (b1 > b0 && !is_alpha(load<u8>(s + b1 - 1))) b1--;
  let e = BLOCKLIST;
  while (true) {
    const wn = <usize>load<u8>(e);
    if (wn == 0) break;
    const w = e + 1;
    if (repeats(s, n, w, wn)) return true;
    if (b1 > b0 && repeats(s + b0, b1 - b0, w, wn)) return true;
    e = w + wn;
  }
  return false;
}

function is_walk(s: usize, n: usize): bool {
  let e = WALKS;
  while (true) {
    const wn = <usize>load<u8>(e);
    if (wn == 0) break;
    if (n <= wn) {
      for (let i: usize = 0; i + n <= wn; i++) if (memory.compare(e + 1 + i, s, n) == 0) return true;
    }
    e += 1 + wn;
  }
  return false;
}

function few_distinct(s: usize, n: usize): bool {
  // At most 4 different bytes (e.g. "aaaa...", "abababab...", "12121212...").
  let seen0: u64 = 0, seen1: u64 = 0, seen2: u64 = 0, seen3: u64 = 0;
  let d: u32 = 0;
  for (let i: usize = 0; i < n; i++) {
    const c = <u64>load<u8>(s + i);
    const bit: u64 = <u64>1 << (c & 63);
    const q = c >> 6;
    if (q == 0) { if (!(seen0 & bit)) { seen0 |= bit; d++; } }
    else if (q == 1) { if (!(seen1 & bit)) { seen1 |= bit; d++; } }
    else if (q == 2) { if (!(seen2 & bit)) { seen2 |= bit; d++; } }
    else { if (!(seen3 & bit)) { seen3 |= bit; d++; } }
  }
  return d < 5;
}

/**
 * Checks a candidate password against the policy (not the history, which
 * needs the account's salt): OK, ERR_LENGTH, ERR_MALFORMED or ERR_POLICY.
 */
export function password_policy(pw: usize, n: usize, user: usize, user_len: usize): i32 {
  if (n > <usize>PASSWORD_MAX_BYTES) return ERR_LENGTH;
  if (!utf8_valid(pw, n)) return ERR_MALFORMED;
  if (chars(pw, n) < prof(P_MIN_LENGTH)) return ERR_POLICY;
  for (let i: usize = 0; i < n; i++) store<u8>(LOWER + i, lower(load<u8>(pw + i)));
  let st = OK;
  if (on_blocklist(LOWER, n) || is_walk(LOWER, n) || few_distinct(LOWER, n)) st = ERR_POLICY;
  else if (contains_nocase(LOWER, n, user, user_len) || contains_nocase(LOWER, n, SELF_NAME, 6)) st = ERR_POLICY;
  else {
    const count = <u32>load<u8>(CONTEXT);
    for (let k: u32 = 0; k < count; k++) {
      const w = CONTEXT + 1 + <usize>k * (1 + CONTEXT_WORD_MAX_BYTES);
      if (contains_nocase(LOWER, n, w + 1, <usize>load<u8>(w))) { st = ERR_POLICY; break; }
    }
  }
  wipe(LOWER, PASSWORD_MAX_BYTES);
  return st;
}

/** Sets the context words from a list separated by newlines (each 3..32 bytes): OK or ERR_LENGTH. */
export function context_set(p: usize, n: usize): i32 {
  // Check first, then write: a refused list changes nothing.
  let count: u32 = 0, start: usize = 0;
  for (let i: usize = 0; i <= n; i++) {
    if (i == n || load<u8>(p + i) == 0x0a) {
      const wn = i - start;
      if (wn != 0) {
        if (wn < 3 || wn > <usize>CONTEXT_WORD_MAX_BYTES || count == CONTEXT_WORDS_MAX) return ERR_LENGTH;
        count++;
      }
      start = i + 1;
    }
  }
  memory.fill(CONTEXT, 0, 1 + CONTEXT_WORDS_MAX * (1 + CONTEXT_WORD_MAX_BYTES));
  count = 0;
  start = 0;
  for (let i: usize = 0; i <= n; i++) {
    if (i == n || load<u8>(p + i) == 0x0a) {
      const wn = i - start;
      if (wn != 0) {
        const w = CONTEXT + 1 + <usize>count * (1 + CONTEXT_WORD_MAX_BYTES);
        store<u8>(w, <u8>wn);
        memory.copy(w + 1, p + start, wn);
        count++;
      }
      start = i + 1;
    }
  }
  store<u8>(CONTEXT, <u8>count);
  return OK;
}

export function context_ptr(): usize { return CONTEXT; }
export const CONTEXT_BYTES: u32 = 1 + CONTEXT_WORDS_MAX * (1 + CONTEXT_WORD_MAX_BYTES);

/** PBKDF2 of the candidate under the account's history salt, into HD. */
function history_digest(r: usize, pw: usize, n: usize): void {
  pbkdf2_sha256(HD, 32, pw, n, r + A_HIST_SALT, 16, load<u32>(r + A_HIST_ITER));
}

/** True when HD is one of the account's last `profile history` passwords. */
function history_has(r: usize): bool {
  let keep = prof(P_HISTORY);
  const count = <u32>load<u8>(r + A_HIST_COUNT);
  if (keep > count) keep = count;
  let found: i32 = 0;
  let slot = <u32>load<u8>(r + A_HIST_NEXT);
  for (let k: u32 = 0; k < keep; k++) {
    slot = (slot + HISTORY_MAX - 1) % HISTORY_MAX;
    found |= ct_eq(HD, r + A_HIST + <usize>slot * HIST_DIGEST_BYTES, HIST_DIGEST_BYTES) + 1;
  }
  return found != 0;
}

/** True when the candidate is one of the last N passwords of the account at r. */
export function password_reused(r: usize, pw: usize, n: usize): bool {
  if (load<u8>(r + A_HIST_COUNT) == 0 || prof(P_HISTORY) == 0) return false;
  history_digest(r, pw, n);
  const used = history_has(r);
  wipe(HD, 32);
  return used;
}

/**
 * Sets the account's password: new salt, hash at the profile's iterations,
 * history entry. False when the host gave no randomness (nothing changed).
 */
export function password_store(r: usize, pw: usize, n: usize, now: i64): bool {
  if (!random_fill(DK, 16)) return false;
  if (load<u32>(r + A_HIST_ITER) == 0) {
    if (!random_fill(r + A_HIST_SALT, 16)) return false;
    store<u32>(r + A_HIST_ITER, prof(P_ITERATIONS));
  }
  memory.copy(r + A_SALT, DK, 16);
  const it = prof(P_ITERATIONS);
  store<u32>(r + A_ITER, it);
  pbkdf2_sha256(r + A_HASH, 32, pw, n, r + A_SALT, 16, it);
  history_digest(r, pw, n);
  const slot = <u32>load<u8>(r + A_HIST_NEXT);
  memory.copy(r + A_HIST + <usize>slot * HIST_DIGEST_BYTES, HD, HIST_DIGEST_BYTES);
  store<u8>(r + A_HIST_NEXT, <u8>((slot + 1) % HISTORY_MAX));
  const c = load<u8>(r + A_HIST_COUNT);
  if (<u32>c < HISTORY_MAX) store<u8>(r + A_HIST_COUNT, c + 1);
  store<i64>(r + A_PW_SET, now);
  wipe(HD, 32);
  wipe(DK, 32);
  return true;
}

/**
 * After a successful login with a hash made at another iteration count than
 * the profile's: the same password, a fresh salt, the profile's count (the
 * history and the time it was set stay). Keeps every account costing what an
 * unknown name costs (CR 1.10). False when the host gave no randomness.
 */
export function password_rehash(r: usize, pw: usize, n: usize): bool {
  const it = prof(P_ITERATIONS);
  if (load<u32>(r + A_ITER) == it) return true;
  if (!random_fill(DK, 16)) return false;
  memory.copy(r + A_SALT, DK, 16);
  store<u32>(r + A_ITER, it);
  pbkdf2_sha256(r + A_HASH, 32, pw, n, r + A_SALT, 16, it);
  wipe(DK, 32);
  return true;
}

/** Constant-time check of a password against the account at r. */
export function password_verify(r: usize, pw: usize, n: usize): bool {
  pbkdf2_sha256(DK, 32, pw, n, r + A_SALT, 16, load<u32>(r + A_ITER));
  const ok = ct_eq(DK, r + A_HASH, 32) == 0;
  wipe(DK, 32);
  return ok;
}

/**
 * The same work as password_verify for a name that has no account, a locked
 * or disabled one (CR 1.10: the same time and the same answer). Always false.
 */
export function password_dummy(pw: usize, n: usize): bool {
  if (!dummy_ready) {
    random_fill(DUMMY_SALT, 16);
    random_fill(DUMMY_HASH, 32);
    dummy_ready = true;
  }
  pbkdf2_sha256(DK, 32, pw, n, DUMMY_SALT, 16, prof(P_ITERATIONS));
  const r = ct_eq(DK, DUMMY_HASH, 32);
  wipe(DK, 32);
  return r == 0 && false;
}

