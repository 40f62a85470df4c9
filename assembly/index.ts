// The exported ABI of iacsec.wasm, and nothing else. Every export takes
// i32 pointers into the I/O area and lengths, and returns an i32 status
// (assembly/status.ts). bindings/abi.ts and bindings/c/iacsec.h describe the
// same list; tests/host/abi.test.js checks the built module against them.

import { IO_BASE, IO_BYTES } from "./abi/_io";
import { SLOTS } from "./abi/_slots";
import { selftest } from "./selftest";
import { selftest_failed_id } from "./selftest_state";
import { ed25519_clear_cache } from "./sig/ed25519";
import { device_key_wipe } from "./device/key";
import { cp_seal_wipe } from "./audit/checkpoint";
import { auth_zeroize } from "./auth/state";
import { state_seal_key_wipe } from "./firmware/state";
import {
  PBKDF2_MAX_ITERATIONS, HKDF_SHA256_MAX_BYTES, SHA256_BYTES, SHA512_BYTES, ED25519_PUBLICKEYBYTES,
  ED25519_SEEDBYTES, ED25519_BYTES, P256_PUBLICKEYBYTES_MAX, P256_SIGBYTES_MAX,
} from "./limits";

export * from "./abi/hash";
export * from "./abi/sig";
export * from "./abi/firmware";
export * from "./abi/device";
export * from "./abi/audit";
export * from "./abi/state_backup";
export * from "./abi/auth";
export * from "./abi/ratelimit";

/** Version of this ABI; raised on any incompatible change. */
const ABI_VERSION: i32 = 2;

// Capability bits (iacsec_caps). A retired bit stays reserved, never reused.
const CAP_SHA256: i32 = 1 << 0;
const CAP_SHA512: i32 = 1 << 1;
const CAP_HMAC: i32 = 1 << 2;
const CAP_PBKDF2: i32 = 1 << 3;
const CAP_HKDF: i32 = 1 << 4;
const CAP_ED25519_VERIFY: i32 = 1 << 5;
const CAP_ED25519_SIGN: i32 = 1 << 6;
const CAP_P256_VERIFY: i32 = 1 << 7;
const CAP_COSE_SIGN1: i32 = 1 << 8;
const CAP_FIRMWARE: i32 = 1 << 9;
const CAP_DEVICE_KEY: i32 = 1 << 10;
const CAP_AUDIT_LOG: i32 = 1 << 13;         // ring, records, chain, export
const CAP_AUDIT_CHECKPOINT: i32 = 1 << 14;  // signed checkpoints (C2SP signed note)
const CAP_AUDIT_SEAL: i32 = 1 << 15;        // HMAC seal with a forward ratchet
const CAP_AUTH: i32 = 1 << 16;
const CAP_TOTP: i32 = 1 << 17;
const CAP_RATELIMIT: i32 = 1 << 18;
const CAP_DEVICE_AUTH: i32 = 1 << 19;
const CAP_SHA1: i32 = 1 << 20;
// Reserved for parts being built: 11..12 firmware and state, 13..15 audit, 16..20 access control.

export function iacsec_abi_version(): i32 { return ABI_VERSION; }

export function iacsec_caps(): i32 {
  return CAP_SHA256 | CAP_SHA512 | CAP_HMAC | CAP_PBKDF2 | CAP_HKDF
    | CAP_ED25519_VERIFY | CAP_ED25519_SIGN | CAP_P256_VERIFY | CAP_COSE_SIGN1 | CAP_FIRMWARE | CAP_DEVICE_KEY
    | CAP_AUDIT_LOG | CAP_AUDIT_CHECKPOINT | CAP_AUDIT_SEAL
    | CAP_AUTH | CAP_TOTP | CAP_RATELIMIT | CAP_DEVICE_AUTH | CAP_SHA1;
}

/**
 * Bytes of linear memory the module's static data and tables take (the end
 * of its static memory); the rest of the fixed memory is unused headroom.
 */
export function iacsec_static_bytes(): i32 { return <i32>__heap_base; }

/** Address of the I/O area, the only memory the host may name in a call. */
export function iacsec_io_ptr(): i32 { return <i32>IO_BASE; }
export function iacsec_io_bytes(): i32 { return <i32>IO_BYTES; }

/** Runs the power-on self-test (CR 3.3): OK, or ERR_SELFTEST with the failing test's id in iacsec_selftest_failed(). */
export function iacsec_selftest(): i32 { return selftest(); }
export function iacsec_selftest_failed(): i32 { return selftest_failed_id(); }

/**
 * Wipes every secret the module keeps between calls: the cached Ed25519
 * seed and its public key, the device key, the audit seal key, the state
 * sealing key (the state can no longer be exported or imported until a key
 * is set again), and every access-control secret (accounts, password hashes,
 * TOTP secrets, peer keys, sessions). Call it before the device is
 * decommissioned or handed on (CR 4.2, information persistence).
 */
export function iacsec_zeroize(): i32 {
  ed25519_clear_cache();
  device_key_wipe();
  cp_seal_wipe();
  auth_zeroize();
  state_seal_key_wipe();
  return 0;
}

// Size getters: each equals its IACSEC_* constant in bindings/.
export function iacsec_slots(): i32 { return <i32>SLOTS; }
export function iacsec_sha256_bytes(): i32 { return <i32>SHA256_BYTES; }
export function iacsec_sha512_bytes(): i32 { return <i32>SHA512_BYTES; }
export function iacsec_pbkdf2_max_iterations(): i32 { return <i32>PBKDF2_MAX_ITERATIONS; }
export function iacsec_hkdf_sha256_max_bytes(): i32 { return <i32>HKDF_SHA256_MAX_BYTES; }
export function iacsec_ed25519_publickeybytes(): i32 { return <i32>ED25519_PUBLICKEYBYTES; }
export function iacsec_ed25519_seedbytes(): i32 { return <i32>ED25519_SEEDBYTES; }
export function iacsec_ed25519_bytes(): i32 { return <i32>ED25519_BYTES; }
export function iacsec_p256_publickeybytes_max(): i32 { return <i32>P256_PUBLICKEYBYTES_MAX; }
export function iacsec_p256_sigbytes_max(): i32 { return <i32>P256_SIGBYTES_MAX; }
