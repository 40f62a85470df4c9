// Exports for rate limiting (CR 7.1 RE1, CR 7.2; rule in assembly/ratelimit/gcra.ts).
// `now` is the host's current time, i64 milliseconds since the Unix epoch.

import { OK, ERR_BOUNDS, ERR_SELFTEST, ERR_INVALID, ERR_LENGTH } from "../status";
import { in_io, overlaps } from "./_io";
import { selftest_passed } from "../selftest_state";
import { RL_SOURCES_MAX, RL_SETS, RL_WAYS } from "../ratelimit/limits";
import { rl_check, rl_status, rl_configure, rl_count, rl_src_rate, rl_src_burst, rl_glob_rate, rl_glob_burst } from "../ratelimit/gcra";
import { SOURCE_MAX_BYTES, SESSION_ID_BYTES } from "../auth/limits";
import { accounts_provisioned, account_count } from "../auth/accounts";
import { admin_check, ev_subject } from "../auth/authz";
import { PERM_SECURITY_ADMIN } from "../auth/roles";
import { EV_RL_CONFIG_CHANGED } from "../auth/events";

/** One request from the source: OK, or ERR_LOCKED when it must be refused. */
export function iacsec_ratelimit_check(src: u32, src_len: u32, now: i64): i32 {
  if (!selftest_passed()) return ERR_SELFTEST;
  if (!in_io(src, src_len)) return ERR_BOUNDS;
  if (src_len > SOURCE_MAX_BYTES) return ERR_LENGTH;
  return rl_check(src, src_len, now);
}

/** The source's state (16 bytes, layout in iacsec.h). */
export function iacsec_ratelimit_status(src: u32, src_len: u32, out: u32, now: i64): i32 {
  if (!selftest_passed()) return ERR_SELFTEST;
  if (!in_io(src, src_len) || !in_io(out, 16)) return ERR_BOUNDS;
  if (src_len > SOURCE_MAX_BYTES) return ERR_LENGTH;
  if (overlaps(out, 16, src, src_len)) return ERR_INVALID;
  return rl_status(src, src_len, now, out);
}

/**
 * Sets the limits: per source rate (requests per second) and burst, global
 * rate (0: none) and burst. Needs SECURITY_ADMIN, except before the first
 * account exists (provisioning).
 */
export function iacsec_ratelimit_config(sid: u32, src_rate: i32, src_burst: i32, global_rate: i32, global_burst: i32, now: i64): i32 {
  if (!selftest_passed()) return ERR_SELFTEST;
  if (!in_io(sid, SESSION_ID_BYTES)) return ERR_BOUNDS;
  if (accounts_provisioned() || account_count() != 0) {
    const s = admin_check(sid, PERM_SECURITY_ADMIN, now);
    if (s < 0) return s;
  }
  if (src_rate < 0 || src_burst < 0 || global_rate < 0 || global_burst < 0) return ERR_INVALID;
  if (!rl_configure(<u32>src_rate, <u32>src_burst, <u32>global_rate, <u32>global_burst)) return ERR_INVALID;
  ev_subject(EV_RL_CONFIG_CHANGED, OK, 0, <u64>src_rate | (<u64>src_burst << 32));
  return OK;
}

/** The limits in force, into out (16 bytes: source rate, source burst, global rate, global burst, u32 each). */
export function iacsec_ratelimit_config_get(out: u32): i32 {
  if (!selftest_passed()) return ERR_SELFTEST;
  if (!in_io(out, 16)) return ERR_BOUNDS;
  store<u32>(out, rl_src_rate());
  store<u32>(out + 4, rl_src_burst());
  store<u32>(out + 8, rl_glob_rate());
  store<u32>(out + 12, rl_glob_burst());
  return OK;
}

/** Records in use (busy = 0) or records not back to full at now (busy = 1), into out[4]. */
export function iacsec_ratelimit_count(out: u32, busy: i32, now: i64): i32 {
  if (!selftest_passed()) return ERR_SELFTEST;
  if (!in_io(out, 4)) return ERR_BOUNDS;
  if (busy != 0 && busy != 1) return ERR_INVALID;
  store<u32>(out, rl_count(now, busy == 1));
  return OK;
}

export function iacsec_rl_sources_max(): i32 { return <i32>RL_SOURCES_MAX; }
export function iacsec_rl_sets(): i32 { return <i32>RL_SETS; }
export function iacsec_rl_ways(): i32 { return <i32>RL_WAYS; }
