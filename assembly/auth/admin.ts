// Account, role, profile and session administration (CR 1.3, 1.4, 1.5, 2.1
// RE2, 2.6). Every call names the administrator's session; it must hold the
// permission the call needs (USER_ADMIN for accounts, ROLE_ADMIN for roles,
// SECURITY_ADMIN for locks, profile and context, SESSION_ADMIN for
// sessions), else the call is refused, recorded, and changes nothing. Every
// change is recorded with the administrator and the subject.
//
// The component can never be left without an administrator: the last enabled
// account with role 0 cannot be removed, disabled, locked or given another
// role (ERR_STATE).

import {
  OK, END, ERR_LENGTH, ERR_MALFORMED, ERR_INVALID, ERR_STATE, ERR_FULL, ERR_NAME_TAKEN, ERR_UNKNOWN_ROLE,
  ERR_UNSUPPORTED, ERR_AUTH,
} from "../status";
import { NAME_MAX_BYTES, ACCOUNTS_MAX, ROLES_MAX, ROLE_NAME_MAX_BYTES, SESSIONS_MAX, RECOVERY_CODES, SOURCE_MAX_BYTES } from "./limits";
import { profile_valid, profile_load, prof, P_ITERATIONS } from "./profile";
import {
  account_find, account_rec, account_used, account_free_slot, account_claim, account_erase, accounts_provisioned,
  accounts_set_provisioned, account_count, A_FLAGS, A_ROLE, A_ID, A_NAME, A_NAME_LEN, A_ITER, A_FAILS, A_LOCKED_UNTIL,
  A_PW_SET, A_LAST_LOGIN, A_CREATED, A_TOTP_SECRET, A_TOTP_LEN, A_TOTP_ALG, A_TOTP_DIGITS, A_TOTP_PERIOD, A_TOTP_LAST,
  A_RECOVERY_KEY, A_RECOVERY_USED, A_FIRST_FAIL, AF_DISABLED, AF_MUST_CHANGE, AF_SETTABLE, AF_TOTP, AF_TOTP_PENDING,
  LOCK_FOREVER,
} from "./accounts";
import { role_exists, role_set, role_remove, role_rec, PERM_USER_ADMIN, PERM_ROLE_ADMIN, PERM_SECURITY_ADMIN, PERM_SESSION_ADMIN } from "./roles";
import { utf8_valid, no_controls } from "./_text";
import { password_policy, password_store, context_set } from "./password";
import { account_lock, account_unlock, account_locked_until, source_unlock } from "./lockout";
import { session_rec, session_used, session_close, sessions_close_account, session_by_serial, session_timing, T_EXPIRE } from "./sessions";
import { admin_check, ev_subject, actor_clear, actor_rec, session_resolve } from "./authz";
import { code_check, hotp, alg_valid, ALG_SHA256, CODE_OK } from "./totp";
import { random_fill } from "./_random";
import { siphash_ensure_key, source_key } from "../ratelimit/siphash";
import {
  auth_event, EV_PROVISIONED, EV_USER_ADDED, EV_USER_MODIFIED, EV_USER_DISABLED, EV_USER_ENABLED, EV_USER_REMOVED,
  EV_PASSWORD_CHANGED, EV_PASSWORD_REJECTED, EV_ACCOUNT_UNLOCKED, EV_ACCOUNT_LOCKED_BY_ADMIN, EV_SOURCE_UNLOCKED,
  EV_ROLE_CHANGED, EV_ROLE_REMOVED, EV_PROFILE_CHANGED, EV_CONTEXT_CHANGED, EV_SESSION_TERMINATED, EV_TOTP_ENROLLED,
  EV_TOTP_CONFIRMED, EV_TOTP_REJECTED, EV_LOGIN_BAD_INPUT,
} from "./events";

function name_ok(p: usize, n: usize): i32 {
  if (n == 0 || n > <usize>NAME_MAX_BYTES) return ERR_LENGTH;
  if (!utf8_valid(p, n) || !no_controls(p, n)) return ERR_MALFORMED;
  return OK;
}

/** Enabled accounts holding role 0, other than the one at index skip. */
function other_admins(skip: i32): u32 {
  let c: u32 = 0;
  for (let i: u32 = 0; i < ACCOUNTS_MAX; i++) {
    if (<i32>i == skip || !account_used(i)) continue;
    const r = account_rec(i);
    if (load<u8>(r + A_ROLE) == 0 && (load<u8>(r + A_FLAGS) & AF_DISABLED) == 0) c++;
  }
  return c;
}

