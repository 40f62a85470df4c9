// The login decision (CR 1.1, 1.2 RE1 for humans, 1.5, 1.10, 1.11, 2.7) and
// the calls of a logged-in user on their own account: re-authentication of
// an idle-locked session (CR 2.5), password change, logout.
//
// CR 1.10: an unknown name, a wrong password, a disabled account and a locked
// account all cost one PBKDF2 derivation at the profile's iteration count and
// all answer ERR_AUTH; only the event records say which it was. A source that
// is locked answers ERR_LOCKED (that says nothing about any account).

import {
  OK, ERR_AUTH, ERR_LENGTH, ERR_MALFORMED, ERR_INVALID, ERR_LOCKED, ERR_STATE, ERR_MFA_REQUIRED, ERR_SESSION_LIMIT,
  ERR_POLICY,
} from "../status";
import { NAME_MAX_BYTES, PASSWORD_MAX_BYTES, SOURCE_MAX_BYTES, IFACES_MAX, SESSIONS_MAX } from "./limits";
import { prof, P_PER_USER, P_PER_IFACE, P_MAX_LIFETIME, P_MIN_LIFETIME, P_FLAGS, PF_MFA_ALL } from "./profile";
import {
  account_find, account_rec, A_FLAGS, A_ID, A_ROLE, A_PW_SET, A_LAST_LOGIN, A_LOCKED_UNTIL, A_NAME, A_NAME_LEN,
  AF_DISABLED, AF_MUST_CHANGE, AF_TOTP, AF_TOTP_PENDING, AF_DELAY, AF_MFA,
} from "./accounts";
import { role_flags, RF_MFA } from "./roles";
import { utf8_valid, no_controls } from "./_text";
import { password_verify, password_dummy, password_policy, password_reused, password_store, password_rehash } from "./password";
import {
  account_locked_until, account_lock_expire, account_fail, account_success, source_locked_until, source_fail,
  source_success, FAIL_LOCKED, FAIL_NO_SLOT,
} from "./lockout";
import {
  session_open, session_free_slot, sessions_of_account, sessions_on_iface, session_rec, session_close, session_touch,
  session_find, S_ACTIVE, SF_MUST_CHANGE,
} from "./sessions";
import { code_check, CODE_OK, CODE_RECOVERY, CODE_REPLAYED, last_recovery_index, last_code_step } from "./totp";
import { siphash_ensure_key, source_key } from "../ratelimit/siphash";
import { session_resolve, ev_subject, actor_rec } from "./authz";
import {
  auth_event, EV_LOGIN_OK, EV_LOGIN_FAILED, EV_LOGIN_BAD_INPUT, EV_LOGIN_ACCOUNT_LOCKED, EV_LOGIN_SOURCE_LOCKED,
  EV_ACCOUNT_LOCKED, EV_ACCOUNT_LOCK_EXPIRED, EV_SOURCE_LOCKED, EV_SOURCE_TABLE_FULL, EV_MFA_REQUIRED,
  EV_TOTP_REJECTED, EV_TOTP_REPLAYED, EV_RECOVERY_CODE_USED, EV_SESSION_LIMIT, EV_LOGIN_DELAYED,
  EV_SESSION_UNLOCKED, EV_PASSWORD_CHANGED, EV_PASSWORD_REJECTED, EV_SESSION_TERMINATED, EV_TOTP_CONFIRMED,
} from "./events";

let cur_source: u64 = 0;

function ev_login(t: u16, st: u32, r: usize, user: usize, ulen: usize, iface: i32, b: u64): void {
  const id = r == 0 ? 0 : load<u32>(r + A_ID);
  auth_event(t, <i32>st, id, 0, b, 0, 0, iface, user, ulen);
}

/** Whether the account at r must present a second factor (CR 1.1 RE2: per account, per role, per profile). */
export function mfa_needed(r: usize): bool {
  const f = load<u8>(r + A_FLAGS);
  return (f & (AF_TOTP | AF_MFA)) != 0 || (role_flags(<u32>load<u8>(r + A_ROLE)) & RF_MFA) != 0
    || (prof(P_FLAGS) & PF_MFA_ALL) != 0;
}

