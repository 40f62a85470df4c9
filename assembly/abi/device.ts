// Exports for the device's own key (assembly/device/key.ts).

import { OK, ERR_BOUNDS, ERR_SELFTEST, ERR_STATE } from "../status";
import { in_io } from "./_io";
import { selftest_passed } from "../selftest_state";
import { device_key_set, device_key_ready, device_public_key } from "../device/key";

/** Sets the 32-byte device secret once per instance: OK, or ERR_STATE when already set. */
export function iacsec_device_key_set(secret: u32): i32 {
  if (!selftest_passed()) return ERR_SELFTEST;
  if (!in_io(secret, 32)) return ERR_BOUNDS;
  return device_key_set(secret);
}

/** Writes the device's 32-byte Ed25519 public key: OK, or ERR_STATE when no device secret is set. */
export function iacsec_device_public_key(out: u32): i32 {
  if (!selftest_passed()) return ERR_SELFTEST;
  if (!in_io(out, 32)) return ERR_BOUNDS;
  if (!device_key_ready()) return ERR_STATE;
  memory.copy(out, device_public_key(), 32);
  return OK;
}