function bad_input(st: i32): i32 {
  ev_subject(EV_LOGIN_BAD_INPUT, st, 0, 0);
  return st;
}

/**
 * Provisioning: creates the first administrator while no account exists and
 * the module was never provisioned. factory_default = 1 marks it a factory
 * default account that must change its password at its first login (CR 1.5);
 * 0 is a provisioning step that sets the administrator's own password, which
 * must meet the policy.
 */
export function provision(name: usize, nlen: usize, pw: usize, plen: usize, factory_default: i32, now: i64): i32 {
  actor_clear();
  if (factory_default != 0 && factory_default != 1) return ERR_INVALID;
  let st = name_ok(name, nlen);
  if (st != OK) return bad_input(st);
  if (accounts_provisioned() || account_count() != 0) return ERR_STATE;
  if (plen == 0) return bad_input(ERR_LENGTH);
  st = factory_default == 1 ? (plen > 128 ? ERR_LENGTH : utf8_valid(pw, plen) ? OK : ERR_MALFORMED) : password_policy(pw, plen, name, nlen);
  if (st != OK) {
    ev_subject(EV_PASSWORD_REJECTED, st, 0, 0);
    return st;
  }
  const slot = account_free_slot();
  account_claim(<u32>slot, name, nlen, 0, now);
  const r = account_rec(<u32>slot);
  if (!password_store(r, pw, plen, now)) { account_erase(<u32>slot); return ERR_STATE; }
  if (factory_default == 1) store<u8>(r + A_FLAGS, AF_MUST_CHANGE);
  accounts_set_provisioned(true);
  ev_subject(EV_PROVISIONED, OK, r, <u64>factory_default);
  return OK;
}

export function user_add(sid: usize, name: usize, nlen: usize, pw: usize, plen: usize, role: i32, now: i64): i32 {
  const s = admin_check(sid, PERM_USER_ADMIN, now);
  if (s < 0) return s;
  let st = name_ok(name, nlen);
  if (st != OK) return bad_input(st);
  if (!role_exists(role)) return bad_input(ERR_UNKNOWN_ROLE);
  if (plen == 0) return bad_input(ERR_LENGTH);
  if (account_find(name, nlen) >= 0) return bad_input(ERR_NAME_TAKEN);
  st = password_policy(pw, plen, name, nlen);
  if (st != OK) { ev_subject(EV_PASSWORD_REJECTED, st, 0, 0); return st; }
  const slot = account_free_slot();
  if (slot < 0) return bad_input(ERR_FULL);
  account_claim(<u32>slot, name, nlen, <u8>role, now);
  const r = account_rec(<u32>slot);
  if (!password_store(r, pw, plen, now)) { account_erase(<u32>slot); return ERR_STATE; }
  // A password chosen by an administrator is temporary (CR 1.5 RE1).
  store<u8>(r + A_FLAGS, AF_MUST_CHANGE);
  ev_subject(EV_USER_ADDED, OK, r, <u64>role);
  return OK;
}

/** subject() for a name with no account; callers answer END. */
const NO_ACCOUNT: i32 = -1000;

/** Finds the subject account for an administrative call: index, or a negative status (recorded). */
function subject(name: usize, nlen: usize): i32 {
  const st = name_ok(name, nlen);
  if (st != OK) return bad_input(st);
  const i = account_find(name, nlen);
  if (i < 0) { ev_subject(EV_LOGIN_BAD_INPUT, END, 0, 0); return NO_ACCOUNT; }
  return i;
}

export function user_passwd(sid: usize, name: usize, nlen: usize, pw: usize, plen: usize, now: i64): i32 {
  const s = admin_check(sid, PERM_USER_ADMIN, now);
  if (s < 0) return s;
  const i = subject(name, nlen);
  if (i < 0) return i == NO_ACCOUNT ? END : i;
  const r = account_rec(<u32>i);
  if (plen == 0) return bad_input(ERR_LENGTH);
  const st = password_policy(pw, plen, name, nlen);
  if (st != OK) { ev_subject(EV_PASSWORD_REJECTED, st, r, 1); return st; }
  if (!password_store(r, pw, plen, now)) return ERR_STATE;
  store<u8>(r + A_FLAGS, load<u8>(r + A_FLAGS) | AF_MUST_CHANGE);
  sessions_close_account(load<u32>(r + A_ID));
  ev_subject(EV_PASSWORD_CHANGED, OK, r, 1);
  return OK;
}

