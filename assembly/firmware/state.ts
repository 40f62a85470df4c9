// The one sealed state of the module: everything that must survive a restart
// (firmware trust state, access control, the audit log's continuation). The
// host stores the blob; the module seals it and checks it (seal, then every
// field) before any of it is used. All or nothing: a rejected blob changes
// nothing.
//
// Blob (version 3, little-endian):
//   0 "IACS" | 4 u16 version | 6 u16 section count | 8 u64 generation |
//   16 u32 blob length (tag included) | 20 u32 zero |
//   24 sections, encrypted; in clear each is: u16 id | u16 zero | u32 length |
//      length bytes (a multiple of 8) |
//   tag: HMAC-SHA256 under the MAC key of the header and the sections in clear.
//
// Sealing is deterministic authenticated encryption, the SIV construction
// (RFC 5297 section 2.6, with HMAC-SHA256 as the PRF and ChaCha20 as the
// cipher): the tag is the synthetic IV, and its first 12 bytes are the
// ChaCha20 nonce (RFC 8439 section 2.4, block counter 0) of the sections.
// TOTP seeds, peer keys, password hashes and the audit seal key therefore
// never reach the stored file or a backup in clear (CR 1.5, CR 1.14,
// CR 4.1), and no nonce is kept or drawn: a nonce repeats only for the same
// header and sections, which then give the same blob. The encryption key
// and the MAC key come from the host's sealing key by HKDF-Expand with
// SHA-256 (RFC 5869 section 2.3; info "iacsec state v3 enc" and
// "iacsec state v3 mac"; the key is the PRK, see state_seal_key). A
// version-2 blob (sections in clear, HMAC-SHA256 under the sealing key
// itself) is still read, so a device keeps its state across the upgrade;
// every export is version 3.
//
// The generation rises by one with every export. A platform keeps its
// high-water mark outside the blob (a second file, or a hardware monotonic
// counter) and passes it to iacsec_state_import: a blob older than the mark
// is a rollback of state (CR 3.4) and is refused. Any refused import puts
// the module in fail-secure mode (assembly/state_mode.ts).

import {
  OK, ERR_INVALID, ERR_MALFORMED, ERR_STATE, ERR_BUFFER_SMALL, ERR_ROLLBACK, ERR_FAILSECURE, ERR_FULL, ERR_LENGTH,
} from "../status";
import { ct_eq, wipe } from "../_mem";
import { hmac_sha256 } from "../hash/hmac";
import { chacha20_xor } from "../cipher/chacha20";
import { ed25519_verify } from "../sig/ed25519";
import { device_key_ready, device_public_key, device_sign } from "../device/key";
import { failsecure, failsecure_set } from "../state_mode";
import {
  FW_STATE_BYTES, fw_state_write, fw_state_valid, fw_state_read, fw_state_reset, fw_state_fresh, fw_state_merge_live,
} from "./fw_state";
import {
  EV_STATE_IMPORTED, EV_STATE_IMPORT_REJECTED, EV_STATE_RECOVERED, EV_STATE_BACKUP, EV_STATE_RESTORED,
  EV_STATE_RESTORE_REJECTED, ev_new, ev_ab, ev_push,
} from "./events";
import { fw_session_open } from "./session";
import { AUTH_STATE_BYTES, auth_state_write, auth_state_valid, auth_state_read, auth_state_reset, auth_state_fresh } from "../auth/state";
import { AUDIT_STATE_BYTES, audit_state_write, audit_state_valid, audit_state_read, audit_state_reset } from "../audit/state";
import { FULL_BUILD } from "../build_profile";

const MAGIC: u32 = 0x53434149;   // "IACS"
const VERSION: u16 = 3;
/** The previous format, read on import and restore only. */
const VERSION_CLEAR: u16 = 2;
@inline const HEADER_BYTES: usize = 24;
@inline const SECTION_HEADER_BYTES: usize = 8;

// ---- the section table: one entry per part that persists state ----
// The verify-only build (build_profile.ts) holds the firmware section only.
const SECTION_FIRMWARE: u16 = 1;
const SECTION_AUTH: u16 = 2;
const SECTION_AUDIT: u16 = 3;
@inline const SECTION_COUNT: i32 = FULL_BUILD ? 3 : 1;
@inline const SECTIONS_BYTES: usize = SECTION_HEADER_BYTES + FW_STATE_BYTES
  + (FULL_BUILD ? SECTION_HEADER_BYTES + AUTH_STATE_BYTES + SECTION_HEADER_BYTES + AUDIT_STATE_BYTES : 0);
