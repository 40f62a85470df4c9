// Exports for access control (CR 1.1 .. 1.14, 2.1 .. 2.7, 3.8): accounts,
// password policy, lockout, TOTP, sessions, roles. Thin: each checks its
// pointers against the I/O area (ERR_BOUNDS) and the self-test (ERR_SELFTEST),
// then calls inward. `now` is the host's current time, i64 milliseconds since
// the Unix epoch (UTC); a session id is IACSEC_SESSION_ID_BYTES at one pointer.

import { OK, END, ERR_BOUNDS, ERR_SELFTEST, ERR_INVALID, ERR_LENGTH, ERR_UNKNOWN_ROLE, ERR_UNSUPPORTED } from "../status";
import { in_io, overlaps } from "./_io";
import { selftest_passed } from "../selftest_state";
import {
  ACCOUNTS_MAX, NAME_MAX_BYTES, PASSWORD_MAX_BYTES, HISTORY_MAX, ROLES_MAX, ROLE_NAME_MAX_BYTES, SESSIONS_MAX,
  SESSION_ID_BYTES, IFACES_MAX, SOURCE_MAX_BYTES, SOURCES_MAX, PROFILE_BYTES, USER_INFO_BYTES, SESSION_INFO_BYTES,
  ROLE_BYTES, TOTP_SECRET_MAX_BYTES, RECOVERY_CODES, CONTEXT_WORDS_MAX, CONTEXT_WORD_MAX_BYTES,
} from "../auth/limits";
import { login, logout, session_unlock, password_change } from "../auth/login";
import { authorize } from "../auth/authz";
import {
  provision, user_add, user_passwd, user_modify, user_enable, user_remove, user_lock, user_info, user_info_at,
  source_unlock_admin, role_define, role_delete, profile_set, context_define, session_info_at, session_kill, session_self,
  totp_enroll, totp_confirm,
} from "../auth/admin";
import { role_rec, role_exists } from "../auth/roles";
import { profile_ptr } from "../auth/profile";
import { hotp, totp_step, alg_valid } from "../auth/totp";
import { sha1 } from "../hash/sha1";
import { hmac_sha1 } from "../hash/hmac_sha1";
import { PEERS_MAX, PEER_BYTES, CHALLENGE_BYTES } from "../auth/limits";
import { device_auth_sign, peer_add, peer_remove, peer_get, peer_challenge, peer_verify } from "../auth/peers";
import { admin_check, actor, actor_name, actor_name_len, actor_clear } from "../auth/authz";
import { PERM_SECURITY_ADMIN } from "../auth/roles";
import { accounts_provisioned, account_count } from "../auth/accounts";

const SID: u32 = SESSION_ID_BYTES;

// ---- provisioning and login ----

export function iacsec_auth_provision(name: u32, name_len: u32, pw: u32, pw_len: u32, factory_default: i32, now: i64): i32 {
  if (!selftest_passed()) return ERR_SELFTEST;
  if (!in_io(name, name_len) || !in_io(pw, pw_len)) return ERR_BOUNDS;
  if (pw_len > PASSWORD_MAX_BYTES) return ERR_LENGTH;
  return provision(name, name_len, pw, pw_len, factory_default, now);
}

export function iacsec_auth_login(
  out: u32, user: u32, user_len: u32, pw: u32, pw_len: u32, code: u32, code_len: u32,
  src: u32, src_len: u32, iface: i32, now: i64,
): i32 {
  if (!selftest_passed()) return ERR_SELFTEST;
  if (!in_io(out, SID) || !in_io(user, user_len) || !in_io(pw, pw_len) || !in_io(code, code_len) || !in_io(src, src_len)) return ERR_BOUNDS;
  if (overlaps(out, SID, user, user_len) || overlaps(out, SID, pw, pw_len) || overlaps(out, SID, code, code_len)
    || overlaps(out, SID, src, src_len)) return ERR_INVALID;
  return login(out, user, user_len, pw, pw_len, code, code_len, src, src_len, iface, now);
}

export function iacsec_auth_logout(sid: u32, now: i64): i32 {
  if (!selftest_passed()) return ERR_SELFTEST;
  if (!in_io(sid, SID)) return ERR_BOUNDS;
  return logout(sid, now);
}

