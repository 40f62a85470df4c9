// The access-control section of the sealed state (GUIDE: "Sealed state
// sections"): accounts with their hashes, history, failure counts, locks and
// TOTP secrets and last steps; the roles; the security profile; the context
// words; the failed-login table of sources and the keyed-hash key that names
// them; the id and serial counters. A restart, a crash or a power cut never
// clears a failure count or a lock (CR 1.11), and ids are never reused.
//
// Not persisted: sessions (a restart ends every session: ids live only in
// memory) and the rate-limit table (a restart gives every source a full
// allowance; rate limiting protects availability, not authentication).
//
// Section (AUTH_STATE_BYTES, little-endian):
//   0 u32 version (1) | 4 u32 next account id | 8 u32 next session serial |
//   12 u32 flags (1 provisioned, 2 source key set) | 16 source key[16] |
//   32 profile[80] | 112 roles[ROLES_MAX * 32] | 624 context words[265, padded to 272] |
//   896 sources[SOURCES_MAX * 32] | 9088 accounts[ACCOUNTS_MAX * ACCOUNT_BYTES] |
//   34688 peers[PEERS_MAX * PEER_BYTES] (provisioned peer keys, CR 1.14); 36480 bytes in all

import { PEERS_MAX, PEER_BYTES, ACCOUNTS_MAX, ROLES_MAX, ROLE_BYTES, SOURCES_MAX, CONTEXT_WORDS_MAX, CONTEXT_WORD_MAX_BYTES, PROFILE_BYTES, ROLE_NAME_MAX_BYTES } from "./limits";
import { profile_ptr, profile_valid, profile_reset } from "./profile";
import { roles_ptr, roles_valid, roles_reset } from "./roles";
import {
  ACCOUNT_BYTES, A_NAME, A_NAME_LEN, A_ID, accounts_ptr, accounts_reset, accounts_next_id, accounts_set_next_id,
  accounts_provisioned, accounts_set_provisioned, account_valid,
} from "./accounts";
import { context_ptr, CONTEXT_BYTES } from "./password";
import { sources_ptr, sources_reset, SOURCE_BYTES } from "./lockout";
import { sessions_reset, sessions_next_serial, sessions_set_next_serial } from "./sessions";
import { siphash_key_ptr, siphash_key_ready, siphash_key_loaded, siphash_key_reset } from "../ratelimit/siphash";
import { rl_reset, rl_reset_table } from "../ratelimit/gcra";
import { eq_bytes } from "./_text";
import { peers_ptr, peers_valid, peers_reset } from "./peers";

const VERSION: u32 = 1;
// @ts-ignore: decorator
@inline const O_KEY: usize = 16;
// @ts-ignore: decorator
@inline const O_PROFILE: usize = 32;
// @ts-ignore: decorator
@inline const O_ROLES: usize = O_PROFILE + <usize>PROFILE_BYTES;
// @ts-ignore: decorator
@inline const O_CONTEXT: usize = O_ROLES + <usize>(ROLES_MAX * ROLE_BYTES);
const CONTEXT_PADDED: usize = (<usize>CONTEXT_BYTES + 7) & ~7;
const O_SOURCES: usize = O_CONTEXT + CONTEXT_PADDED;
const O_ACCOUNTS: usize = O_SOURCES + <usize>(SOURCES_MAX * SOURCE_BYTES);

const O_PEERS: usize = O_ACCOUNTS + <usize>(ACCOUNTS_MAX * ACCOUNT_BYTES);

/** Exact size of the section (a multiple of 8). */
export const AUTH_STATE_BYTES: usize = O_PEERS + <usize>(PEERS_MAX * PEER_BYTES);

export function auth_state_bytes(): usize { return AUTH_STATE_BYTES; }

export function auth_state_write(p: usize): void {
  memory.fill(p, 0, AUTH_STATE_BYTES);
  store<u32>(p, VERSION);
  store<u32>(p + 4, accounts_next_id());
  store<u32>(p + 8, sessions_next_serial());
  store<u32>(p + 12, (accounts_provisioned() ? 1 : 0) | (siphash_key_ready() ? 2 : 0));
  if (siphash_key_ready()) memory.copy(p + O_KEY, siphash_key_ptr(), 16);
  memory.copy(p + O_PROFILE, profile_ptr(), PROFILE_BYTES);
  memory.copy(p + O_ROLES, roles_ptr(), ROLES_MAX * ROLE_BYTES);
  memory.copy(p + O_CONTEXT, context_ptr(), CONTEXT_BYTES);
  memory.copy(p + O_SOURCES, sources_ptr(), SOURCES_MAX * SOURCE_BYTES);
  memory.copy(p + O_ACCOUNTS, accounts_ptr(), ACCOUNTS_MAX * ACCOUNT_BYTES);
  memory.copy(p + O_PEERS, peers_ptr(), PEERS_MAX * PEER_BYTES);
}