/** Counts a failure for the account (record r, or 0) and the source; records what it caused. */
function count_failure(r: usize, user: usize, ulen: usize, iface: i32, now: i64): void {
  if (r != 0) {
    if (account_fail(r, now) == FAIL_LOCKED) {
      const delayed = (load<u8>(r + A_FLAGS) & AF_DELAY) != 0;
      const until = load<i64>(r + A_LOCKED_UNTIL);
      ev_login(delayed ? EV_LOGIN_DELAYED : EV_ACCOUNT_LOCKED, <u32>ERR_LOCKED, r, user, ulen, iface,
        until == i64.MAX_VALUE ? <u64>-1 : <u64>until);
    }
  }
  const sf = source_fail(cur_source, now);
  if (sf == FAIL_LOCKED) ev_login(EV_SOURCE_LOCKED, <u32>ERR_LOCKED, r, user, ulen, iface, cur_source);
  else if (sf == FAIL_NO_SLOT) ev_login(EV_SOURCE_TABLE_FULL, <u32>ERR_LOCKED, r, user, ulen, iface, cur_source);
}

/** Checks the second factor; ERR_AUTH (counted) when wrong or replayed. */
function second_factor(r: usize, code: usize, clen: usize, user: usize, ulen: usize, iface: i32, now: i64): i32 {
  const v = code_check(r, code, clen, now / 1000);
  if (v == CODE_OK) return OK;
  if (v == CODE_RECOVERY) {
    ev_login(EV_RECOVERY_CODE_USED, OK, r, user, ulen, iface, <u64>last_recovery_index());
    return OK;
  }
  ev_login(v == CODE_REPLAYED ? EV_TOTP_REPLAYED : EV_TOTP_REJECTED, <u32>ERR_AUTH, r, user, ulen, iface,
    v == CODE_REPLAYED ? <u64>last_code_step() : 0);
  count_failure(r, user, ulen, iface, now);
  return ERR_AUTH;
}

/**
 * Login: writes a new 16-byte session id to out and answers OK, or answers
 * ERR_AUTH, ERR_LOCKED (source locked), ERR_MFA_REQUIRED, ERR_SESSION_LIMIT,
 * ERR_LENGTH, ERR_MALFORMED, ERR_INVALID (interface), ERR_STATE (no randomness).
 */