/** Role (-1: keep) and the settable flags (AF_DELAY, AF_MFA; -1: keep). */
export function user_modify(sid: usize, name: usize, nlen: usize, role: i32, flags: i32, now: i64): i32 {
  const s = admin_check(sid, PERM_USER_ADMIN, now);
  if (s < 0) return s;
  const i = subject(name, nlen);
  if (i < 0) return i == NO_ACCOUNT ? END : i;
  const r = account_rec(<u32>i);
  if (role != -1 && !role_exists(role)) return bad_input(ERR_UNKNOWN_ROLE);
  if (flags != -1 && (flags < 0 || (flags & ~<i32>AF_SETTABLE) != 0)) return bad_input(ERR_INVALID);
  if (role != -1 && role != 0 && load<u8>(r + A_ROLE) == 0 && other_admins(i) == 0) return ERR_STATE;
  if (role != -1) store<u8>(r + A_ROLE, <u8>role);
  if (flags != -1) store<u8>(r + A_FLAGS, (load<u8>(r + A_FLAGS) & ~AF_SETTABLE) | <u8>flags);
  ev_subject(EV_USER_MODIFIED, OK, r, <u64>load<u8>(r + A_ROLE) | (<u64>load<u8>(r + A_FLAGS) << 8));
  return OK;
}

export function user_enable(sid: usize, name: usize, nlen: usize, enable: i32, now: i64): i32 {
  const s = admin_check(sid, PERM_USER_ADMIN, now);
  if (s < 0) return s;
  if (enable != 0 && enable != 1) return bad_input(ERR_INVALID);
  const i = subject(name, nlen);
  if (i < 0) return i == NO_ACCOUNT ? END : i;
  const r = account_rec(<u32>i);
  if (enable == 0) {
    if (load<u8>(r + A_ROLE) == 0 && other_admins(i) == 0) return ERR_STATE;
    store<u8>(r + A_FLAGS, load<u8>(r + A_FLAGS) | AF_DISABLED);
    sessions_close_account(load<u32>(r + A_ID));
    ev_subject(EV_USER_DISABLED, OK, r, 0);
  } else {
    store<u8>(r + A_FLAGS, load<u8>(r + A_FLAGS) & ~AF_DISABLED);
    ev_subject(EV_USER_ENABLED, OK, r, 0);
  }
  return OK;
}

export function user_remove(sid: usize, name: usize, nlen: usize, now: i64): i32 {
  const s = admin_check(sid, PERM_USER_ADMIN, now);
  if (s < 0) return s;
  const i = subject(name, nlen);
  if (i < 0) return i == NO_ACCOUNT ? END : i;
  const r = account_rec(<u32>i);
  if (load<u8>(r + A_ROLE) == 0 && other_admins(i) == 0) return ERR_STATE;
  sessions_close_account(load<u32>(r + A_ID));
  ev_subject(EV_USER_REMOVED, OK, r, 0);
  account_erase(<u32>i);
  return OK;
}

/** lock = 1: lock until unlocked; 0: unlock and reset the failure count (CR 1.11). */
export function user_lock(sid: usize, name: usize, nlen: usize, lock: i32, now: i64): i32 {
  const s = admin_check(sid, PERM_SECURITY_ADMIN, now);
  if (s < 0) return s;
  if (lock != 0 && lock != 1) return bad_input(ERR_INVALID);
  const i = subject(name, nlen);
  if (i < 0) return i == NO_ACCOUNT ? END : i;
  const r = account_rec(<u32>i);
  if (lock == 1) {
    if (load<u8>(r + A_ROLE) == 0 && other_admins(i) == 0) return ERR_STATE;
    account_lock(r);
    sessions_close_account(load<u32>(r + A_ID));
    ev_subject(EV_ACCOUNT_LOCKED_BY_ADMIN, OK, r, <u64>-1);
  } else {
    account_unlock(r);
    ev_subject(EV_ACCOUNT_UNLOCKED, OK, r, 0);
  }
  return OK;
}

