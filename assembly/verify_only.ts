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
import { ct_eq, wipe } from "./_mem";
import { IO_BASE, IO_BYTES } from "./abi/_io";
import { SLOTS } from "./abi/_slots";
import { selftest_record, selftest_failed_id } from "./selftest_state";
import { ed25519_verify } from "./sig/ed25519";
import { p256_verify, P256_SIG_RAW } from "./sig/p256";
import { sha256, sha256_init, sha256_update, sha256_final, SHA256_STATE_BYTES } from "./hash/sha256";
import { sha512 } from "./hash/sha512";
import { hmac_sha256 } from "./hash/hmac";
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
const ABI_VERSION: i32 = 1;

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

/** This build keeps no secret between calls except the state sealing key, which is the host's own. */
export function iacsec_zeroize(): i32 { return OK; }

export function iacsec_slots(): i32 { return <i32>SLOTS; }
export function iacsec_sha256_bytes(): i32 { return <i32>SHA256_BYTES; }
export function iacsec_sha512_bytes(): i32 { return <i32>SHA512_BYTES; }
export function iacsec_ed25519_publickeybytes(): i32 { return <i32>ED25519_PUBLICKEYBYTES; }
export function iacsec_ed25519_bytes(): i32 { return <i32>ED25519_BYTES; }
export function iacsec_p256_publickeybytes_max(): i32 { return <i32>P256_PUBLICKEYBYTES_MAX; }
export function iacsec_p256_sigbytes_max(): i32 { return <i32>P256_SIGBYTES_MAX; }

// ---- power-on self-test (CR 3.3) for this build's primitives ----

const KAT_SHA256: i32 = 1;
const KAT_SHA256_STREAM: i32 = 2;
const KAT_SHA512: i32 = 3;
const KAT_HMAC_SHA256: i32 = 4;
const KAT_ED25519_VERIFY: i32 = 10;
const KAT_P256_VERIFY: i32 = 11;

// The vectors of assembly/selftest.ts: FIPS 180-4 ("abc"); RFC 4231 section
// 4.3 (test case 2); RFC 8032 section 7.1 (TEST 1); Wycheproof
// ecdsa_secp256r1_sha256_p1363_test.json tcId 1.
const ABC: usize = memory.data<u8>([0x61, 0x62, 0x63]);
const SHA256_ABC: usize = memory.data<u8>([
  0xba, 0x78, 0x16, 0xbf, 0x8f, 0x01, 0xcf, 0xea, 0x41, 0x41, 0x40, 0xde, 0x5d, 0xae, 0x22, 0x23,
  0xb0, 0x03, 0x61, 0xa3, 0x96, 0x17, 0x7a, 0x9c, 0xb4, 0x10, 0xff, 0x61, 0xf2, 0x00, 0x15, 0xad,
]);
const SHA512_ABC: usize = memory.data<u8>([
  0xdd, 0xaf, 0x35, 0xa1, 0x93, 0x61, 0x7a, 0xba, 0xcc, 0x41, 0x73, 0x49, 0xae, 0x20, 0x41, 0x31,
  0x12, 0xe6, 0xfa, 0x4e, 0x89, 0xa9, 0x7e, 0xa2, 0x0a, 0x9e, 0xee, 0xe6, 0x4b, 0x55, 0xd3, 0x9a,
  0x21, 0x92, 0x99, 0x2a, 0x27, 0x4f, 0xc1, 0xa8, 0x36, 0xba, 0x3c, 0x23, 0xa3, 0xfe, 0xeb, 0xbd,
  0x45, 0x4d, 0x44, 0x23, 0x64, 0x3c, 0xe8, 0x0e, 0x2a, 0x9a, 0xc9, 0x4f, 0xa5, 0x4c, 0xa4, 0x9f,
]);
const JEFE: usize = memory.data<u8>([0x4a, 0x65, 0x66, 0x65]);
const WANT: usize = memory.data<u8>([
  0x77, 0x68, 0x61, 0x74, 0x20, 0x64, 0x6f, 0x20, 0x79, 0x61, 0x20, 0x77, 0x61, 0x6e, 0x74, 0x20,
  0x66, 0x6f, 0x72, 0x20, 0x6e, 0x6f, 0x74, 0x68, 0x69, 0x6e, 0x67, 0x3f,
]);
const HMAC_SHA256_JEFE: usize = memory.data<u8>([
  0x5b, 0xdc, 0xc1, 0x46, 0xbf, 0x60, 0x75, 0x4e, 0x6a, 0x04, 0x24, 0x26, 0x08, 0x95, 0x75, 0xc7,
  0x5a, 0x00, 0x3f, 0x08, 0x9d, 0x27, 0x39, 0x83, 0x9d, 0xec, 0x58, 0xb9, 0x64, 0xec, 0x38, 0x43,
]);
const ED25519_PK: usize = memory.data<u8>([
  0xd7, 0x5a, 0x98, 0x01, 0x82, 0xb1, 0x0a, 0xb7, 0xd5, 0x4b, 0xfe, 0xd3, 0xc9, 0x64, 0x07, 0x3a,
  0x0e, 0xe1, 0x72, 0xf3, 0xda, 0xa6, 0x23, 0x25, 0xaf, 0x02, 0x1a, 0x68, 0xf7, 0x07, 0x51, 0x1a,
]);
const ED25519_SIG: usize = memory.data<u8>([
  0xe5, 0x56, 0x43, 0x00, 0xc3, 0x60, 0xac, 0x72, 0x90, 0x86, 0xe2, 0xcc, 0x80, 0x6e, 0x82, 0x8a,
  0x84, 0x87, 0x7f, 0x1e, 0xb8, 0xe5, 0xd9, 0x74, 0xd8, 0x73, 0xe0, 0x65, 0x22, 0x49, 0x01, 0x55,
  0x5f, 0xb8, 0x82, 0x15, 0x90, 0xa3, 0x3b, 0xac, 0xc6, 0x1e, 0x39, 0x70, 0x1c, 0xf9, 0xb4, 0x6b,
  0xd2, 0x5b, 0xf5, 0xf0, 0x59, 0x5b, 0xbe, 0x24, 0x65, 0x51, 0x41, 0x43, 0x8e, 0x7a, 0x10, 0x0b,
]);
const P256_PK: usize = memory.data<u8>([
  0x04, 0x29, 0x27, 0xb1, 0x05, 0x12, 0xba, 0xe3, 0xed, 0xdc, 0xfe, 0x46, 0x78, 0x28, 0x12, 0x8b,
  0xad, 0x29, 0x03, 0x26, 0x99, 0x19, 0xf7, 0x08, 0x60, 0x69, 0xc8, 0xc4, 0xdf, 0x6c, 0x73, 0x28,
  0x38, 0xc7, 0x78, 0x79, 0x64, 0xea, 0xac, 0x00, 0xe5, 0x92, 0x1f, 0xb1, 0x49, 0x8a, 0x60, 0xf4,
  0x60, 0x67, 0x66, 0xb3, 0xd9, 0x68, 0x50, 0x01, 0x55, 0x8d, 0x1a, 0x97, 0x4e, 0x73, 0x41, 0x51,
  0x3e,
]);
const P256_MSG: usize = memory.data<u8>([
  0x31, 0x32, 0x33, 0x34, 0x30, 0x30,
]);
const P256_SIG: usize = memory.data<u8>([
  0x2b, 0xa3, 0xa8, 0xbe, 0x6b, 0x94, 0xd5, 0xec, 0x80, 0xa6, 0xd9, 0xd1, 0x19, 0x0a, 0x43, 0x6e,
  0xff, 0xe5, 0x0d, 0x85, 0xa1, 0xee, 0xe8, 0x59, 0xb8, 0xcc, 0x6a, 0xf9, 0xbd, 0x5c, 0x2e, 0x18,
  0x4c, 0xd6, 0x0b, 0x85, 0x5d, 0x44, 0x2f, 0x5b, 0x3c, 0x7b, 0x11, 0xeb, 0x6c, 0x4e, 0x0a, 0xe7,
  0x52, 0x5f, 0xe7, 0x10, 0xfa, 0xb9, 0xaa, 0x7c, 0x77, 0xa6, 0x7f, 0x79, 0xe6, 0xfa, 0xdd, 0x76,
]);

