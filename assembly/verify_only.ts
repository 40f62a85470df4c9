// The verify-only build profile (build/iacsec-verify.wasm), for the smallest
// gateways: hashes (SHA-256, SHA-512, HMAC-SHA256), signature verification
// (Ed25519, ECDSA P-256, COSE_Sign1) and the firmware check with its roots of
// trust, counters, events and sealed state. No signing, no password hashing,
// no key derivation, no device key: what a boot loader or an update agent
// needs. Same ABI as the full module (assembly/index.ts) for every export it
// has; iacsec_caps() says which parts are present. Its power-on self-test
// runs a known-answer test for each primitive this build holds, with the ids
// of bindings/abi.ts (SELFTEST_IDS).

import { OK, ERR_SELFTEST } from "./status";
import { IO_BASE, IO_BYTES } from "./abi/_io";
import { SLOTS } from "./abi/_slots";
import { selftest_record, selftest_failed_id } from "./selftest_state";
import { kat_shared_hashes, kat_shared_verifiers, kat_shared_cipher, kat_wipe } from "./_kat";
import { state_seal_key_wipe } from "./firmware/state";
import {
  SHA256_BYTES, SHA512_BYTES, ED25519_PUBLICKEYBYTES, ED25519_BYTES, P256_PUBLICKEYBYTES_MAX, P256_SIGBYTES_MAX,
} from "./abi/_limits";

export {
  iacsec_sha256, iacsec_sha512, iacsec_sha256_init, iacsec_sha256_update, iacsec_sha256_final, iacsec_sha256_abort,
  iacsec_sha512_init, iacsec_sha512_update, iacsec_sha512_final, iacsec_sha512_abort, iacsec_hmac_sha256,
} from "./abi/hash";
export { iacsec_ed25519_verify, iacsec_p256_verify } from "./abi/sig";
export * from "./abi/firmware";

/** Version of the ABI (the same as the full module's). */
const ABI_VERSION: i32 = 2;

// Capability bits, as in assembly/index.ts: only the parts this build holds.
const CAP_SHA256: i32 = 1 << 0;
const CAP_SHA512: i32 = 1 << 1;
const CAP_HMAC: i32 = 1 << 2;
const CAP_ED25519_VERIFY: i32 = 1 << 5;
const CAP_P256_VERIFY: i32 = 1 << 7;
const CAP_COSE_SIGN1: i32 = 1 << 8;
const CAP_FIRMWARE: i32 = 1 << 9;

export function iacsec_abi_version(): i32 { return ABI_VERSION; }

export function iacsec_caps(): i32 {
  return CAP_SHA256 | CAP_SHA512 | CAP_HMAC | CAP_ED25519_VERIFY | CAP_P256_VERIFY | CAP_COSE_SIGN1 | CAP_FIRMWARE;
}

export function iacsec_io_ptr(): i32 { return <i32>IO_BASE; }
export function iacsec_io_bytes(): i32 { return <i32>IO_BYTES; }

/** Wipes the one secret this build keeps between calls: the state sealing key (CR 4.2). */
export function iacsec_zeroize(): i32 {
  state_seal_key_wipe();
  return OK;
}

export function iacsec_slots(): i32 { return <i32>SLOTS; }
export function iacsec_sha256_bytes(): i32 { return <i32>SHA256_BYTES; }
export function iacsec_sha512_bytes(): i32 { return <i32>SHA512_BYTES; }
export function iacsec_ed25519_publickeybytes(): i32 { return <i32>ED25519_PUBLICKEYBYTES; }
export function iacsec_ed25519_bytes(): i32 { return <i32>ED25519_BYTES; }
export function iacsec_p256_publickeybytes_max(): i32 { return <i32>P256_PUBLICKEYBYTES_MAX; }
export function iacsec_p256_sigbytes_max(): i32 { return <i32>P256_SIGBYTES_MAX; }

// ---- power-on self-test (CR 3.3) for this build's primitives ----

function run(): i32 {
  const hashes = kat_shared_hashes();
  if (hashes != 0) return hashes;
  const verifiers = kat_shared_verifiers();
  return verifiers != 0 ? verifiers : kat_shared_cipher();
}

/** Runs the self-test: OK, or ERR_SELFTEST with the failing test's id in iacsec_selftest_failed(). */
export function iacsec_selftest(): i32 {
  const failed = run();
  kat_wipe();
  selftest_record(failed);
  return failed == 0 ? OK : ERR_SELFTEST;
}

export function iacsec_selftest_failed(): i32 { return selftest_failed_id(); }
