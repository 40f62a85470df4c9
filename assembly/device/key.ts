// The device's own Ed25519 key (its identity: signed audit checkpoints,
// signed state backups, device authentication, CR 1.2). The host supplies a
// 32-byte device secret once per instance; the signing seed is derived from
// it here with HKDF-SHA256 and never leaves the module. Only code inside the
// module signs with it, each use over its own domain-separated message, so
// the host has no signing oracle.

import { OK, ERR_STATE } from "../status";
import { wipe } from "../_mem";
import { hkdf_sha256 } from "../hash/hkdf";
import { ed25519_public_key, ed25519_sign } from "../sig/ed25519";

// @ts-ignore: decorator
@lazy const SEED: usize = memory.data(32, 8);
// @ts-ignore: decorator
@lazy const PK: usize = memory.data(32, 8);
// @ts-ignore: decorator
@lazy const SALT: usize = memory.data<u8>([0x69, 0x61, 0x63, 0x73, 0x65, 0x63]); // "iacsec"
// @ts-ignore: decorator
@lazy const INFO: usize = memory.data<u8>([
  0x64, 0x65, 0x76, 0x69, 0x63, 0x65, 0x20, 0x65, 0x64, 0x32, 0x35, 0x35, 0x31, 0x39, 0x20, 0x76, 0x31,
]); // "device ed25519 v1"

let ready: bool = false;

/** Derives the device key from the 32-byte secret: OK, or ERR_STATE when a key is already set. */
export function device_key_set(secret: usize): i32 {
  if (ready) return ERR_STATE;
  hkdf_sha256(SEED, 32, secret, 32, SALT, 6, INFO, 17);
  ed25519_public_key(PK, SEED);
  ready = true;
  return OK;
}

export function device_key_ready(): bool { return ready; }

/** The device's 32-byte public key (valid while device_key_ready()). */
export function device_public_key(): usize { return PK; }

/** Signs msg with the device key (device_key_ready() already checked by the caller). */
export function device_sign(sig_out: usize, msg: usize, len: usize): void {
  ed25519_sign(sig_out, SEED, msg, len);
}

/** Wipes the device key (CR 4.2); a new secret may be set afterwards. */
export function device_key_wipe(): void {
  wipe(SEED, 32);
  wipe(PK, 32);
  ready = false;
}