/** Clears a source's failure count and lock. OK, or END when the source has no record. */
export function source_unlock_admin(sid: usize, src: usize, slen: usize, now: i64): i32 {
  const s = admin_check(sid, PERM_SECURITY_ADMIN, now);
  if (s < 0) return s;
  if (slen > <usize>SOURCE_MAX_BYTES) return bad_input(ERR_LENGTH);
  if (!siphash_ensure_key()) return ERR_STATE;
  const key = source_key(src, slen);
  if (!source_unlock(key)) return END;
  ev_subject(EV_SOURCE_UNLOCKED, OK, 0, key);
  return OK;
}

/**
 * Account information (USER_INFO_BYTES, no secret): [0,4) id, [4] role,
 * [5] flags, [6,8) consecutive failures, [8,16) locked until (ms; 0 not
 * locked; -1 until an administrator unlocks), [16,24) password set at,
 * [24,32) last login, [32,40) created, [40,44) PBKDF2 iterations,
 * [44] TOTP digits (0 none), [45] TOTP algorithm, [46,48) recovery codes left,
 * [48] name length, [49,81) name, rest zero.
 */
function info_write(r: usize, out: usize, now: i64): void {
  memory.fill(out, 0, 96);
  store<u32>(out, load<u32>(r + A_ID));
  store<u8>(out + 4, load<u8>(r + A_ROLE));
  store<u8>(out + 5, load<u8>(r + A_FLAGS));
  store<u16>(out + 6, load<u16>(r + A_FAILS));
  const u = account_locked_until(r, now);
  store<i64>(out + 8, u == LOCK_FOREVER ? -1 : u);
  store<i64>(out + 16, load<i64>(r + A_PW_SET));
  store<i64>(out + 24, load<i64>(r + A_LAST_LOGIN));
  store<i64>(out + 32, load<i64>(r + A_CREATED));
  store<u32>(out + 40, load<u32>(r + A_ITER));
  const f = load<u8>(r + A_FLAGS);
  if ((f & (AF_TOTP | AF_TOTP_PENDING)) != 0) {
    store<u8>(out + 44, load<u8>(r + A_TOTP_DIGITS));
    store<u8>(out + 45, load<u8>(r + A_TOTP_ALG));
    store<u16>(out + 46, <u16>(RECOVERY_CODES - <u32>popcnt<u16>(load<u16>(r + A_RECOVERY_USED))));
  }
  const n = load<u8>(r + A_NAME_LEN);
  store<u8>(out + 48, n);
  memory.copy(out + 49, r + A_NAME, <usize>n);
}

/** The lock query and more: by name. OK, or END when there is no such account. */
export function user_info(sid: usize, name: usize, nlen: usize, out: usize, now: i64): i32 {
  const s = admin_check(sid, PERM_USER_ADMIN, now);
  if (s < 0) return s;
  const st = name_ok(name, nlen);
  if (st != OK) return bad_input(st);
  const i = account_find(name, nlen);
  if (i < 0) return END;
  info_write(account_rec(<u32>i), out, now);
  return OK;
}

/** The n-th account (0-based, in table order): OK, or END past the last. */
export function user_info_at(sid: usize, n: i32, out: usize, now: i64): i32 {
  const s = admin_check(sid, PERM_USER_ADMIN, now);
  if (s < 0) return s;
  if (n < 0) return ERR_INVALID;
  let k: i32 = 0;
  for (let i: u32 = 0; i < ACCOUNTS_MAX; i++) {
    if (!account_used(i)) continue;
    if (k++ == n) { info_write(account_rec(i), out, now); return OK; }
  }
  return END;
}

/** Creates or changes role index i (1..ROLES_MAX-1; role 0's permissions are fixed, its name may change). */
export function role_define(sid: usize, i: i32, name: usize, nlen: usize, perms: u32, flags: i32, now: i64): i32 {
  const s = admin_check(sid, PERM_ROLE_ADMIN, now);
  if (s < 0) return s;
  if (i < 0 || <u32>i >= ROLES_MAX) return bad_input(ERR_UNKNOWN_ROLE);
  if (nlen == 0 || nlen > <usize>ROLE_NAME_MAX_BYTES) return bad_input(ERR_LENGTH);
  if (!utf8_valid(name, nlen) || !no_controls(name, nlen)) return bad_input(ERR_MALFORMED);
  if (flags < 0 || flags > 1) return bad_input(ERR_INVALID);
  role_set(<u32>i, name, nlen, perms, <u8>flags);
  const r = role_rec(<u32>i);
  auth_event(EV_ROLE_CHANGED, OK, <u32>i, load<u32>(actor_rec() + A_ID), <u64>load<u32>(r + 4) | (<u64>flags << 32),
    actor_rec() + A_NAME, <usize>load<u8>(actor_rec() + A_NAME_LEN), -1, name, nlen);
  return OK;
}

