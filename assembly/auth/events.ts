// Event types of access control, sessions and rate limiting (48..95), and the
// one way they are recorded: a = subject account id in the low 32 bits and
// the acting account id in the high 32 bits, b = the detail named per type
// (bindings/abi.ts EVENT_TYPES), kid = the acting user's name, role = the
// interface + 1 (0: none), component = the subject's name (or role or peer
// name). Every record goes through ev_push (assembly/firmware/events.ts).

import { ev_new, ev_ab, ev_kid, ev_component, ev_push } from "../firmware/events";

export const EV_LOGIN_OK: u16 = 48;             // b = source key
export const EV_LOGIN_FAILED: u16 = 49;         // b = source key; status = ERR_AUTH
export const EV_LOGIN_BAD_INPUT: u16 = 50;      // status = the reason
export const EV_LOGIN_ACCOUNT_LOCKED: u16 = 51; // refused without a password check; b = locked until (ms)
export const EV_LOGIN_SOURCE_LOCKED: u16 = 52;  // b = source key
export const EV_ACCOUNT_LOCKED: u16 = 53;       // threshold reached; b = locked until (ms; -1: until unlocked)
export const EV_ACCOUNT_UNLOCKED: u16 = 54;     // by an administrator
export const EV_ACCOUNT_LOCK_EXPIRED: u16 = 55;
export const EV_SOURCE_LOCKED: u16 = 56;        // b = source key
export const EV_SOURCE_UNLOCKED: u16 = 57;      // by an administrator; b = source key
export const EV_USER_ADDED: u16 = 58;           // b = role
export const EV_USER_MODIFIED: u16 = 59;        // b = role | flags << 8
export const EV_USER_DISABLED: u16 = 60;
export const EV_USER_ENABLED: u16 = 61;
export const EV_USER_REMOVED: u16 = 62;
export const EV_PASSWORD_CHANGED: u16 = 63;     // b = 1 when set by an administrator
export const EV_PASSWORD_REJECTED: u16 = 64;    // status = the reason (ERR_POLICY, ERR_LENGTH, ...)
export const EV_ADMIN_DENIED: u16 = 65;         // an administrative call refused; b = the permission needed
export const EV_AUTHZ_DENIED: u16 = 66;         // authorize() said no; b = the permission
export const EV_SESSION_LOCKED: u16 = 67;       // idle lock (CR 2.5)
export const EV_SESSION_UNLOCKED: u16 = 68;     // re-authenticated
export const EV_SESSION_EXPIRED: u16 = 69;      // idle termination or maximum lifetime (CR 2.6); b = serial
export const EV_SESSION_TERMINATED: u16 = 70;   // logout, administrator, or account change; b = serial
export const EV_SESSION_LIMIT: u16 = 71;        // CR 2.7; b = 1 per user, 2 per interface, 3 table full
export const EV_SESSION_REJECTED: u16 = 72;     // unknown, expired or forged id (CR 3.8)
export const EV_ROLE_CHANGED: u16 = 73;         // b = permissions | flags << 32
export const EV_ROLE_REMOVED: u16 = 74;
export const EV_PROFILE_CHANGED: u16 = 75;
export const EV_PROVISIONED: u16 = 76;          // b = 1 factory default (must change), 0 first administrator
export const EV_TOTP_ENROLLED: u16 = 77;        // b = algorithm | digits << 8
export const EV_TOTP_CONFIRMED: u16 = 78;
export const EV_TOTP_REJECTED: u16 = 79;
export const EV_TOTP_REPLAYED: u16 = 80;        // b = the time step
export const EV_RECOVERY_CODE_USED: u16 = 81;   // b = index
export const EV_MFA_REQUIRED: u16 = 82;         // password right, second factor missing
export const EV_ACCOUNT_LOCKED_BY_ADMIN: u16 = 83;
export const EV_LOGIN_DELAYED: u16 = 84;        // growing delay instead of a lock; b = retry at (ms)
export const EV_RL_SOURCE_LIMITED: u16 = 85;    // b = source key
export const EV_RL_GLOBAL_LIMITED: u16 = 86;
export const EV_RL_TABLE_FULL: u16 = 87;        // new source refused: every slot of its set holds a penalized source
export const EV_RL_CONFIG_CHANGED: u16 = 88;
export const EV_PEER_ADDED: u16 = 89;           // b = kind
export const EV_PEER_REMOVED: u16 = 90;
export const EV_PEER_AUTH_OK: u16 = 91;
export const EV_PEER_AUTH_FAILED: u16 = 92;
export const EV_DEVICE_AUTH_SIGNED: u16 = 93;
export const EV_CONTEXT_CHANGED: u16 = 94;
export const EV_SOURCE_TABLE_FULL: u16 = 95;    // failed login from a new source while every slot holds a locked one

/** Records one access-control event. Names are cut to what the record holds. */
export function auth_event(
  t: u16, status: i32, subject: u32, actor: u32, b: u64,
  actor_name: usize, actor_len: usize, iface: i32, subject_name: usize, subject_len: usize,
): void {
  ev_new(t, status);
  ev_ab(<u64>subject | (<u64>actor << 32), b);
  ev_kid(actor_name, actor_len, iface < 0 ? 0 : <u8>(iface + 1));
  ev_component(subject_name, subject_len);
  ev_push();
}

/** An event with no names. */
export function auth_event0(t: u16, status: i32, subject: u32, b: u64): void {
  ev_new(t, status);
  ev_ab(<u64>subject, b);
  ev_push();
}