export function iacsec_auth_authorize(sid: u32, permission: i32, now: i64): i32 {
  if (!selftest_passed()) return ERR_SELFTEST;
  if (!in_io(sid, SID)) return ERR_BOUNDS;
  return authorize(sid, <u32>permission, now);
}

export function iacsec_auth_session_unlock(sid: u32, pw: u32, pw_len: u32, code: u32, code_len: u32, now: i64): i32 {
  if (!selftest_passed()) return ERR_SELFTEST;
  if (!in_io(sid, SID) || !in_io(pw, pw_len) || !in_io(code, code_len)) return ERR_BOUNDS;
  return session_unlock(sid, pw, pw_len, code, code_len, now);
}

export function iacsec_auth_passwd(sid: u32, old: u32, old_len: u32, pw: u32, pw_len: u32, now: i64): i32 {
  if (!selftest_passed()) return ERR_SELFTEST;
  if (!in_io(sid, SID) || !in_io(old, old_len) || !in_io(pw, pw_len)) return ERR_BOUNDS;
  return password_change(sid, old, old_len, pw, pw_len, now);
}

// ---- account administration ----

export function iacsec_user_add(sid: u32, name: u32, name_len: u32, pw: u32, pw_len: u32, role: i32, now: i64): i32 {
  if (!selftest_passed()) return ERR_SELFTEST;
  if (!in_io(sid, SID) || !in_io(name, name_len) || !in_io(pw, pw_len)) return ERR_BOUNDS;
  return user_add(sid, name, name_len, pw, pw_len, role, now);
}

export function iacsec_user_passwd(sid: u32, name: u32, name_len: u32, pw: u32, pw_len: u32, now: i64): i32 {
  if (!selftest_passed()) return ERR_SELFTEST;
  if (!in_io(sid, SID) || !in_io(name, name_len) || !in_io(pw, pw_len)) return ERR_BOUNDS;
  return user_passwd(sid, name, name_len, pw, pw_len, now);
}

export function iacsec_user_modify(sid: u32, name: u32, name_len: u32, role: i32, flags: i32, now: i64): i32 {
  if (!selftest_passed()) return ERR_SELFTEST;
  if (!in_io(sid, SID) || !in_io(name, name_len)) return ERR_BOUNDS;
  return user_modify(sid, name, name_len, role, flags, now);
}

export function iacsec_user_enable(sid: u32, name: u32, name_len: u32, enable: i32, now: i64): i32 {
  if (!selftest_passed()) return ERR_SELFTEST;
  if (!in_io(sid, SID) || !in_io(name, name_len)) return ERR_BOUNDS;
  return user_enable(sid, name, name_len, enable, now);
}

export function iacsec_user_remove(sid: u32, name: u32, name_len: u32, now: i64): i32 {
  if (!selftest_passed()) return ERR_SELFTEST;
  if (!in_io(sid, SID) || !in_io(name, name_len)) return ERR_BOUNDS;
  return user_remove(sid, name, name_len, now);
}

export function iacsec_user_lock(sid: u32, name: u32, name_len: u32, lock: i32, now: i64): i32 {
  if (!selftest_passed()) return ERR_SELFTEST;
  if (!in_io(sid, SID) || !in_io(name, name_len)) return ERR_BOUNDS;
  return user_lock(sid, name, name_len, lock, now);
}

export function iacsec_user_info(sid: u32, name: u32, name_len: u32, out: u32, now: i64): i32 {
  if (!selftest_passed()) return ERR_SELFTEST;
  if (!in_io(sid, SID) || !in_io(name, name_len) || !in_io(out, USER_INFO_BYTES)) return ERR_BOUNDS;
  if (overlaps(out, USER_INFO_BYTES, sid, SID) || overlaps(out, USER_INFO_BYTES, name, name_len)) return ERR_INVALID;
  return user_info(sid, name, name_len, out, now);
}