/** Index of the audit section in the table (full build). */
@inline const AUDIT_INDEX: i32 = 2;

function section_id(i: i32): u16 {
  if (FULL_BUILD) {
    if (i == 1) return SECTION_AUTH;
    if (i == AUDIT_INDEX) return SECTION_AUDIT;
  }
  return SECTION_FIRMWARE;
}
function section_bytes(i: i32): usize {
  if (FULL_BUILD) {
    if (i == 1) return AUTH_STATE_BYTES;
    if (i == AUDIT_INDEX) return AUDIT_STATE_BYTES;
  }
  return FW_STATE_BYTES;
}
function section_write(i: i32, p: usize): void {
  if (FULL_BUILD) {
    if (i == 1) { auth_state_write(p); return; }
    if (i == AUDIT_INDEX) { audit_state_write(p); return; }
  }
  fw_state_write(p);
}
function section_valid(i: i32, p: usize): bool {
  if (FULL_BUILD) {
    if (i == 1) return auth_state_valid(p);
    if (i == AUDIT_INDEX) return audit_state_valid(p);
  }
  return fw_state_valid(p);
}
function section_read(i: i32, p: usize): void {
  if (FULL_BUILD) {
    if (i == 1) { auth_state_read(p); return; }
    if (i == AUDIT_INDEX) { audit_state_read(p); return; }
  }
  fw_state_read(p);
}
/** Every section back to factory-fresh, except the audit log's when keep_audit (a restore). */
function sections_reset(keep_audit: bool = false): void {
  fw_state_reset();
  if (FULL_BUILD) {
    auth_state_reset();
    if (!keep_audit) audit_state_reset();
  }
}
// The audit log's numbering never blocks a first load: a loaded state's log
// continues past its own sequence numbers (audit/state.ts), so it has no term here.
function sections_fresh(): bool {
  return fw_state_fresh() && (!FULL_BUILD || auth_state_fresh());
}
// ---- end of the section table ----

@inline const O_TAG: usize = HEADER_BYTES + SECTIONS_BYTES;
@inline const BLOB_BYTES: usize = O_TAG + 32;
/** A backup: the blob, then an Ed25519 signature by the device key. */
@inline const BACKUP_BYTES: usize = BLOB_BYTES + 64;
/** Domain separation of the backup signature: "iacsec state backup v2\0". */
@inline const BACKUP_CTX_BYTES: usize = 24;

/** The host's sealing key (read by version-2 blobs only), then the derived encryption and MAC keys. */
// @ts-ignore: decorator
@lazy const KEY: usize = memory.data(32, 8);
// @ts-ignore: decorator
@lazy const ENC_KEY: usize = memory.data(32, 8);
// @ts-ignore: decorator
@lazy const MAC_KEY: usize = memory.data(32, 8);
/** HKDF-Expand inputs: info "iacsec state v3 enc" and "iacsec state v3 mac", each with the block number 1. */
// @ts-ignore: decorator
@lazy const INFO_ENC: usize = memory.data<u8>([
  0x69, 0x61, 0x63, 0x73, 0x65, 0x63, 0x20, 0x73, 0x74, 0x61, 0x74, 0x65, 0x20, 0x76, 0x33, 0x20, 0x65, 0x6e, 0x63, 0x01,
]);
// @ts-ignore: decorator
@lazy const INFO_MAC: usize = memory.data<u8>([
  0x69, 0x61, 0x63, 0x73, 0x65, 0x63, 0x20, 0x73, 0x74, 0x61, 0x74, 0x65, 0x20, 0x76, 0x33, 0x20, 0x6d, 0x61, 0x63, 0x01,
]);
@inline const INFO_BYTES: usize = 20;
// @ts-ignore: decorator
@lazy const TAG: usize = memory.data(32, 8);
// @ts-ignore: decorator
@lazy const BACKUP_CTX: usize = memory.data<u8>([
  0x69, 0x61, 0x63, 0x73, 0x65, 0x63, 0x20, 0x73, 0x74, 0x61, 0x74, 0x65, 0x20,
  0x62, 0x61, 0x63, 0x6b, 0x75, 0x70, 0x20, 0x76, 0x32, 0x00, 0x00,
]);
/** Signed message of a backup: context, then the blob. */
// @ts-ignore: decorator
@lazy const SIGNED: usize = memory.data(<i32>(BACKUP_CTX_BYTES + BLOB_BYTES), 16);
/**
 * The sections of a blob being checked, decrypted: the blob's body within
 * SIGNED (a restore has checked the signature over SIGNED before it is
 * reused). Wiped after every check and load: it holds secrets in clear.
 */
