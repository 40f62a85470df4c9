// Rate limiting (CR 7.1 RE1, CR 7.2): the generic cell rate algorithm (GCRA,
// ITU-T I.371) per source and for all sources together, in a fixed table.
//
// Each source (a keyed SipHash of its address) has a theoretical arrival
// time TAT. A request at time t is allowed when max(TAT, t) - t <= tau, and
// then TAT = max(TAT, t) + T, where T = 1 s / rate and tau = T * (burst - 1).
// A refused request changes nothing. A source is "back to full" when
// TAT <= t: it would be treated exactly like a new source.
//
// Table rule (documented in the README): the table never grows. A source's
// set holds RL_WAYS records. A new source takes a free record, or a record
// whose source is back to full (forgetting it loses nothing: it would come
// back in the same state). A record whose source is not back to full is
// never evicted, so a flood of new sources cannot push out a penalized
// source to give it a fresh allowance. When every record of the set holds a
// source that is not back to full, the new source is refused (fail closed)
// and ERR_LOCKED is answered; the refusal is recorded once per episode.
//
// The global limit is checked after the source's own: a request refused by
// either changes neither.

import { OK, ERR_LOCKED, ERR_STATE } from "../status";
import { RL_SETS, RL_WAYS, RL_ENTRY_BYTES } from "./limits";
import { siphash_ensure_key, source_key } from "./siphash";
import { auth_event0, EV_RL_SOURCE_LIMITED, EV_RL_GLOBAL_LIMITED, EV_RL_TABLE_FULL } from "../auth/events";

const FLAG: u64 = 0x8000_0000_0000_0000;
const KEYMASK: u64 = 0x7fff_ffff_ffff_ffff;
const NS: i64 = 1_000_000_000;

// @ts-ignore: decorator
@lazy const TABLE: usize = memory.data(<i32>(RL_SETS * RL_WAYS * RL_ENTRY_BYTES), 16);

// Configuration: emission interval and tolerance in ns; global rate 0 = no global limit.
let src_rate: u32 = 10;
let src_burst: u32 = 20;
let glob_rate: u32 = 1000;
let glob_burst: u32 = 1000;
let src_t: i64 = NS / 10;
let src_tau: i64 = (NS / 10) * 19;
let glob_t: i64 = NS / 1000;
let glob_tau: i64 = (NS / 1000) * 999;
let glob_tat: i64 = 0;
let glob_noted: bool = false;
let full_noted: bool = false;

export function rl_table_ptr(): usize { return TABLE; }
export function rl_src_rate(): u32 { return src_rate; }
export function rl_src_burst(): u32 { return src_burst; }
export function rl_glob_rate(): u32 { return glob_rate; }
export function rl_glob_burst(): u32 { return glob_burst; }

/** Sets the limits; false (nothing changed) when a figure is out of range. */
export function rl_configure(sr: u32, sb: u32, gr: u32, gb: u32): bool {
  if (sr < 1 || sr > 1_000_000_000 || sb < 1 || sb > 1_000_000) return false;
  if (gr > 1_000_000_000 || (gr != 0 && (gb < 1 || gb > 100_000_000))) return false;
  src_rate = sr; src_burst = sb; glob_rate = gr; glob_burst = gr == 0 ? 0 : gb;
  src_t = NS / <i64>sr;
  src_tau = src_t * <i64>(sb - 1);
  glob_t = gr == 0 ? 0 : NS / <i64>gr;
  glob_tau = gr == 0 ? 0 : glob_t * <i64>(gb - 1);
  return true;
}

/** Forgets every source (the limits stay). */
export function rl_reset_table(): void {
  memory.fill(TABLE, 0, RL_SETS * RL_WAYS * RL_ENTRY_BYTES);
  glob_tat = 0;
}

export function rl_reset(): void {
  memory.fill(TABLE, 0, RL_SETS * RL_WAYS * RL_ENTRY_BYTES);
  rl_configure(10, 20, 1000, 1000);
  glob_tat = 0;
  glob_noted = false;
  full_noted = false;
}

function set_of(key: u64): usize {
  return TABLE + <usize>((key >> 32) % <u64>RL_SETS) * <usize>(RL_WAYS * RL_ENTRY_BYTES);
}