export function iacsec_user_info_at(sid: u32, index: i32, out: u32, now: i64): i32 {
  if (!selftest_passed()) return ERR_SELFTEST;
  if (!in_io(sid, SID) || !in_io(out, USER_INFO_BYTES)) return ERR_BOUNDS;
  if (overlaps(out, USER_INFO_BYTES, sid, SID)) return ERR_INVALID;
  return user_info_at(sid, index, out, now);
}

export function iacsec_source_unlock(sid: u32, src: u32, src_len: u32, now: i64): i32 {
  if (!selftest_passed()) return ERR_SELFTEST;
  if (!in_io(sid, SID) || !in_io(src, src_len)) return ERR_BOUNDS;
  return source_unlock_admin(sid, src, src_len, now);
}

// ---- roles, profile, context ----

export function iacsec_role_set(sid: u32, index: i32, name: u32, name_len: u32, permissions: i32, flags: i32, now: i64): i32 {
  if (!selftest_passed()) return ERR_SELFTEST;
  if (!in_io(sid, SID) || !in_io(name, name_len)) return ERR_BOUNDS;
  return role_define(sid, index, name, name_len, <u32>permissions, flags, now);
}

export function iacsec_role_remove(sid: u32, index: i32, now: i64): i32 {
  if (!selftest_passed()) return ERR_SELFTEST;
  if (!in_io(sid, SID)) return ERR_BOUNDS;
  return role_delete(sid, index, now);
}

/** Role record (ROLE_BYTES): OK, END for a free index, ERR_UNKNOWN_ROLE outside 0..ROLES_MAX-1. */
export function iacsec_role_get(index: i32, out: u32): i32 {
  if (!selftest_passed()) return ERR_SELFTEST;
  if (!in_io(out, ROLE_BYTES)) return ERR_BOUNDS;
  if (index < 0 || <u32>index >= ROLES_MAX) return ERR_UNKNOWN_ROLE;
  if (!role_exists(index)) return END;
  memory.copy(out, role_rec(<u32>index), ROLE_BYTES);
  if (index == 0) store<u32>(out + 4, 0xffff_ffff);
  return OK;
}

export function iacsec_auth_profile_set(sid: u32, profile: u32, now: i64): i32 {
  if (!selftest_passed()) return ERR_SELFTEST;
  if (!in_io(sid, SID) || !in_io(profile, PROFILE_BYTES)) return ERR_BOUNDS;
  return profile_set(sid, profile, now);
}

export function iacsec_auth_profile_get(out: u32): i32 {
  if (!selftest_passed()) return ERR_SELFTEST;
  if (!in_io(out, PROFILE_BYTES)) return ERR_BOUNDS;
  memory.copy(out, profile_ptr(), PROFILE_BYTES);
  return OK;
}

export function iacsec_auth_context_set(sid: u32, words: u32, words_len: u32, now: i64): i32 {
  if (!selftest_passed()) return ERR_SELFTEST;
  if (!in_io(sid, SID) || !in_io(words, words_len)) return ERR_BOUNDS;
  return context_define(sid, words, words_len, now);
}

// ---- session administration ----

export function iacsec_session_info_at(sid: u32, index: i32, out: u32, now: i64): i32 {
  if (!selftest_passed()) return ERR_SELFTEST;
  if (!in_io(sid, SID) || !in_io(out, SESSION_INFO_BYTES)) return ERR_BOUNDS;
  if (overlaps(out, SESSION_INFO_BYTES, sid, SID)) return ERR_INVALID;
  return session_info_at(sid, index, out, now);
}

/** The caller's own session: SESSION_INFO record (name, role, state, must-change flag). */
export function iacsec_auth_session_info(sid: u32, out: u32, now: i64): i32 {
  if (!selftest_passed()) return ERR_SELFTEST;
  if (!in_io(sid, SID) || !in_io(out, SESSION_INFO_BYTES)) return ERR_BOUNDS;
  if (overlaps(out, SESSION_INFO_BYTES, sid, SID)) return ERR_INVALID;
  return session_self(sid, out, now);
}

export function iacsec_session_kill(sid: u32, serial: i32, now: i64): i32 {
  if (!selftest_passed()) return ERR_SELFTEST;
  if (!in_io(sid, SID)) return ERR_BOUNDS;
  return session_kill(sid, <u32>serial, now);
}

