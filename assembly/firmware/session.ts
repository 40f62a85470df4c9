// The firmware session: a manifest is verified (EDR 3.10 RE1: authenticity
// and integrity before install; EDR 3.14 RE1: boot check), then the image is
// streamed through the manifest's digest and compared in constant time.
// Anything the session needs later is copied out of the manifest at begin:
// the host reuses the I/O area for the image chunks.

import {
  OK, ERR_INVALID, ERR_LENGTH, ERR_MALFORMED, ERR_UNSUPPORTED, ERR_STATE, ERR_UNKNOWN_KEY, ERR_REVOKED,
  ERR_ROLLBACK, ERR_WRONG_VENDOR, ERR_WRONG_CLASS, ERR_WRONG_COMPONENT, ERR_DIGEST, ERR_SIZE, ERR_UNAUTHORIZED,
  ERR_FAILSECURE,
} from "../status";
import { ct_eq, wipe } from "../_mem";
import { MANIFEST_MAX_BYTES, FW_INFO_BYTES } from "../limits";
import { failsecure } from "../state_mode";
import { sha256, sha256_init, sha256_update, sha256_final } from "../hash/sha256";
import { SHA512_STATE_BYTES, sha512_init, sha512_update, sha512_final } from "../hash/sha512";
import {
  sign1_parse, sign1_check_protected, sign1_alg, sign1_kid, sign1_kid_len, sign1_payload, sign1_payload_len,
  sign1_verify_signature,
} from "../cose/sign1";
import {
  DEVICE, ROLE_OWNER, A_ROLE, A_ALG, A_REVOKED, A_PK, A_PK_LEN,
  provisioning_closed, anchor_find, anchor_record, revoked_has, grant_has,
} from "./anchors";
import {
  DIGEST_SHA256, manifest_parse, manifest_vendor, manifest_class, manifest_name, manifest_name_len,
  manifest_version, manifest_version_len, manifest_counter, manifest_size, manifest_digest_alg, manifest_digest,
  manifest_digest_len,
} from "./manifest";
import { counter_value, counter_room, counter_raise } from "./counters";
import {
  EV_FW_ACCEPTED, EV_FW_REJECTED, EV_COUNTER_RAISED, EV_BOOT_CHECK_PASSED, EV_BOOT_CHECK_FAILED,
  EV_FW_SESSION_REFUSED, ev_new, ev_ab, ev_kid, ev_component, ev_push,
} from "./events";

export const PURPOSE_INSTALL: i32 = 0;
export const PURPOSE_BOOT: i32 = 1;

// @ts-ignore: decorator
@lazy const HST: usize = memory.data(<i32>SHA512_STATE_BYTES, 16);
// @ts-ignore: decorator
@lazy const WANT: usize = memory.data(64, 8);
// @ts-ignore: decorator
@lazy const GOT: usize = memory.data(64, 8);
// @ts-ignore: decorator
@lazy const NAME_HASH: usize = memory.data(32, 8);
// @ts-ignore: decorator
@lazy const NAME: usize = memory.data(64, 8);
// @ts-ignore: decorator
@lazy const KID: usize = memory.data(32, 8);
/**
 * The verified manifest (FW_INFO_BYTES), filled when begin accepts it: the
 * host reports these fields, never its own decoding of the message.
 *   0 u8 1 when filled | 1 u8 purpose | 2 u8 signer role | 3 u8 zero |
 *   4 i16 digest alg (COSE) | 6 u8 kid length | 7 u8 component length |
 *   8 u8 version length | 9 u8 digest length | 10..16 zero |
 *   16 vendor id | 32 class id | 48 u64 security counter | 56 u64 image size |
 *   64 kid (32) | 96 component (64) | 160 version (32) | 192 digest (64).
 */
// @ts-ignore: decorator
@lazy const INFO: usize = memory.data(<i32>FW_INFO_BYTES, 8);

let open: bool = false;
let purpose: i32 = 0;
let dalg: i32 = 0;
let size: u64 = 0;
let total: u64 = 0;
let counter: u64 = 0;
// Known so far, for events.
let name_n: usize = 0;
let kid_n: usize = 0;
let role: u8 = 0;

function close(): void {
  open = false;
  wipe(HST, SHA512_STATE_BYTES);
  wipe(WANT, 64);
  wipe(GOT, 64);
  total = 0;
}