@inline function plain(): usize { return SIGNED + BACKUP_CTX_BYTES; }
/** The live state, kept while a restore is tried, to put back if it fails. */
// @ts-ignore: decorator
@lazy const LIVE: usize = memory.data(<i32>BLOB_BYTES, 16);

let key_set: bool = false;
let generation: u64 = 0;
/** Highest high-water mark the host has named. */
let hwm: u64 = 0;

export function state_generation(): u64 { return generation; }
export function state_blob_bytes(): u32 { return <u32>BLOB_BYTES; }
export function state_backup_bytes(): u32 { return <u32>BACKUP_BYTES; }

export function state_seal_key(key: usize): void {
  memory.copy(KEY, key, 32);
  // HKDF-Expand (RFC 5869 section 2.3) of one block, T(1) = HMAC(PRK, info || 0x01), with the
  // sealing key as PRK: it is a uniformly random key already (section 3.3), so Extract is skipped.
  hmac_sha256(ENC_KEY, KEY, 32, INFO_ENC, INFO_BYTES);
  hmac_sha256(MAC_KEY, KEY, 32, INFO_MAC, INFO_BYTES);
  key_set = true;
}

/** Wipes the sealing key (CR 4.2). */
export function state_seal_key_wipe(): void {
  wipe(KEY, 32);
  wipe(ENC_KEY, 32);
  wipe(MAC_KEY, 32);
  key_set = false;
}

/** Writes the unsealed blob of the current state with generation g at out (BLOB_BYTES). */
function write_blob(out: usize, g: u64): void {
  memory.fill(out, 0, BLOB_BYTES);
  store<u32>(out, MAGIC);
  store<u16>(out + 4, VERSION);
  store<u16>(out + 6, <u16>SECTION_COUNT);
  store<u64>(out + 8, g);
  store<u32>(out + 16, <u32>BLOB_BYTES);
  let p = out + HEADER_BYTES;
  for (let i = 0; i < SECTION_COUNT; i++) {
    const n = section_bytes(i);
    store<u16>(p, section_id(i));
    store<u32>(p + 4, <u32>n);
    section_write(i, p + SECTION_HEADER_BYTES);
    p += SECTION_HEADER_BYTES + n;
  }
}

/** Encrypts or decrypts the sections of src into dst (they may be one blob) with the nonce tag[0..12]. */
function crypt_sections(dst: usize, src: usize, tag: usize): void {
  chacha20_xor(dst + HEADER_BYTES, src + HEADER_BYTES, SECTIONS_BYTES, ENC_KEY, tag, 0);
}

/** Seals the blob in clear at out, in place: the tag (synthetic IV), then the sections encrypted under it. */
function seal(out: usize): void {
  hmac_sha256(out + O_TAG, MAC_KEY, 32, out, O_TAG);
  crypt_sections(out, out, out + O_TAG);
}

/**
 * Checks [b, b + len) and leaves it in clear at plain(): OK when it is a
 * well-formed blob of this build with a valid seal and valid fields. The
 * tag is compared (constant time) before any field is read (encrypt and MAC
 * as one, RFC 5297 section 2.7); on any refusal plain() is wiped.
 */
function check_blob(b: usize, len: usize): i32 {
  if (len != BLOB_BYTES || load<u32>(b) != MAGIC) return ERR_MALFORMED;
  const version = load<u16>(b + 4);
  if (version != VERSION && version != VERSION_CLEAR) return ERR_MALFORMED;
  const p0 = plain();
  memory.copy(p0, b, HEADER_BYTES);
  if (version == VERSION) {
    crypt_sections(p0, b, b + O_TAG);
    hmac_sha256(TAG, MAC_KEY, 32, p0, O_TAG);
  } else {
    memory.copy(p0 + HEADER_BYTES, b + HEADER_BYTES, SECTIONS_BYTES);
    hmac_sha256(TAG, KEY, 32, p0, O_TAG);
  }
  const ok = ct_eq(TAG, b + O_TAG, 32) == 0;
  wipe(TAG, 32);
  const st = ok ? check_fields(p0) : ERR_INVALID;
  if (st != OK) wipe(p0, O_TAG);
  return st;
}