/** Removes a role no account holds (ERR_STATE otherwise; role 0 never). */
export function role_delete(sid: usize, i: i32, now: i64): i32 {
  const s = admin_check(sid, PERM_ROLE_ADMIN, now);
  if (s < 0) return s;
  if (!role_exists(i)) return bad_input(ERR_UNKNOWN_ROLE);
  if (i == 0) return ERR_STATE;
  for (let k: u32 = 0; k < ACCOUNTS_MAX; k++) {
    if (account_used(k) && <i32>load<u8>(account_rec(k) + A_ROLE) == i) return ERR_STATE;
  }
  const r = role_rec(<u32>i);
  auth_event(EV_ROLE_REMOVED, OK, <u32>i, load<u32>(actor_rec() + A_ID), 0,
    actor_rec() + A_NAME, <usize>load<u8>(actor_rec() + A_NAME_LEN), -1, r + 8, <usize>load<u8>(r + 1));
  role_remove(<u32>i);
  return OK;
}

/**
 * Sets the security profile. Needs SECURITY_ADMIN, except before the first
 * account exists (provisioning), when the session is not looked at.
 */
export function profile_set(sid: usize, p: usize, now: i64): i32 {
  if (accounts_provisioned() || account_count() != 0) {
    const s = admin_check(sid, PERM_SECURITY_ADMIN, now);
    if (s < 0) return s;
  } else actor_clear();
  if (!profile_valid(p)) return bad_input(ERR_INVALID);
  profile_load(p);
  ev_subject(EV_PROFILE_CHANGED, OK, 0, <u64>prof(P_ITERATIONS));
  return OK;
}

/** Sets the context words (newline-separated) no password may contain. Same rule as profile_set. */
export function context_define(sid: usize, p: usize, n: usize, now: i64): i32 {
  if (accounts_provisioned() || account_count() != 0) {
    const s = admin_check(sid, PERM_SECURITY_ADMIN, now);
    if (s < 0) return s;
  } else actor_clear();
  if (!utf8_valid(p, n)) return bad_input(ERR_MALFORMED);
  const st = context_set(p, n);
  if (st != OK) return bad_input(st);
  ev_subject(EV_CONTEXT_CHANGED, OK, 0, <u64>n);
  return OK;
}

/**
 * Session information (SESSION_INFO_BYTES; the id is not in it): [0,4) serial,
 * [4,8) account id, [8] interface, [9] state (1 active, 2 locked), [10] flags,
 * [11] role, [12,16) 0, [16,24) created, [24,32) last activity, [32] name length,
 * [33,65) name.
 */
function session_info_write(i: u32, out: usize): void {
  const rec = session_rec(i);
  memory.fill(out, 0, 64);
  store<u32>(out, load<u32>(rec + 24));
  store<u32>(out + 4, load<u32>(rec + 20));
  store<u8>(out + 8, load<u8>(rec + 17));
  store<u8>(out + 9, load<u8>(rec + 18));
  store<u8>(out + 10, load<u8>(rec + 19));
  const ai = load<u32>(rec + 28);
  const a = account_rec(ai);
  if (account_used(ai) && load<u32>(a + A_ID) == load<u32>(rec + 20)) {
    store<u8>(out + 11, load<u8>(a + A_ROLE));
    const nl = load<u8>(a + A_NAME_LEN);
    store<u8>(out + 32, nl);
    memory.copy(out + 33, a + A_NAME, <usize>nl);
  }
  store<i64>(out + 16, load<i64>(rec + 32));
  store<i64>(out + 24, load<i64>(rec + 40));
}

export function session_info_at(sid: usize, n: i32, out: usize, now: i64): i32 {
  const s = admin_check(sid, PERM_SESSION_ADMIN, now);
  if (s < 0) return s;
  if (n < 0) return ERR_INVALID;
  let k: i32 = 0;
  for (let i: u32 = 0; i < SESSIONS_MAX; i++) {
    if (!session_used(i)) continue;
    if (k++ != n) continue;
    session_info_write(i, out);
    return OK;
  }
  return END;
}