/** Queues the event of a failed check. */
function reject(st: i32): void {
  ev_new(purpose == PURPOSE_BOOT ? EV_BOOT_CHECK_FAILED : EV_FW_REJECTED, st);
  if (kid_n != 0) ev_kid(KID, kid_n, role);
  if (name_n != 0) ev_component(NAME, name_n);
  ev_ab(counter, size);
  ev_push();
}

/** Copies the fields of the manifest just verified into INFO. */
function fill_info(): void {
  memory.fill(INFO, 0, FW_INFO_BYTES);
  store<u8>(INFO, 1);
  store<u8>(INFO + 1, <u8>purpose);
  store<u8>(INFO + 2, role);
  store<i16>(INFO + 4, <i16>dalg);
  store<u8>(INFO + 6, <u8>kid_n);
  store<u8>(INFO + 7, <u8>name_n);
  store<u8>(INFO + 8, <u8>manifest_version_len());
  store<u8>(INFO + 9, <u8>manifest_digest_len());
  memory.copy(INFO + 16, manifest_vendor(), 16);
  memory.copy(INFO + 32, manifest_class(), 16);
  store<u64>(INFO + 48, counter);
  store<u64>(INFO + 56, size);
  memory.copy(INFO + 64, KID, kid_n);
  memory.copy(INFO + 96, NAME, name_n);
  memory.copy(INFO + 160, manifest_version(), manifest_version_len());
  memory.copy(INFO + 192, manifest_digest(), manifest_digest_len());
}

/** Writes the verified-manifest record: OK, or ERR_STATE when the last begin verified none. */
export function fw_info(out: usize): i32 {
  if (load<u8>(INFO) == 0) return ERR_STATE;
  memory.copy(out, INFO, FW_INFO_BYTES);
  return OK;
}

function begin(m: usize, n: usize, slot: usize, slot_n: usize): i32 {
  // Fail-secure (the stored state failed to load): nothing to check against.
  if (failsecure()) return ERR_FAILSECURE;
  if (!provisioning_closed()) return ERR_STATE;
  if (n > MANIFEST_MAX_BYTES) return ERR_LENGTH;
  if (sign1_parse(m, n, true) != OK) return ERR_MALFORMED;
  const h = sign1_check_protected();
  if (h == ERR_MALFORMED || h == ERR_UNSUPPORTED) return h;
  kid_n = sign1_kid_len();
  memory.copy(KID, sign1_kid(), kid_n);
  if (h != OK) return h;
  const i = anchor_find(KID, kid_n);
  if (i < 0) return ERR_UNKNOWN_KEY;
  const r = anchor_record(<u32>i);
  role = load<u8>(r + A_ROLE);
  const signer = <u32>i;
  if (load<u8>(r + A_REVOKED) != 0 || revoked_has(KID, kid_n)) return ERR_REVOKED;
  // The anchor fixes the algorithm: a message cannot pick another one.
  if (<i32>load<i8>(r + A_ALG) != sign1_alg()) return ERR_INVALID;
  if (sign1_verify_signature(r + A_PK, <usize>load<u8>(r + A_PK_LEN), sign1_alg(), 0, 0) != OK) return ERR_INVALID;
  const st = manifest_parse(sign1_payload(), sign1_payload_len());
  if (st != OK) return st;
  name_n = manifest_name_len();
  memory.copy(NAME, manifest_name(), name_n);
  counter = manifest_counter();
  size = manifest_size();
  if (memory.compare(manifest_vendor(), DEVICE, 16) != 0) return ERR_WRONG_VENDOR;
  if (memory.compare(manifest_class(), DEVICE + 16, 16) != 0) return ERR_WRONG_CLASS;
  // The manifest must be for the slot being checked: an authentic image of
  // another component (with its own, lower counter) must not pass here.
  if (name_n != slot_n || memory.compare(NAME, slot, slot_n) != 0) return ERR_WRONG_COMPONENT;
  sha256(NAME_HASH, NAME, name_n);
  // An asset-owner anchor signs only the components its statement granted
  // (EDR 3.13): it cannot sign the supplier's firmware or block its counter.
  if (role == ROLE_OWNER && !grant_has(signer, NAME_HASH)) return ERR_UNAUTHORIZED;
  if (counter < counter_value(NAME_HASH)) return ERR_ROLLBACK;
  if (purpose == PURPOSE_INSTALL) {
    const room = counter_room(NAME_HASH, counter);
    if (room != OK) return room;
  }
  dalg = manifest_digest_alg();
  memory.copy(WANT, manifest_digest(), manifest_digest_len());
  if (dalg == DIGEST_SHA256) sha256_init(HST); else sha512_init(HST);
  total = 0;
  open = true;
  fill_info();
  return OK;
}

