// Session checks and authorization (CR 2.1 RE1/RE2, CR 2.5, CR 2.6, CR 3.8).
// authorize() answers for every kind of user alike: OK only when the session
// is live, not idle-locked, not restricted to a password change, and its
// role holds the permission; anything else is denied (default deny), and
// every denial is recorded.

import { OK, ERR_SESSION, ERR_SESSION_LOCKED, ERR_MUST_CHANGE, ERR_DENIED, ERR_INVALID } from "../status";
import {
  session_find, session_rec, session_close, session_timing, session_touch, T_EXPIRE, T_LOCK, S_ACTIVE, S_LOCKED,
  SF_MUST_CHANGE,
} from "./sessions";
import { account_rec, account_used, A_ID, A_FLAGS, A_ROLE, A_NAME, A_NAME_LEN, AF_DISABLED } from "./accounts";
import { role_perms } from "./roles";
import {
  auth_event, EV_SESSION_REJECTED, EV_SESSION_EXPIRED, EV_SESSION_TERMINATED, EV_SESSION_LOCKED, EV_AUTHZ_DENIED,
  EV_ADMIN_DENIED,
} from "./events";

// The acting user of the current call, for the records it writes.
let actor_id: u32 = 0;
let actor_index: i32 = -1;
let actor_iface: i32 = -1;

export function actor(): u32 { return actor_id; }
export function actor_rec(): usize { return actor_index < 0 ? 0 : account_rec(<u32>actor_index); }
export function actor_name(): usize { return actor_index < 0 ? 0 : account_rec(<u32>actor_index) + A_NAME; }
export function actor_name_len(): usize { return actor_index < 0 ? 0 : <usize>load<u8>(account_rec(<u32>actor_index) + A_NAME_LEN); }
export function actor_iface_of(): i32 { return actor_iface; }
export function actor_clear(): void { actor_id = 0; actor_index = -1; actor_iface = -1; }

/** Records an event about a subject account (its record at r, or 0) on behalf of the current actor. */
export function ev_subject(t: u16, status: i32, r: usize, b: u64): void {
  const sid = r == 0 ? 0 : load<u32>(r + A_ID);
  const sn: usize = r == 0 ? <usize>0 : r + A_NAME;
  const sl: usize = r == 0 ? <usize>0 : <usize>load<u8>(r + A_NAME_LEN);
  auth_event(t, status, sid, actor_id, b, actor_name(), actor_name_len(), actor_iface, sn, sl);
}

/**
 * The slot of a live, usable session, or ERR_SESSION / ERR_SESSION_LOCKED.
 * Sessions of removed or disabled accounts, and expired ones, end here.
 */
export function session_resolve(id: usize, now: i64, allow_locked: bool): i32 {
  actor_clear();
  const s = session_find(id);
  if (s < 0) {
    auth_event(EV_SESSION_REJECTED, ERR_SESSION, 0, 0, 0, 0, 0, -1, 0, 0);
    return ERR_SESSION;
  }
  const rec = session_rec(<u32>s);
  const ai = load<u32>(rec + 28), aid = load<u32>(rec + 20);
  const serial = <u64>load<u32>(rec + 24);
  actor_iface = <i32>load<u8>(rec + 17);
  if (!account_used(ai) || load<u32>(account_rec(ai) + A_ID) != aid || (load<u8>(account_rec(ai) + A_FLAGS) & AF_DISABLED) != 0) {
    session_close(<u32>s);
    auth_event(EV_SESSION_TERMINATED, ERR_SESSION, aid, 0, serial, 0, 0, actor_iface, 0, 0);
    return ERR_SESSION;
  }
  actor_id = aid;
  actor_index = <i32>ai;
  const t = session_timing(<u32>s, now);
  if (t == T_EXPIRE) {
    session_close(<u32>s);
    ev_subject(EV_SESSION_EXPIRED, ERR_SESSION, account_rec(ai), serial);
    actor_clear();
    return ERR_SESSION;
  }
  if (t == T_LOCK && load<u8>(rec + 18) == S_ACTIVE) {
    store<u8>(rec + 18, S_LOCKED);
    ev_subject(EV_SESSION_LOCKED, ERR_SESSION_LOCKED, account_rec(ai), serial);
  }
  if (load<u8>(rec + 18) == S_LOCKED && !allow_locked) return ERR_SESSION_LOCKED;
  return s;
}

/** authorize(session, permission): OK, or the reason it is denied. */
export function authorize(id: usize, perm: u32, now: i64): i32 {
  const s = session_resolve(id, now, false);
  if (s < 0) return s;
  const rec = session_rec(<u32>s);
  const r = actor_rec();
  let st = OK;
  if (perm > 31) st = ERR_INVALID;
  else if ((load<u8>(rec + 19) & SF_MUST_CHANGE) != 0) st = ERR_MUST_CHANGE;
  else if ((role_perms(<u32>load<u8>(r + A_ROLE)) & (1 << perm)) == 0) st = ERR_DENIED;
  if (st != OK) {
    ev_subject(EV_AUTHZ_DENIED, st, r, <u64>perm);
    return st;
  }
  session_touch(<u32>s, now);
  return OK;
}

/** For administrative calls: the session's slot when it holds perm, else the status (recorded). */
export function admin_check(id: usize, perm: u32, now: i64): i32 {
  const s = session_resolve(id, now, false);
  if (s < 0) return s;
  const rec = session_rec(<u32>s);
  const r = actor_rec();
  let st = OK;
  if ((load<u8>(rec + 19) & SF_MUST_CHANGE) != 0) st = ERR_MUST_CHANGE;
  else if ((role_perms(<u32>load<u8>(r + A_ROLE)) & (1 << perm)) == 0) st = ERR_DENIED;
  if (st != OK) {
    ev_subject(EV_ADMIN_DENIED, st, r, <u64>perm);
    return st;
  }
  session_touch(<u32>s, now);
  return s;
}