// ---- TOTP and recovery codes ----

export function iacsec_totp_enroll(sid: u32, name: u32, name_len: u32, alg: i32, digits: i32, secret_len: i32, out: u32, now: i64): i32 {
  if (!selftest_passed()) return ERR_SELFTEST;
  const out_len: u32 = TOTP_SECRET_MAX_BYTES + RECOVERY_CODES * 4;
  if (!in_io(sid, SID) || !in_io(name, name_len) || !in_io(out, out_len)) return ERR_BOUNDS;
  if (overlaps(out, out_len, sid, SID) || overlaps(out, out_len, name, name_len)) return ERR_INVALID;
  return totp_enroll(sid, name, name_len, alg, digits, secret_len, out, now);
}

export function iacsec_totp_confirm(sid: u32, code: u32, code_len: u32, now: i64): i32 {
  if (!selftest_passed()) return ERR_SELFTEST;
  if (!in_io(sid, SID) || !in_io(code, code_len)) return ERR_BOUNDS;
  return totp_confirm(sid, code, code_len, now);
}

/** TOTP value (RFC 6238) of key at Unix time t (seconds) as a u32 at out[4]. */
export function iacsec_totp_generate(out: u32, key: u32, key_len: u32, alg: i32, digits: i32, period: i32, t: i64): i32 {
  if (!selftest_passed()) return ERR_SELFTEST;
  if (!in_io(out, 4) || !in_io(key, key_len)) return ERR_BOUNDS;
  if (!alg_valid(alg)) return ERR_UNSUPPORTED;
  if (digits < 6 || digits > 10 || period < 1) return ERR_INVALID;
  if (key_len == 0 || key_len > 1024) return ERR_LENGTH;
  store<u32>(out, <u32>hotp(key, key_len, alg, <u64>totp_step(t, <u32>period), <u32>digits));
  return OK;
}

export function iacsec_sha1(out: u32, msg: u32, msg_len: u32): i32 {
  if (!selftest_passed()) return ERR_SELFTEST;
  if (!in_io(out, 20) || !in_io(msg, msg_len)) return ERR_BOUNDS;
  if (overlaps(out, 20, msg, msg_len)) return ERR_INVALID;
  sha1(out, msg, msg_len);
  return OK;
}

export function iacsec_hmac_sha1(out: u32, key: u32, key_len: u32, msg: u32, msg_len: u32): i32 {
  if (!selftest_passed()) return ERR_SELFTEST;
  if (!in_io(out, 20) || !in_io(key, key_len) || !in_io(msg, msg_len)) return ERR_BOUNDS;
  if (overlaps(out, 20, key, key_len) || overlaps(out, 20, msg, msg_len)) return ERR_INVALID;
  hmac_sha1(out, key, key_len, msg, msg_len);
  return OK;
}

// ---- device authentication (CR 1.2 RE1, CR 1.14) ----

/** Signs a peer's challenge (16..64 bytes) with the device key: sig_out[64]. */
export function iacsec_device_auth_sign(sig_out: u32, challenge: u32, challenge_len: u32): i32 {
  if (!selftest_passed()) return ERR_SELFTEST;
  if (!in_io(sig_out, 64) || !in_io(challenge, challenge_len)) return ERR_BOUNDS;
  if (overlaps(sig_out, 64, challenge, challenge_len)) return ERR_INVALID;
  return device_auth_sign(sig_out, challenge, challenge_len);
}

function peer_admin(sid: u32, now: i64): i32 {
  if (accounts_provisioned() || account_count() != 0) return admin_check(sid, PERM_SECURITY_ADMIN, now);
  actor_clear();
  return OK;
}

/** Provisions a peer device: kind 1 Ed25519 public key (32 bytes), 2 HMAC-SHA256 key (32..64 bytes). */
export function iacsec_peer_add(sid: u32, name: u32, name_len: u32, kind: i32, key: u32, key_len: u32, now: i64): i32 {
  if (!selftest_passed()) return ERR_SELFTEST;
  if (!in_io(sid, SID) || !in_io(name, name_len) || !in_io(key, key_len)) return ERR_BOUNDS;
  const s = peer_admin(sid, now);
  if (s < 0) return s;
  return peer_add(name, name_len, kind, key, key_len, actor(), actor_name(), actor_name_len());
}

