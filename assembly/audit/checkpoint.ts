// Signed checkpoints (CR 3.9): a note in the C2SP signed-note format
// (c2sp.org/signed-note, c2sp.org/tlog-checkpoint), signed with the device's
// Ed25519 key, so that any verifier holding the device's public key checks it
// without this project's code:
//
//   iacsec.audit/<first 8 bytes of the device public key, hex>\n   origin
//   <sequence number of the last record covered>\n
//   <base64 chain head after that record>\n
//   cp <checkpoint index> <base64 SHA-256 of the previous checkpoint's body>\n
//   export\n                                   (only on a checkpoint closing an export)
//   \n
//   — <origin> <base64(key id[4] || Ed25519 signature[64])>\n
//
// The key id is SHA-256(origin || 0x0a || 0x01 || public key)[0..4]; the
// signature is over the body (the lines before the blank line). Each
// checkpoint names its index and the hash of the one before it, so a removed,
// repeated or reordered checkpoint breaks the chain of checkpoints.
//
// Besides the signature, a checkpoint carries an HMAC-SHA256 seal of its
// body under the current seal key, which is then ratcheted forward,
// K' = HKDF-SHA256(K, salt "iacsec", info "audit seal ratchet v1"), and the
// old key wiped: whoever takes the device over later holds only keys that
// seal the future, never one that re-seals the past (forward security).

import { wipe } from "../_mem";
import { sha256 } from "../hash/sha256";
import { hmac_sha256 } from "../hash/hmac";
import { hkdf_sha256 } from "../hash/hkdf";
import { device_public_key, device_sign } from "../device/key";
import { put_ascii, put_b64, put_dec, put_hex } from "./_text";

export const CP_FLAG_EXPORT: u8 = 1;

// @ts-ignore: decorator
@lazy const PREV: usize = memory.data(32, 8);
// @ts-ignore: decorator
@lazy const SEAL_KEY: usize = memory.data(32, 8);
// @ts-ignore: decorator
@lazy const NEXT_KEY: usize = memory.data(32, 8);
// @ts-ignore: decorator
@lazy const ORIGIN: usize = memory.data(32, 8);
// @ts-ignore: decorator
@lazy const KEYID_IN: usize = memory.data(80, 8);
// @ts-ignore: decorator
@lazy const SIG: usize = memory.data(68, 8);  // key id[4] || signature[64]
// @ts-ignore: decorator
@lazy const DIGEST: usize = memory.data(32, 8);
// @ts-ignore: decorator
@lazy const SALT: usize = memory.data<u8>([0x69, 0x61, 0x63, 0x73, 0x65, 0x63]); // "iacsec"

let cp_index: u64 = 0;      // index of the last checkpoint made (0: none yet)
let cp_size: u64 = 0;       // sequence number it covers
let cp_export: bool = false;
let seal_set: bool = false;
let seal_first: u64 = 0;    // index of the first checkpoint sealed under the key the host set

export function cp_last_index(): u64 { return cp_index; }
export function cp_last_size(): u64 { return cp_size; }
export function cp_last_is_export(): bool { return cp_export; }
export function cp_seal_set(): bool { return seal_set; }
export function cp_seal_first(): u64 { return seal_first; }
export function cp_prev_hash(): usize { return PREV; }
export function cp_seal_key(): usize { return SEAL_KEY; }

/** Sets the seal key once: the next checkpoint (index returned) is the first one sealed. */
export function cp_seal_key_set(key: usize): u64 {
  memory.copy(SEAL_KEY, key, 32);
  seal_set = true;
  seal_first = cp_index + 1;
  return seal_first;
}

/** Wipes the seal key (CR 4.2); checkpoints after this carry no seal until a new key is set. */
export function cp_seal_wipe(): void {
  wipe(SEAL_KEY, 32);
  wipe(NEXT_KEY, 32);
  seal_set = false;
}