/** The caller's own session (locked or not): who holds it, its state and restriction. Touches nothing. */
export function session_self(sid: usize, out: usize, now: i64): i32 {
  const s = session_resolve(sid, now, true);
  if (s < 0) return s;
  session_info_write(<u32>s, out);
  return OK;
}

/** Terminates the session with this serial (CR 2.6): OK, or END when no live session has it. */
export function session_kill(sid: usize, serial: u32, now: i64): i32 {
  const s = admin_check(sid, PERM_SESSION_ADMIN, now);
  if (s < 0) return s;
  const i = session_by_serial(serial);
  if (i < 0) return END;
  const rec = session_rec(<u32>i);
  const ai = load<u32>(rec + 28);
  const subj = account_used(ai) && load<u32>(account_rec(ai) + A_ID) == load<u32>(rec + 20) ? account_rec(ai) : 0;
  ev_subject(EV_SESSION_TERMINATED, OK, subj, <u64>serial);
  session_close(<u32>i);
  return OK;
}

/**
 * TOTP enrolment for the session's own account (name_len 0) or, with
 * SECURITY_ADMIN, for another. Draws a secret of secret_len bytes (16..64)
 * and a recovery key, writes the secret then RECOVERY_CODES u32 recovery codes
 * (10 digits each) to out, and leaves the enrolment pending until a first
 * code is confirmed (iacsec_totp_confirm).
 */
export function totp_enroll(sid: usize, name: usize, nlen: usize, alg: i32, digits: i32, secret_len: i32, out: usize, now: i64): i32 {
  let s: i32;
  if (nlen == 0) s = session_resolve(sid, now, false);
  else s = admin_check(sid, PERM_SECURITY_ADMIN, now);
  if (s < 0) return s;
  if (!alg_valid(alg)) return bad_input(ERR_UNSUPPORTED);
  if (digits < 6 || digits > 8 || secret_len < 16 || secret_len > 64) return bad_input(ERR_INVALID);
  let r = actor_rec();
  if (nlen != 0) {
    const i = subject(name, nlen);
    if (i < 0) return i == NO_ACCOUNT ? END : i;
    r = account_rec(<u32>i);
  }
  if (!random_fill(r + A_TOTP_SECRET, <usize>secret_len) || !random_fill(r + A_RECOVERY_KEY, 32)) return ERR_STATE;
  memory.fill(r + A_TOTP_SECRET + <usize>secret_len, 0, 64 - <usize>secret_len);
  store<u8>(r + A_TOTP_LEN, <u8>secret_len);
  store<u8>(r + A_TOTP_ALG, <u8>alg);
  store<u8>(r + A_TOTP_DIGITS, <u8>digits);
  store<u8>(r + A_TOTP_PERIOD, 30);
  store<i64>(r + A_TOTP_LAST, i64.MIN_VALUE);
  store<u16>(r + A_RECOVERY_USED, 0);
  store<u8>(r + A_FLAGS, (load<u8>(r + A_FLAGS) & ~AF_TOTP) | AF_TOTP_PENDING);
  memory.copy(out, r + A_TOTP_SECRET, <usize>secret_len);
  for (let k: u32 = 0; k < RECOVERY_CODES; k++) {
    store<u32>(out + <usize>secret_len + (<usize>k << 2), <u32>hotp(r + A_RECOVERY_KEY, 32, ALG_SHA256, <u64>k, 10));
  }
  ev_subject(EV_TOTP_ENROLLED, OK, r, <u64>alg | (<u64>digits << 8));
  return OK;
}

/** Confirms the pending enrolment of the session's own account with a current code. */
export function totp_confirm(sid: usize, code: usize, clen: usize, now: i64): i32 {
  const s = session_resolve(sid, now, false);
  if (s < 0) return s;
  const r = actor_rec();
  if ((load<u8>(r + A_FLAGS) & AF_TOTP_PENDING) == 0) return ERR_STATE;
  if (clen == 10 || code_check(r, code, clen, now / 1000) != CODE_OK) {
    ev_subject(EV_TOTP_REJECTED, ERR_AUTH, r, 0);
    return ERR_AUTH;
  }
  store<u8>(r + A_FLAGS, (load<u8>(r + A_FLAGS) & ~AF_TOTP_PENDING) | AF_TOTP);
  ev_subject(EV_TOTP_CONFIRMED, OK, r, 0);
  return OK;
}

