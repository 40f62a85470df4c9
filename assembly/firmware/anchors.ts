// Device identity, trust anchors and the revocation list (EDR 3.12 supplier
// roots of trust, EDR 3.13 asset-owner roots of trust). Anchors stay in the
// table when revoked, flagged; a revoked key id can never be added again.
// An asset-owner anchor may sign manifests only for the components that the
// supplier-signed statement adding it granted (the grants table): an owner
// key cannot take over the supplier's firmware slot, nor push its counter
// out of the supplier's reach.

import { OK, ERR_INVALID, ERR_EXISTS, ERR_KID_REVOKED, ERR_LAST_ANCHOR, ERR_FULL } from "../status";
import { ANCHORS_MAX, REVOKED_MAX, GRANTS_MAX, ANCHOR_RECORD_BYTES } from "../limits";
import { fe_bytes_canonical_vartime } from "../sig/_fe25519";
import { ge_frombytes_negate_vartime, ge_has_small_order_vartime, GE_P3_BYTES } from "../sig/_ge25519";
import { pt_decode_sec1_vartime } from "../sig/_p256_point";

export const ROLE_SUPPLIER: u8 = 1;
export const ROLE_OWNER: u8 = 2;
export const ALG_EDDSA: i32 = -8;
export const ALG_ES256: i32 = -7;

// Anchor record (IACSEC_ANCHOR_RECORD_BYTES), stored as the host reads it.
export const A_ROLE: usize = 0;
export const A_ALG: usize = 1;
export const A_REVOKED: usize = 2;
export const A_KID_LEN: usize = 3;
export const A_KID: usize = 4;
export const A_PK_LEN: usize = 36;
export const A_PK: usize = 37;
/** A revocation entry: u8 kid length, 32 bytes of kid. */
export const REVOKED_ENTRY: usize = 33;
/** A grant: u8 anchor index, 7 zero bytes, SHA-256 of the component name. */
export const GRANT_ENTRY: usize = 40;

// @ts-ignore: decorator
@lazy export const ANCHORS: usize = memory.data(<i32>(ANCHORS_MAX * ANCHOR_RECORD_BYTES), 8);
// @ts-ignore: decorator
@lazy export const REVOKED: usize = memory.data(<i32>(REVOKED_MAX * <u32>REVOKED_ENTRY), 8);
// @ts-ignore: decorator
@lazy export const GRANTS: usize = memory.data(<i32>(GRANTS_MAX * <u32>GRANT_ENTRY), 8);
/** Vendor id, then device class id (16 bytes each). */
// @ts-ignore: decorator
@lazy export const DEVICE: usize = memory.data(32, 8);
// @ts-ignore: decorator
@lazy const PT: usize = memory.data(<i32>GE_P3_BYTES, 8);
// @ts-ignore: decorator
@lazy const QX: usize = memory.data(36, 8);
// @ts-ignore: decorator
@lazy const QY: usize = memory.data(36, 8);

let anchor_n: u32 = 0;
let revoked_n: u32 = 0;
let grant_n: u32 = 0;
let device_is_set: bool = false;
let prov_closed: bool = false;

export function anchor_count(): u32 { return anchor_n; }
export function revoked_count(): u32 { return revoked_n; }
export function grant_count(): u32 { return grant_n; }
export function device_set(): bool { return device_is_set; }
export function provisioning_closed(): bool { return prov_closed; }
export function anchor_record(i: u32): usize { return ANCHORS + <usize>i * ANCHOR_RECORD_BYTES; }

/** Restores the scalar state (from a verified state blob; the tables are written by the caller). */
export function anchors_restore(anchors: u32, revoked: u32, grants: u32, dev: bool, closed: bool): void {
  anchor_n = anchors; revoked_n = revoked; grant_n = grants; device_is_set = dev; prov_closed = closed;
}

/** Back to factory-fresh: no device identity, no anchors, provisioning open. */
export function anchors_reset(): void {
  memory.fill(ANCHORS, 0, <usize>(ANCHORS_MAX * ANCHOR_RECORD_BYTES));
  memory.fill(REVOKED, 0, <usize>REVOKED_MAX * REVOKED_ENTRY);
  memory.fill(GRANTS, 0, <usize>GRANTS_MAX * GRANT_ENTRY);
  memory.fill(DEVICE, 0, 32);
  anchors_restore(0, 0, 0, false, false);
}

/** True when anchor i was granted the component with this name hash. */
export function grant_has(i: u32, name_hash: usize): bool {
  for (let j: u32 = 0; j < grant_n; j++) {
    const g = GRANTS + <usize>j * GRANT_ENTRY;
    if (<u32>load<u8>(g) == i && memory.compare(g + 8, name_hash, 32) == 0) return true;
  }
  return false;
}

/** Room for n more grants. */
export function grants_room(n: u32): bool { return grant_n + n <= GRANTS_MAX; }