export function cp_restore(index: u64, size: u64, prev: usize, sealed: bool, key: usize, first: u64): void {
  cp_index = index;
  cp_size = size;
  cp_export = false;
  memory.copy(PREV, prev, 32);
  seal_set = sealed;
  seal_first = first;
  memory.copy(SEAL_KEY, key, 32);
}

export function cp_reset(): void {
  cp_index = 0;
  cp_size = 0;
  cp_export = false;
  wipe(PREV, 32);
  cp_seal_wipe();
  seal_first = 0;
}

/** Writes the origin line's text at p (without the newline). */
function put_origin(p: usize): usize {
  let n = put_ascii(p, "iacsec.audit/");
  n += put_hex(p + n, device_public_key(), 8);
  return n;
}

/**
 * Builds a checkpoint over the chain head after record seq: writes the note
 * at out, then the 32-byte seal, and returns the note's length. The device
 * key must be ready (checked by the caller).
 */
export function cp_build(out: usize, seq: u64, head: usize, flags: u8): usize {
  cp_index++;
  let o: usize = 0;
  const olen = put_origin(ORIGIN);
  memory.copy(out, ORIGIN, olen);
  o += olen;
  store<u8>(out + o++, 10);
  o += put_dec(out + o, seq);
  store<u8>(out + o++, 10);
  o += put_b64(out + o, head, 32);
  store<u8>(out + o++, 10);
  o += put_ascii(out + o, "cp ");
  o += put_dec(out + o, cp_index);
  store<u8>(out + o++, 32);
  o += put_b64(out + o, PREV, 32);
  store<u8>(out + o++, 10);
  // Signed: whether a seal follows. A verifier without the seal key then still
  // knows the seal field of an unsealed checkpoint must be zero, and nobody
  // can strip the seals from a sealed log without breaking the signature.
  if (seal_set) {
    o += put_ascii(out + o, "sealed\n");
  }
  if (flags & CP_FLAG_EXPORT) {
    o += put_ascii(out + o, "export\n");
  }
  const body = o;
  // Key id: SHA-256(name || "\n" || 0x01 || public key)[0..4] (signed-note, Ed25519).
  memory.copy(KEYID_IN, ORIGIN, olen);
  store<u8>(KEYID_IN + olen, 10);
  store<u8>(KEYID_IN + olen + 1, 1);
  memory.copy(KEYID_IN + olen + 2, device_public_key(), 32);
  sha256(DIGEST, KEYID_IN, olen + 34);
  memory.copy(SIG, DIGEST, 4);
  device_sign(SIG + 4, out, body);
  store<u8>(out + o++, 10);
  // U+2014 EM DASH, then a space.
  store<u8>(out + o++, 0xe2);
  store<u8>(out + o++, 0x80);
  store<u8>(out + o++, 0x94);
  store<u8>(out + o++, 32);
  memory.copy(out + o, ORIGIN, olen);
  o += olen;
  store<u8>(out + o++, 32);
  o += put_b64(out + o, SIG, 68);
  store<u8>(out + o++, 10);
  // Seal, then ratchet the seal key forward and wipe the old one.
  if (seal_set) {
    hmac_sha256(out + o, SEAL_KEY, 32, out, body);
    hkdf_sha256(NEXT_KEY, 32, SEAL_KEY, 32, SALT, 6, RATCHET_INFO, 21);
    memory.copy(SEAL_KEY, NEXT_KEY, 32);
    wipe(NEXT_KEY, 32);
  } else {
    memory.fill(out + o, 0, 32);
  }
  sha256(PREV, out, body);
  cp_size = seq;
  cp_export = (flags & CP_FLAG_EXPORT) != 0;
  return o;
}

// @ts-ignore: decorator
@lazy const RATCHET_INFO: usize = memory.data<u8>([
  0x61, 0x75, 0x64, 0x69, 0x74, 0x20, 0x73, 0x65, 0x61, 0x6c, 0x20, 0x72, 0x61, 0x74, 0x63, 0x68, 0x65, 0x74,
  0x20, 0x76, 0x31,
]); // "audit seal ratchet v1"