export function login(
  out: usize, user: usize, ulen: usize, pw: usize, plen: usize, code: usize, clen: usize,
  src: usize, slen: usize, iface: i32, now: i64,
): i32 {
  const shown = ulen > <usize>NAME_MAX_BYTES ? <usize>NAME_MAX_BYTES : ulen;
  if (ulen == 0 || ulen > <usize>NAME_MAX_BYTES || plen == 0 || plen > <usize>PASSWORD_MAX_BYTES
    || slen > <usize>SOURCE_MAX_BYTES || clen > 16) {
    const ok_name = utf8_valid(user, shown);
    ev_login(EV_LOGIN_BAD_INPUT, <u32>ERR_LENGTH, 0, ok_name ? user : 0, ok_name ? shown : 0, iface, 0);
    return ERR_LENGTH;
  }
  if (iface < 0 || <u32>iface >= IFACES_MAX) {
    ev_login(EV_LOGIN_BAD_INPUT, <u32>ERR_INVALID, 0, 0, 0, -1, 0);
    return ERR_INVALID;
  }
  if (!utf8_valid(user, ulen) || !no_controls(user, ulen) || !utf8_valid(pw, plen)) {
    ev_login(EV_LOGIN_BAD_INPUT, <u32>ERR_MALFORMED, 0, 0, 0, iface, 0);
    return ERR_MALFORMED;
  }
  if (!siphash_ensure_key()) return ERR_STATE;
  cur_source = source_key(src, slen);
  if (source_locked_until(cur_source, now) != 0) {
    ev_login(EV_LOGIN_SOURCE_LOCKED, <u32>ERR_LOCKED, 0, user, ulen, iface, cur_source);
    return ERR_LOCKED;
  }
  const ai = account_find(user, ulen);
  const r: usize = ai < 0 ? 0 : account_rec(<u32>ai);
  if (r != 0 && account_lock_expire(r, now)) ev_login(EV_ACCOUNT_LOCK_EXPIRED, OK, r, user, ulen, iface, 0);
  const locked = r != 0 && account_locked_until(r, now) != 0;
  const disabled = r != 0 && (load<u8>(r + A_FLAGS) & AF_DISABLED) != 0;
  let ok: bool;
  if (r == 0 || locked || disabled) ok = password_dummy(pw, plen);
  else ok = password_verify(r, pw, plen);
  if (locked) {
    ev_login(EV_LOGIN_ACCOUNT_LOCKED, <u32>ERR_AUTH, r, user, ulen, iface, <u64>load<i64>(r + A_LOCKED_UNTIL));
    count_failure(0, user, ulen, iface, now);
    return ERR_AUTH;
  }
  if (!ok) {
    ev_login(EV_LOGIN_FAILED, <u32>ERR_AUTH, disabled ? r : r, user, ulen, iface, cur_source);
    count_failure(disabled ? 0 : r, user, ulen, iface, now);
    return ERR_AUTH;
  }
  // The password is right.
  const pending = (load<u8>(r + A_FLAGS) & AF_TOTP_PENDING) != 0;
  if (mfa_needed(r) || (pending && clen != 0)) {
    if (((load<u8>(r + A_FLAGS) & AF_TOTP) == 0 && !pending) || clen == 0) {
      ev_login(EV_MFA_REQUIRED, <u32>ERR_MFA_REQUIRED, r, user, ulen, iface, cur_source);
      return ERR_MFA_REQUIRED;
    }
    // A pending enrolment is confirmed by its first code, here or through iacsec_totp_confirm.
    if (pending && clen == 10) {
      ev_login(EV_TOTP_REJECTED, <u32>ERR_AUTH, r, user, ulen, iface, 0);
      count_failure(r, user, ulen, iface, now);
      return ERR_AUTH;
    }
    const st = second_factor(r, code, clen, user, ulen, iface, now);
    if (st != OK) return st;
    if (pending) {
      store<u8>(r + A_FLAGS, (load<u8>(r + A_FLAGS) & ~AF_TOTP_PENDING) | AF_TOTP);
      ev_login(EV_TOTP_CONFIRMED, OK, r, user, ulen, iface, 0);
    }
  }
  account_success(r);
  source_success(cur_source);
  const id = load<u32>(r + A_ID);
  if (sessions_of_account(id) >= prof(P_PER_USER)) {
    ev_login(EV_SESSION_LIMIT, <u32>ERR_SESSION_LIMIT, r, user, ulen, iface, 1);
    return ERR_SESSION_LIMIT;
  }
  if (sessions_on_iface(<u8>iface) >= prof(P_PER_IFACE)) {
    ev_login(EV_SESSION_LIMIT, <u32>ERR_SESSION_LIMIT, r, user, ulen, iface, 2);
    return ERR_SESSION_LIMIT;
  }
  const slot = session_free_slot();
  if (slot < 0) {
    ev_login(EV_SESSION_LIMIT, <u32>ERR_SESSION_LIMIT, r, user, ulen, iface, 3);
    return ERR_SESSION_LIMIT;
  }
  let flags: u8 = 0;
  const maxlife = prof(P_MAX_LIFETIME);
  if ((load<u8>(r + A_FLAGS) & AF_MUST_CHANGE) != 0
    || (maxlife != 0 && now - load<i64>(r + A_PW_SET) >= <i64>maxlife * 1000)) flags = SF_MUST_CHANGE;
  if (!session_open(<u32>slot, out, id, <u32>ai, <u8>iface, flags, cur_source, now)) return ERR_STATE;
  password_rehash(r, pw, plen);
  store<i64>(r + A_LAST_LOGIN, now);
  ev_login(EV_LOGIN_OK, OK, r, user, ulen, iface, cur_source);
  return OK;
}