function context_valid(c: usize): bool {
  const n = <u32>load<u8>(c);
  if (n > CONTEXT_WORDS_MAX) return false;
  for (let k: u32 = 0; k < CONTEXT_WORDS_MAX; k++) {
    const w = c + 1 + <usize>k * (1 + CONTEXT_WORD_MAX_BYTES);
    const l = <u32>load<u8>(w);
    if (k < n ? l < 3 || l > CONTEXT_WORD_MAX_BYTES : l != 0) return false;
  }
  return true;
}

/** Checks every field of a section image at p. */
export function auth_state_valid(p: usize): bool {
  if (load<u32>(p) != VERSION) return false;
  const next = load<u32>(p + 4);
  const flags = load<u32>(p + 12);
  if (next == 0 || load<u32>(p + 8) == 0 || (flags & ~3) != 0) return false;
  if (!profile_valid(p + O_PROFILE) || !roles_valid(p + O_ROLES) || !context_valid(p + O_CONTEXT)) return false;
  if (!peers_valid(p + O_PEERS)) return false;
  for (let i: u32 = 0; i < ROLES_MAX; i++) {
    if (load<u8>(p + O_ROLES + <usize>i * ROLE_BYTES + 1) > <u8>ROLE_NAME_MAX_BYTES) return false;
  }
  // Source records: a free one is all zero.
  for (let i: u32 = 0; i < SOURCES_MAX; i++) {
    const r = p + O_SOURCES + <usize>i * SOURCE_BYTES;
    if (load<u64>(r) == 0 && (load<u64>(r + 8) | load<u64>(r + 16) | load<u64>(r + 24)) != 0) return false;
  }
  // Accounts: each well-formed; names and ids unique (CR 1.4).
  let admins: u32 = 0;
  for (let i: u32 = 0; i < ACCOUNTS_MAX; i++) {
    const r = p + O_ACCOUNTS + <usize>i * ACCOUNT_BYTES;
    if (!account_valid(r, p + O_ROLES, next)) return false;
    if (load<u8>(r) == 0) continue;
    if (load<u8>(r + 2) == 0) admins++;
    for (let k: u32 = 0; k < i; k++) {
      const o = p + O_ACCOUNTS + <usize>k * ACCOUNT_BYTES;
      if (load<u8>(o) == 0) continue;
      if (load<u32>(o + A_ID) == load<u32>(r + A_ID)) return false;
      if (eq_bytes(o + A_NAME, <usize>load<u8>(o + A_NAME_LEN), r + A_NAME, <usize>load<u8>(r + A_NAME_LEN))) return false;
    }
  }
  // Provisioned means there is an administrator; not provisioned means no account at all.
  if ((flags & 1) != 0 ? admins == 0 : next != 1) return false;
  return true;
}

/** Loads a section image (after auth_state_valid). Sessions are not part of it: all are ended. */
export function auth_state_read(p: usize): void {
  auth_state_reset();
  accounts_set_next_id(load<u32>(p + 4));
  sessions_set_next_serial(load<u32>(p + 8));
  const flags = load<u32>(p + 12);
  accounts_set_provisioned((flags & 1) != 0);
  if ((flags & 2) != 0) {
    memory.copy(siphash_key_ptr(), p + O_KEY, 16);
    siphash_key_loaded();
  }
  memory.copy(profile_ptr(), p + O_PROFILE, PROFILE_BYTES);
  memory.copy(roles_ptr(), p + O_ROLES, ROLES_MAX * ROLE_BYTES);
  memory.copy(context_ptr(), p + O_CONTEXT, CONTEXT_BYTES);
  memory.copy(sources_ptr(), p + O_SOURCES, SOURCES_MAX * SOURCE_BYTES);
  memory.copy(accounts_ptr(), p + O_ACCOUNTS, ACCOUNTS_MAX * ACCOUNT_BYTES);
  memory.copy(peers_ptr(), p + O_PEERS, PEERS_MAX * PEER_BYTES);
}

/** Factory-fresh access control: no account, default profile and roles, no session, empty tables. */
export function auth_state_reset(): void {
  accounts_reset();
  sessions_reset();
  sessions_set_next_serial(1);
  profile_reset();
  roles_reset();
  memory.fill(context_ptr(), 0, CONTEXT_BYTES);
  sources_reset();
  siphash_key_reset();
  rl_reset();
  peers_reset();
}

/** True when nothing was ever provisioned (no account, never provisioned). */
export function auth_state_fresh(): bool {
  return !accounts_provisioned() && accounts_next_id() == 1;
}

/**
 * iacsec_zeroize (CR 4.2): wipes every access-control secret (accounts with
 * their hashes and TOTP secrets, peer keys, sessions, the source table and
 * its key). The module is unprovisioned afterwards; the profile, roles and
 * context words (no secrets) stay.
 */
export function auth_zeroize(): void {
  accounts_reset();
  sessions_reset();
  peers_reset();
  sources_reset();
  siphash_key_reset();
  rl_reset_table();
}