/** OK when every header and section field of the blob in clear at b is valid. */
function check_fields(b: usize): i32 {
  if (load<u16>(b + 6) != <u16>SECTION_COUNT || load<u32>(b + 16) != <u32>BLOB_BYTES || load<u32>(b + 20) != 0) return ERR_MALFORMED;
  let p = b + HEADER_BYTES;
  for (let i = 0; i < SECTION_COUNT; i++) {
    const n = section_bytes(i);
    if (load<u16>(p) != section_id(i) || load<u16>(p + 2) != 0 || <usize>load<u32>(p + 4) != n) return ERR_MALFORMED;
    if (!section_valid(i, p + SECTION_HEADER_BYTES)) return ERR_MALFORMED;
    p += SECTION_HEADER_BYTES + n;
  }
  return OK;
}

/** Loads every section of a checked blob; a restore keeps the live audit log (keep_audit). */
function read_blob(b: usize, keep_audit: bool = false): void {
  sections_reset(keep_audit);
  let p = b + HEADER_BYTES;
  for (let i = 0; i < SECTION_COUNT; i++) {
    if (!(FULL_BUILD && keep_audit && i == AUDIT_INDEX)) section_read(i, p + SECTION_HEADER_BYTES);
    p += SECTION_HEADER_BYTES + section_bytes(i);
  }
}

/**
 * Writes the sealed blob at out (room for cap bytes) with the next
 * generation: its length, or ERR_STATE (no sealing key, or a firmware
 * session open), ERR_FAILSECURE, ERR_BUFFER_SMALL.
 */
export function state_export(out: usize, cap: usize): i32 {
  if (!key_set || fw_session_open()) return ERR_STATE;
  if (failsecure()) return ERR_FAILSECURE;
  if (cap < BLOB_BYTES) return ERR_BUFFER_SMALL;
  generation++;
  write_blob(out, generation);
  seal(out);
  return <i32>BLOB_BYTES;
}

function import_blob(b: usize, len: usize, min_gen: u64): i32 {
  if (len == 0) {
    // No stored state: fine for a device that never had one; a rollback of
    // state (the file was deleted) when the high-water mark says it had.
    if (min_gen == 0 && sections_fresh()) return OK;
    return min_gen == 0 ? ERR_STATE : ERR_ROLLBACK;
  }
  const st = check_blob(b, len);
  if (st != OK) return st;
  const g = load<u64>(b + 8);
  // A running module only moves forward: a reload must be newer than what it holds.
  const refused = g < min_gen ? ERR_ROLLBACK : !sections_fresh() && g <= generation ? ERR_STATE : OK;
  if (refused == OK) {
    read_blob(plain());
    generation = g;
  }
  wipe(plain(), O_TAG);
  return refused;
}

/**
 * Imports a sealed blob: into a fresh module, or over the current state when
 * the blob is newer (a reload after another writer). min_gen is the
 * platform's high-water mark; len 0 means the host has no stored state.
 * Returns OK; ERR_STATE (no sealing key, a firmware session open, or a
 * reload that is not newer: nothing changes); ERR_MALFORMED (length, magic,
 * version, any field), ERR_INVALID (seal, compared in constant time),
 * ERR_ROLLBACK (older than min_gen, or missing although min_gen > 0): these
 * three enter fail-secure mode. Every outcome is an event.
 */
export function state_import(b: usize, len: usize, min_gen: u64): i32 {
  if (!key_set || fw_session_open()) return ERR_STATE;
  if (min_gen > hwm) hwm = min_gen;
  const st = import_blob(b, len, min_gen);
  if (st == OK && len == 0) return OK;
  if (st == ERR_MALFORMED || st == ERR_INVALID || st == ERR_ROLLBACK) failsecure_set(true);
  else if (st == OK) failsecure_set(false);
  ev_new(st == OK ? EV_STATE_IMPORTED : EV_STATE_IMPORT_REJECTED, st);
  ev_ab(len == 0 ? 0 : load<u64>(b + 8), min_gen);
  ev_push();
  return st;
}