/** The record holding key in its set, or 0. */
function find(set: usize, key: u64): usize {
  for (let w: u32 = 0; w < RL_WAYS; w++) {
    const e = set + <usize>w * RL_ENTRY_BYTES;
    if ((load<u64>(e) & KEYMASK) == key) return e;
  }
  return 0;
}

/** A record the key may take: free, or back to full at now; 0 when there is none. */
function claimable(set: usize, now: i64): usize {
  let best: usize = 0;
  let best_tat: i64 = i64.MAX_VALUE;
  for (let w: u32 = 0; w < RL_WAYS; w++) {
    const e = set + <usize>w * RL_ENTRY_BYTES;
    if (load<u64>(e) == 0) return e;
    const tat = load<i64>(e + 8);
    if (tat <= now && tat < best_tat) { best = e; best_tat = tat; }
  }
  return best;
}

function key_of(src: usize, slen: usize): u64 {
  let k = source_key(src, slen) & KEYMASK;
  return k == 0 ? 1 : k;
}

/** One request from the source at now_ms: OK, ERR_LOCKED (limited, or table full), ERR_STATE (no randomness). */
export function rl_check(src: usize, slen: usize, now_ms: i64): i32 {
  if (!siphash_ensure_key()) return ERR_STATE;
  const key = key_of(src, slen);
  const now = now_ms * 1_000_000;
  const set = set_of(key);
  let e = find(set, key);
  let tat: i64;
  if (e != 0) {
    tat = load<i64>(e + 8);
    if (tat < now) tat = now;
    if (tat - now > src_tau) {
      if ((load<u64>(e) & FLAG) == 0) {
        store<u64>(e, load<u64>(e) | FLAG);
        auth_event0(EV_RL_SOURCE_LIMITED, ERR_LOCKED, 0, key);
      }
      return ERR_LOCKED;
    }
  } else {
    e = claimable(set, now);
    if (e == 0) {
      if (!full_noted) { full_noted = true; auth_event0(EV_RL_TABLE_FULL, ERR_LOCKED, 0, key); }
      return ERR_LOCKED;
    }
    tat = now;
  }
  if (glob_rate != 0) {
    let g = glob_tat;
    if (g < now) g = now;
    if (g - now > glob_tau) {
      if (!glob_noted) { glob_noted = true; auth_event0(EV_RL_GLOBAL_LIMITED, ERR_LOCKED, 0, 0); }
      return ERR_LOCKED;
    }
    glob_tat = g + glob_t;
    glob_noted = false;
  }
  store<u64>(e, key);        // also clears the "limited" flag
  store<i64>(e + 8, tat + src_t);
  full_noted = false;
  return OK;
}

/**
 * What the table holds for the source at now_ms, into out (16 bytes):
 * [0,8) ms until its next request is allowed (0: now), [8] 1 when the source
 * has a record, [9] 1 when it is penalized (its next request would be refused).
 */
export function rl_status(src: usize, slen: usize, now_ms: i64, out: usize): i32 {
  if (!siphash_ensure_key()) return ERR_STATE;
  memory.fill(out, 0, 16);
  const key = key_of(src, slen);
  const now = now_ms * 1_000_000;
  const e = find(set_of(key), key);
  if (e == 0) return OK;
  store<u8>(out + 8, 1);
  let tat = load<i64>(e + 8);
  if (tat < now) tat = now;
  const wait = tat - now - src_tau;
  if (wait > 0) {
    store<u8>(out + 9, 1);
    store<i64>(out, (wait + 999_999) / 1_000_000);
  }
  return OK;
}

/** Records in use, and of those, records not back to full at now_ms. */
export function rl_count(now_ms: i64, penalized_only: bool): u32 {
  const now = now_ms * 1_000_000;
  let c: u32 = 0;
  for (let i: u32 = 0; i < RL_SETS * RL_WAYS; i++) {
    const e = TABLE + <usize>i * RL_ENTRY_BYTES;
    if (load<u64>(e) == 0) continue;
    if (!penalized_only || load<i64>(e + 8) > now) c++;
  }
  return c;
}