const SCRATCH: usize = memory.data(128, 16);
const STATE: usize = memory.data(<i32>SHA256_STATE_BYTES, 16);

function run(): i32 {
  sha256(SCRATCH, ABC, 3);
  if (ct_eq(SCRATCH, SHA256_ABC, 32) != 0) return KAT_SHA256;

  sha256_init(STATE);
  sha256_update(STATE, ABC, 1);
  sha256_update(STATE, ABC + 1, 2);
  sha256_final(STATE, SCRATCH);
  if (ct_eq(SCRATCH, SHA256_ABC, 32) != 0) return KAT_SHA256_STREAM;

  sha512(SCRATCH, ABC, 3);
  if (ct_eq(SCRATCH, SHA512_ABC, 64) != 0) return KAT_SHA512;

  hmac_sha256(SCRATCH, JEFE, 4, WANT, 28);
  if (ct_eq(SCRATCH, HMAC_SHA256_JEFE, 32) != 0) return KAT_HMAC_SHA256;

  // A verifier must accept the good signature and refuse it with one bit changed.
  if (ed25519_verify(ED25519_PK, ABC, 0, ED25519_SIG) != OK) return KAT_ED25519_VERIFY;
  memory.copy(SCRATCH, ED25519_SIG, 64);
  store<u8>(SCRATCH + 5, load<u8>(SCRATCH + 5) ^ 0x10);
  if (ed25519_verify(ED25519_PK, ABC, 0, SCRATCH) == OK) return KAT_ED25519_VERIFY;

  if (p256_verify(P256_PK, 65, P256_MSG, 6, P256_SIG, 64, P256_SIG_RAW) != OK) return KAT_P256_VERIFY;
  memory.copy(SCRATCH, P256_SIG, 64);
  store<u8>(SCRATCH + 40, load<u8>(SCRATCH + 40) ^ 0x01);
  if (p256_verify(P256_PK, 65, P256_MSG, 6, SCRATCH, 64, P256_SIG_RAW) == OK) return KAT_P256_VERIFY;

  return 0;
}

/** Runs the self-test: OK, or ERR_SELFTEST with the failing test's id in iacsec_selftest_failed(). */
export function iacsec_selftest(): i32 {
  const failed = run();
  wipe(SCRATCH, 128);
  wipe(STATE, SHA256_STATE_BYTES);
  selftest_record(failed);
  return failed == 0 ? OK : ERR_SELFTEST;
}

export function iacsec_selftest_failed(): i32 { return selftest_failed_id(); }