export function iacsec_peer_remove(sid: u32, name: u32, name_len: u32, now: i64): i32 {
  if (!selftest_passed()) return ERR_SELFTEST;
  if (!in_io(sid, SID) || !in_io(name, name_len)) return ERR_BOUNDS;
  const s = peer_admin(sid, now);
  if (s < 0) return s;
  return peer_remove(name, name_len, actor(), actor_name(), actor_name_len());
}

/** The index-th peer's public record (PEER_BYTES; an HMAC key is never copied out): OK or END. */
export function iacsec_peer_get(index: i32, out: u32): i32 {
  if (!selftest_passed()) return ERR_SELFTEST;
  if (!in_io(out, PEER_BYTES)) return ERR_BOUNDS;
  if (index < 0) return ERR_INVALID;
  return peer_get(index, out);
}

/** A fresh single-use challenge (CHALLENGE_BYTES) for a peer to answer. */
export function iacsec_peer_challenge(out: u32, now: i64): i32 {
  if (!selftest_passed()) return ERR_SELFTEST;
  if (!in_io(out, CHALLENGE_BYTES)) return ERR_BOUNDS;
  return peer_challenge(out, now);
}

/** Checks a peer's answer (Ed25519 signature, 64 bytes, or HMAC-SHA256 tag, 32) to a challenge: OK or ERR_AUTH. */
export function iacsec_peer_verify(name: u32, name_len: u32, challenge: u32, proof: u32, proof_len: u32, now: i64): i32 {
  if (!selftest_passed()) return ERR_SELFTEST;
  if (!in_io(name, name_len) || !in_io(challenge, CHALLENGE_BYTES) || !in_io(proof, proof_len)) return ERR_BOUNDS;
  return peer_verify(name, name_len, challenge, proof, proof_len, now);
}

// ---- size getters: each equals its IACSEC_* constant in bindings/ ----

export function iacsec_peers_max(): i32 { return <i32>PEERS_MAX; }
export function iacsec_peer_bytes(): i32 { return <i32>PEER_BYTES; }
export function iacsec_challenge_bytes(): i32 { return <i32>CHALLENGE_BYTES; }

export function iacsec_accounts_max(): i32 { return <i32>ACCOUNTS_MAX; }
export function iacsec_name_max_bytes(): i32 { return <i32>NAME_MAX_BYTES; }
export function iacsec_password_max_bytes(): i32 { return <i32>PASSWORD_MAX_BYTES; }
export function iacsec_history_max(): i32 { return <i32>HISTORY_MAX; }
export function iacsec_roles_max(): i32 { return <i32>ROLES_MAX; }
export function iacsec_role_name_max_bytes(): i32 { return <i32>ROLE_NAME_MAX_BYTES; }
export function iacsec_sessions_max(): i32 { return <i32>SESSIONS_MAX; }
export function iacsec_session_id_bytes(): i32 { return <i32>SESSION_ID_BYTES; }
export function iacsec_ifaces_max(): i32 { return <i32>IFACES_MAX; }
export function iacsec_source_max_bytes(): i32 { return <i32>SOURCE_MAX_BYTES; }
export function iacsec_sources_max(): i32 { return <i32>SOURCES_MAX; }
export function iacsec_profile_bytes(): i32 { return <i32>PROFILE_BYTES; }
export function iacsec_user_info_bytes(): i32 { return <i32>USER_INFO_BYTES; }
export function iacsec_session_info_bytes(): i32 { return <i32>SESSION_INFO_BYTES; }
export function iacsec_role_bytes(): i32 { return <i32>ROLE_BYTES; }
export function iacsec_totp_secret_max_bytes(): i32 { return <i32>TOTP_SECRET_MAX_BYTES; }
export function iacsec_recovery_codes(): i32 { return <i32>RECOVERY_CODES; }
export function iacsec_context_words_max(): i32 { return <i32>CONTEXT_WORDS_MAX; }
export function iacsec_context_word_max_bytes(): i32 { return <i32>CONTEXT_WORD_MAX_BYTES; }