/**
 * Leaves fail-secure mode by discarding the damaged state: the module is
 * factory-fresh again (provisioning open) and its next export lies above
 * every high-water mark named so far. ERR_STATE when not fail-secure.
 */
export function state_recover(): i32 {
  if (!failsecure() || fw_session_open()) return ERR_STATE;
  sections_reset();
  failsecure_set(false);
  if (generation < hwm) generation = hwm;
  ev_new(EV_STATE_RECOVERED, OK);
  ev_ab(generation, hwm);
  ev_push();
  return OK;
}

/**
 * Writes a backup of the current state at out: the sealed blob (current
 * generation), then the device key's Ed25519 signature over
 * BACKUP_CTX || blob (CR 7.3). Returns its length, or ERR_STATE (no sealing
 * key or device key, a session open), ERR_FAILSECURE, ERR_BUFFER_SMALL.
 */
export function state_backup(out: usize, cap: usize): i32 {
  if (!key_set || !device_key_ready() || fw_session_open()) return ERR_STATE;
  if (failsecure()) return ERR_FAILSECURE;
  if (cap < BACKUP_BYTES) return ERR_BUFFER_SMALL;
  memory.copy(SIGNED, BACKUP_CTX, BACKUP_CTX_BYTES);
  write_blob(SIGNED + BACKUP_CTX_BYTES, generation);
  seal(SIGNED + BACKUP_CTX_BYTES);
  device_sign(out + BLOB_BYTES, SIGNED, BACKUP_CTX_BYTES + BLOB_BYTES);
  memory.copy(out, SIGNED + BACKUP_CTX_BYTES, BLOB_BYTES);
  ev_new(EV_STATE_BACKUP, OK);
  ev_ab(generation, 0);
  ev_push();
  return <i32>BACKUP_BYTES;
}

function restore(b: usize, len: usize): i32 {
  if (!key_set || !device_key_ready() || fw_session_open()) return ERR_STATE;
  if (len != BACKUP_BYTES) return ERR_LENGTH;
  // Verified before anything changes (CR 7.3 RE1): the device's signature, then the seal and every field.
  memory.copy(SIGNED, BACKUP_CTX, BACKUP_CTX_BYTES);
  memory.copy(SIGNED + BACKUP_CTX_BYTES, b, BLOB_BYTES);
  if (ed25519_verify(device_public_key(), SIGNED, BACKUP_CTX_BYTES + BLOB_BYTES, b + BLOB_BYTES) != OK) return ERR_INVALID;
  const st = check_blob(b, BLOB_BYTES);
  if (st != OK) return st;
  const was_fresh = sections_fresh();
  write_blob(LIVE, generation);
  // The audit log is not restored: it only moves forward (CR 3.9), so its
  // numbering and chain continue from the live state.
  read_blob(plain(), true);
  wipe(plain(), O_TAG);
  // Counters never go below the live ones, and live revocations hold.
  if (!was_fresh && !fw_state_merge_live(LIVE + HEADER_BYTES + SECTION_HEADER_BYTES)) {
    read_blob(LIVE, true);
    wipe(LIVE, BLOB_BYTES);
    return ERR_FULL;
  }
  wipe(LIVE, BLOB_BYTES);
  failsecure_set(false);
  if (generation < hwm) generation = hwm;
  return OK;
}

/**
 * Restores a backup written by state_backup on this device (same device key
 * and sealing key). Never lowers a counter below the live one and keeps
 * every live revocation; the restored state's next export lies above the
 * live generation and every high-water mark. Returns OK, ERR_STATE,
 * ERR_LENGTH, ERR_INVALID (signature or seal), ERR_MALFORMED, ERR_FULL (the
 * merge does not fit, or would leave no active supplier anchor): nothing
 * changes unless OK. Every outcome is an event.
 */
export function state_restore(b: usize, len: usize): i32 {
  const st = restore(b, len);
  ev_new(st == OK ? EV_STATE_RESTORED : EV_STATE_RESTORE_REJECTED, st);
  ev_ab(len == BACKUP_BYTES ? load<u64>(b + 8) : 0, generation);
  ev_push();
  return st;
}
