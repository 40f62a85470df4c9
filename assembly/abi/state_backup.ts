// Exports for signed backups of the sealed state (CR 7.3, CR 7.4). They sign
// with the device key, so they live apart from abi/firmware.ts: a build
// without signing (assembly/verify_only.ts) leaves them out.

import { ERR_BOUNDS, ERR_SELFTEST } from "../status";
import { in_io } from "./_io";
import { selftest_passed } from "../selftest_state";
import { state_backup, state_restore } from "../firmware/state";

export function iacsec_state_backup(out: u32, out_cap: u32): i32 {
  if (!selftest_passed()) return ERR_SELFTEST;
  if (!in_io(out, out_cap)) return ERR_BOUNDS;
  return state_backup(out, out_cap);
}

export function iacsec_state_restore(backup: u32, len: u32): i32 {
  if (!selftest_passed()) return ERR_SELFTEST;
  if (!in_io(backup, len)) return ERR_BOUNDS;
  return state_restore(backup, len);
}
