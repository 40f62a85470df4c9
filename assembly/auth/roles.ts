// Roles and their permissions (CR 2.1 RE2: the mapping is configurable by an
// administrator). A permission is a bit 0..31; authorization is default deny.
// Role 0 is the administrator role: it always holds every permission, so no
// change of roles can leave the component without an administrator.
//
// Record (ROLE_BYTES): [0] used, [1] name length, [2] flags (RF_*), [3] 0,
// [4,8) permissions u32, [8,32) name.

import { ROLES_MAX, ROLE_BYTES, ROLE_NAME_MAX_BYTES } from "./limits";

/** The role needs a second factor (CR 1.1 RE2 per role). */
export const RF_MFA: u8 = 1;

export const PERM_USER_ADMIN: u32 = 0;      // accounts: add, modify, disable, enable, remove, set passwords
export const PERM_ROLE_ADMIN: u32 = 1;      // roles and their permissions
export const PERM_SESSION_ADMIN: u32 = 2;   // list and terminate sessions
export const PERM_SECURITY_ADMIN: u32 = 3;  // profile, lock/unlock, rate limits, peer keys, TOTP of others
export const PERM_AUDIT_READ: u32 = 4;
export const PERM_FIRMWARE_UPDATE: u32 = 5;
export const PERM_CONFIG_READ: u32 = 6;
export const PERM_CONFIG_WRITE: u32 = 7;
export const PERM_PROCESS_READ: u32 = 8;
export const PERM_PROCESS_WRITE: u32 = 9;
export const PERM_PROCESS_OPERATE: u32 = 10;
// 11..15 reserved; 16..31 for the product.

const ALL: u32 = 0xffff_ffff;

// @ts-ignore: decorator
@lazy const ROLES: usize = memory.data(<i32>(ROLES_MAX * ROLE_BYTES), 8);

export function role_rec(i: u32): usize { return ROLES + <usize>i * ROLE_BYTES; }
export function role_exists(i: i32): bool { return i >= 0 && <u32>i < ROLES_MAX && load<u8>(role_rec(<u32>i)) == 1; }
export function role_perms(i: u32): u32 { return i == 0 ? ALL : load<u32>(role_rec(i) + 4); }
export function role_flags(i: u32): u8 { return load<u8>(role_rec(i) + 2); }

function put(i: u32, name: string, perms: u32, flags: u8): void {
  const r = role_rec(i);
  store<u8>(r, 1);
  const n = name.length;
  store<u8>(r + 1, <u8>n);
  store<u8>(r + 2, flags);
  store<u32>(r + 4, perms);
  for (let k = 0; k < n; k++) store<u8>(r + 8 + <usize>k, <u8>name.charCodeAt(k));
}

/** Writes role i: name (1..ROLE_NAME_MAX_BYTES, checked by the caller), permissions, flags. */
export function role_set(i: u32, name: usize, name_len: usize, perms: u32, flags: u8): void {
  const r = role_rec(i);
  memory.fill(r, 0, ROLE_BYTES);
  store<u8>(r, 1);
  store<u8>(r + 1, <u8>name_len);
  store<u8>(r + 2, flags);
  store<u32>(r + 4, i == 0 ? ALL : perms);
  memory.copy(r + 8, name, name_len);
}

export function role_remove(i: u32): void { memory.fill(role_rec(i), 0, ROLE_BYTES); }

/** Factory roles: administrator (all), engineer, operator, viewer, auditor. */
export function roles_reset(): void {
  memory.fill(ROLES, 0, ROLES_MAX * ROLE_BYTES);
  put(0, "administrator", ALL, 0);
  put(1, "engineer", (1 << PERM_CONFIG_READ) | (1 << PERM_CONFIG_WRITE) | (1 << PERM_FIRMWARE_UPDATE)
    | (1 << PERM_PROCESS_READ) | (1 << PERM_PROCESS_WRITE), 0);
  put(2, "operator", (1 << PERM_PROCESS_READ) | (1 << PERM_PROCESS_OPERATE) | (1 << PERM_CONFIG_READ), 0);
  put(3, "viewer", (1 << PERM_PROCESS_READ), 0);
  put(4, "auditor", (1 << PERM_AUDIT_READ) | (1 << PERM_CONFIG_READ), 0);
}

export function roles_ptr(): usize { return ROLES; }

/** Checks a roles table image: role 0 present, lengths in range, unused records zero. */
export function roles_valid(p: usize): bool {
  if (load<u8>(p) != 1) return false;
  for (let i: u32 = 0; i < ROLES_MAX; i++) {
    const r = p + <usize>i * ROLE_BYTES;
    const used = load<u8>(r);
    if (used > 1) return false;
    if (used == 1) {
      const n = load<u8>(r + 1);
      if (n < 1 || <u32>n > ROLE_NAME_MAX_BYTES || (load<u8>(r + 2) & ~RF_MFA) != 0) return false;
    }
  }
  return true;
}

roles_reset();