/** Grants the component (by name hash) to anchor i; the caller checked grants_room. Duplicates are kept once. */
export function grant_add(i: u32, name_hash: usize): void {
  if (grant_has(i, name_hash)) return;
  const g = GRANTS + <usize>grant_n * GRANT_ENTRY;
  memory.fill(g, 0, GRANT_ENTRY);
  store<u8>(g, <u8>i);
  memory.copy(g + 8, name_hash, 32);
  grant_n++;
}

export function device_store(vendor: usize, class_id: usize): void {
  memory.copy(DEVICE, vendor, 16);
  memory.copy(DEVICE + 16, class_id, 16);
  device_is_set = true;
}

export function provisioning_close(): void { prov_closed = true; }

/** Number of non-revoked supplier anchors. */
export function suppliers_active(): u32 {
  let c: u32 = 0;
  for (let i: u32 = 0; i < anchor_n; i++) {
    const r = anchor_record(i);
    if (load<u8>(r + A_ROLE) == ROLE_SUPPLIER && load<u8>(r + A_REVOKED) == 0) c++;
  }
  return c;
}

/** Index of the anchor with this key id, or -1. Key ids are public. */
export function anchor_find(kid: usize, n: usize): i32 {
  for (let i: u32 = 0; i < anchor_n; i++) {
    const r = anchor_record(i);
    if (<usize>load<u8>(r + A_KID_LEN) == n && memory.compare(r + A_KID, kid, n) == 0) return <i32>i;
  }
  return -1;
}

export function revoked_has(kid: usize, n: usize): bool {
  for (let i: u32 = 0; i < revoked_n; i++) {
    const r = REVOKED + <usize>i * REVOKED_ENTRY;
    if (<usize>load<u8>(r) == n && memory.compare(r + 1, kid, n) == 0) return true;
  }
  return false;
}

/**
 * True when pk is a usable public key for alg: Ed25519, 32 bytes, canonical,
 * a curve point, not of small order (RFC 8032 section 5.1.3; a small-order
 * key lets one signature verify for many messages); P-256, SEC1 33/65 bytes
 * on the curve (SP 800-186 appendix D.1.1: an off-curve key enables
 * invalid-curve attacks).
 */
export function pk_valid(alg: i32, pk: usize, n: usize): bool {
  if (alg == ALG_EDDSA) {
    if (n != 32 || !fe_bytes_canonical_vartime(pk)) return false;
    if (ge_frombytes_negate_vartime(PT, pk) != 0) return false;
    return ge_has_small_order_vartime(PT) == 0;
  }
  if (alg == ALG_ES256) return (n == 33 || n == 65) && pt_decode_sec1_vartime(QX, QY, pk, n);
  return false;
}

/**
 * Adds an anchor (kid 1..32 bytes and alg -8/-7 already checked). Returns
 * OK, ERR_KID_REVOKED (the kid was revoked), ERR_EXISTS (an anchor has the
 * kid), ERR_INVALID (not a usable key), ERR_FULL.
 */
export function anchor_add(role: u8, kid: usize, kid_n: usize, pk: usize, pk_n: usize, alg: i32): i32 {
  if (revoked_has(kid, kid_n)) return ERR_KID_REVOKED;
  if (anchor_find(kid, kid_n) >= 0) return ERR_EXISTS;
  if (!pk_valid(alg, pk, pk_n)) return ERR_INVALID;
  if (anchor_n >= ANCHORS_MAX) return ERR_FULL;
  const r = anchor_record(anchor_n);
  memory.fill(r, 0, ANCHOR_RECORD_BYTES);
  store<u8>(r + A_ROLE, role);
  store<i8>(r + A_ALG, <i8>alg);
  store<u8>(r + A_KID_LEN, <u8>kid_n);
  memory.copy(r + A_KID, kid, kid_n);
  store<u8>(r + A_PK_LEN, <u8>pk_n);
  memory.copy(r + A_PK, pk, pk_n);
  anchor_n++;
  return OK;
}

/**
 * Revokes a key id (1..32 bytes), whether or not an anchor has it. Returns
 * OK, ERR_EXISTS (already revoked), ERR_LAST_ANCHOR (it is the last
 * non-revoked supplier anchor: the device would be left without a root of
 * trust), ERR_FULL (revocation list full).
 */
export function revoke(kid: usize, kid_n: usize): i32 {
  if (revoked_has(kid, kid_n)) return ERR_EXISTS;
  const i = anchor_find(kid, kid_n);
  if (i >= 0) {
    const r = anchor_record(<u32>i);
    if (load<u8>(r + A_ROLE) == ROLE_SUPPLIER && suppliers_active() <= 1) return ERR_LAST_ANCHOR;
  }
  if (revoked_n >= REVOKED_MAX) return ERR_FULL;
  const e = REVOKED + <usize>revoked_n * REVOKED_ENTRY;
  store<u8>(e, <u8>kid_n);
  memory.fill(e + 1, 0, 32);
  memory.copy(e + 1, kid, kid_n);
  revoked_n++;
  if (i >= 0) store<u8>(anchor_record(<u32>i) + A_REVOKED, 1);
  return OK;
}