/**
 * Verifies the manifest [m, m + n) for the component slot [slot, slot +
 * slot_n) and purpose PURPOSE_INSTALL or PURPOSE_BOOT (already checked),
 * and opens the session. One session at a time: ERR_STATE while one is
 * open (it stays open). Returns OK or the first failed check's status, in
 * this order: ERR_STATE (provisioning open), ERR_FAILSECURE (install while
 * fail-secure), ERR_LENGTH, ERR_MALFORMED, ERR_UNSUPPORTED, ERR_MALFORMED
 * (kid), ERR_CRITICAL, ERR_UNKNOWN_KEY, ERR_REVOKED, ERR_INVALID (alg
 * differs from the anchor's, or signature), ERR_MALFORMED / ERR_CRITICAL
 * (payload), ERR_WRONG_VENDOR, ERR_WRONG_CLASS, ERR_WRONG_COMPONENT,
 * ERR_UNAUTHORIZED (an owner anchor without a grant for the component),
 * ERR_ROLLBACK, ERR_FULL (install: no room for a new component's counter).
 */
export function fw_begin(m: usize, n: usize, slot: usize, slot_n: usize, p: i32): i32 {
  if (open) {
    ev_new(EV_FW_SESSION_REFUSED, ERR_STATE);
    ev_push();
    return ERR_STATE;
  }
  close();
  store<u8>(INFO, 0);
  purpose = p;
  name_n = 0; kid_n = 0; role = 0; counter = 0; size = 0;
  const st = begin(m, n, slot, slot_n);
  if (st != OK) reject(st);
  return st;
}

/** Feeds len image bytes at p. ERR_STATE without a session; ERR_SIZE (session closed) past the declared size. */
export function fw_update(p: usize, len: usize): i32 {
  if (!open) return ERR_STATE;
  if (<u64>len > size - total) {
    close();
    reject(ERR_SIZE);
    return ERR_SIZE;
  }
  if (dalg == DIGEST_SHA256) sha256_update(HST, p, len); else sha512_update(HST, p, len);
  total += <u64>len;
  return OK;
}

/**
 * Ends the session: ERR_SIZE when fewer bytes than declared were fed,
 * ERR_DIGEST when the image digest differs, else OK; for an install the
 * component's counter is raised to the manifest's (never lowered).
 */
export function fw_finish(): i32 {
  if (!open) return ERR_STATE;
  if (total != size) {
    close();
    reject(ERR_SIZE);
    return ERR_SIZE;
  }
  let dn: usize = 32;
  if (dalg == DIGEST_SHA256) sha256_final(HST, GOT);
  else { sha512_final(HST, GOT); dn = 64; }
  const same = ct_eq(GOT, WANT, dn) == 0;
  close();
  if (!same) {
    reject(ERR_DIGEST);
    return ERR_DIGEST;
  }
  ev_new(purpose == PURPOSE_BOOT ? EV_BOOT_CHECK_PASSED : EV_FW_ACCEPTED, OK);
  ev_kid(KID, kid_n, role);
  ev_component(NAME, name_n);
  ev_ab(counter, size);
  ev_push();
  if (purpose == PURPOSE_INSTALL) {
    const old = counter_raise(NAME_HASH, counter);
    if (counter > old) {
      ev_new(EV_COUNTER_RAISED, OK);
      ev_kid(KID, kid_n, role);
      ev_component(NAME, name_n);
      ev_ab(old, counter);
      ev_push();
    }
  }
  return OK;
}

/** Closes the session without a decision: OK, or ERR_STATE when none is open. */
export function fw_abort(): i32 {
  if (!open) return ERR_STATE;
  close();
  return OK;
}

/** True while a session is open. */
export function fw_session_open(): bool { return open; }