/** Re-authentication of the session's own user after an idle lock (CR 2.5). */
export function session_unlock(id: usize, pw: usize, plen: usize, code: usize, clen: usize, now: i64): i32 {
  if (plen == 0 || plen > <usize>PASSWORD_MAX_BYTES || clen > 16) return ERR_LENGTH;
  const s = session_resolve(id, now, true);
  if (s < 0) return s;
  const rec = session_rec(<u32>s);
  const r = actor_rec();
  const user = r + A_NAME, ulen = <usize>load<u8>(r + A_NAME_LEN);
  const iface = <i32>load<u8>(rec + 17);
  cur_source = load<u64>(rec + 48);
  if (account_locked_until(r, now) != 0) {
    password_dummy(pw, plen);
    ev_login(EV_LOGIN_ACCOUNT_LOCKED, <u32>ERR_AUTH, r, user, ulen, iface, <u64>load<i64>(r + A_LOCKED_UNTIL));
    return ERR_AUTH;
  }
  if (!utf8_valid(pw, plen) || !password_verify(r, pw, plen)) {
    ev_login(EV_LOGIN_FAILED, <u32>ERR_AUTH, r, user, ulen, iface, cur_source);
    count_failure(r, user, ulen, iface, now);
    return ERR_AUTH;
  }
  if (mfa_needed(r)) {
    if ((load<u8>(r + A_FLAGS) & AF_TOTP) == 0 || clen == 0) return ERR_MFA_REQUIRED;
    const st = second_factor(r, code, clen, user, ulen, iface, now);
    if (st != OK) return st;
  }
  // Not account_success: only a login ends a run of failures (CR 1.11: no other path resets it).
  store<u8>(rec + 18, S_ACTIVE);
  session_touch(<u32>s, now);
  ev_subject(EV_SESSION_UNLOCKED, OK, r, <u64>load<u32>(rec + 24));
  return OK;
}

/**
 * The session's user changes their own password (CR 1.5 RE1, CR 1.7):
 * OK, ERR_AUTH (old password wrong, counted as a failure), ERR_POLICY,
 * ERR_LENGTH, ERR_MALFORMED. Every other session of the account ends.
 */
export function password_change(id: usize, old: usize, olen: usize, pw: usize, plen: usize, now: i64): i32 {
  if (olen == 0 || olen > <usize>PASSWORD_MAX_BYTES || plen == 0) return ERR_LENGTH;
  const s = session_resolve(id, now, false);
  if (s < 0) return s;
  const rec = session_rec(<u32>s);
  const r = actor_rec();
  const user = r + A_NAME, ulen = <usize>load<u8>(r + A_NAME_LEN);
  const iface = <i32>load<u8>(rec + 17);
  cur_source = load<u64>(rec + 48);
  if (!utf8_valid(old, olen) || !password_verify(r, old, olen)) {
    ev_login(EV_LOGIN_FAILED, <u32>ERR_AUTH, r, user, ulen, iface, cur_source);
    count_failure(r, user, ulen, iface, now);
    return ERR_AUTH;
  }
  let st = password_policy(pw, plen, user, ulen);
  const forced = (load<u8>(r + A_FLAGS) & AF_MUST_CHANGE) != 0 || (load<u8>(rec + 19) & SF_MUST_CHANGE) != 0;
  if (st == OK && !forced && now - load<i64>(r + A_PW_SET) < <i64>prof(P_MIN_LIFETIME) * 1000) st = ERR_POLICY;
  if (st == OK && password_reused(r, pw, plen)) st = ERR_POLICY;
  if (st != OK) {
    ev_subject(EV_PASSWORD_REJECTED, st, r, 0);
    return st;
  }
  if (!password_store(r, pw, plen, now)) return ERR_STATE;
  store<u8>(r + A_FLAGS, load<u8>(r + A_FLAGS) & ~AF_MUST_CHANGE);
  store<u8>(rec + 19, load<u8>(rec + 19) & ~SF_MUST_CHANGE);
  session_touch(<u32>s, now);
  // Other sessions of this account end: they were opened with the old password.
  const aid = load<u32>(r + A_ID);
  for (let i: u32 = 0; i < SESSIONS_MAX; i++) {
    if (i == <u32>s) continue;
    const o = session_rec(i);
    if (load<u8>(o + 16) == 1 && load<u32>(o + 20) == aid) {
      ev_subject(EV_SESSION_TERMINATED, OK, r, <u64>load<u32>(o + 24));
      session_close(i);
    }
  }
  ev_subject(EV_PASSWORD_CHANGED, OK, r, 0);
  return OK;
}

/** Ends the session (its id is forgotten at once). */
export function logout(id: usize, now: i64): i32 {
  const s = session_find(id);
  if (s < 0) return session_resolve(id, now, true);
  const rec = session_rec(<u32>s);
  const serial = <u64>load<u32>(rec + 24);
  const r = session_resolve(id, now, true);
  if (r < 0) return r;
  ev_subject(EV_SESSION_TERMINATED, OK, actor_rec(), serial);
  session_close(<u32>s);
  return OK;
}

