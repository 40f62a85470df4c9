// Device authentication (CR 1.2 RE1, CR 1.14).
//
// The component proves itself: device_auth_sign signs a peer's challenge
// with the device's Ed25519 key (assembly/device/key.ts) over
//   DOMAIN (32 bytes, "iacsec device authentication v1" and a zero) ||
//   u8 challenge length || challenge (16..64 bytes),
// a message no other signing use of the device key can produce (each use has
// its own domain prefix), so the export is no general signing oracle.
//
// The component checks a peer: the module draws a 32-byte challenge
// (single use, valid CHALLENGE_TTL_MS), the peer answers with an Ed25519
// signature under its provisioned public key, or an HMAC-SHA256 tag under a
// provisioned pre-shared key, over the same message. Pre-shared keys are
// kept in the sealed state and never leave the module (no export reads them;
// the module computes no tag for the host, so there is no reflection oracle).
//
// Peer record (PEER_BYTES): [0] used, [1] kind (1 Ed25519 public key,
// 2 HMAC-SHA256 key), [2] name length, [3] key length, [4,36) name,
// [36,100) key, rest zero.

import { OK, ERR_AUTH, ERR_STATE, ERR_FULL, ERR_NAME_TAKEN, ERR_LENGTH, ERR_UNSUPPORTED, ERR_MALFORMED, END } from "../status";
import { ct_eq, wipe } from "../_mem";
import { PEERS_MAX, CHALLENGES_MAX, CHALLENGE_BYTES, PEER_BYTES } from "./limits";
import { ed25519_verify } from "../sig/ed25519";
import { hmac_sha256 } from "../hash/hmac";
import { device_key_ready, device_sign } from "../device/key";
import { random_fill } from "./_random";
import { utf8_valid, no_controls, eq_bytes } from "./_text";
import { auth_event, EV_PEER_ADDED, EV_PEER_REMOVED, EV_PEER_AUTH_OK, EV_PEER_AUTH_FAILED, EV_DEVICE_AUTH_SIGNED } from "./events";

export const PEER_ED25519: u8 = 1;
export const PEER_HMAC: u8 = 2;
export const CHALLENGE_TTL_MS: i64 = 60_000;

// @ts-ignore: decorator
@lazy const PEERS: usize = memory.data(<i32>(PEERS_MAX * PEER_BYTES), 16);
// Outstanding challenges: [0,32) challenge, [32,40) issued at (ms; 0 free).
// @ts-ignore: decorator
@lazy const CHALLENGES: usize = memory.data(<i32>(CHALLENGES_MAX * 40), 16);
// @ts-ignore: decorator
@lazy const MSG: usize = memory.data(32 + 1 + 64, 16);
// @ts-ignore: decorator
@lazy const TAG: usize = memory.data(32, 16);
// "iacsec device authentication v1" and a zero byte.
// @ts-ignore: decorator
@lazy const DOMAIN: usize = memory.data<u8>([
  0x69, 0x61, 0x63, 0x73, 0x65, 0x63, 0x20, 0x64, 0x65, 0x76, 0x69, 0x63, 0x65, 0x20, 0x61, 0x75,
  0x74, 0x68, 0x65, 0x6e, 0x74, 0x69, 0x63, 0x61, 0x74, 0x69, 0x6f, 0x6e, 0x20, 0x76, 0x31, 0x00,
]);

let next_challenge: u32 = 0;

export function peers_ptr(): usize { return PEERS; }
export function peers_reset(): void { wipe(PEERS, PEERS_MAX * PEER_BYTES); wipe(CHALLENGES, CHALLENGES_MAX * 40); }
function peer_rec(i: u32): usize { return PEERS + <usize>i * PEER_BYTES; }

function peer_find(name: usize, n: usize): i32 {
  for (let i: u32 = 0; i < PEERS_MAX; i++) {
    const r = peer_rec(i);
    if (load<u8>(r) == 1 && eq_bytes(r + 4, <usize>load<u8>(r + 2), name, n)) return <i32>i;
  }
  return -1;
}

function message(ch: usize, n: usize): usize {
  memory.copy(MSG, DOMAIN, 32);
  store<u8>(MSG + 32, <u8>n);
  memory.copy(MSG + 33, ch, n);
  return 33 + n;
}

/** Signs a peer's challenge (16..64 bytes) with the device key. */
export function device_auth_sign(sig: usize, ch: usize, n: usize): i32 {
  if (n < 16 || n > 64) return ERR_LENGTH;
  if (!device_key_ready()) return ERR_STATE;
  const len = message(ch, n);
  device_sign(sig, MSG, len);
  auth_event(EV_DEVICE_AUTH_SIGNED, OK, 0, 0, <u64>n, 0, 0, -1, 0, 0);
  return OK;
}

export function peer_add(name: usize, n: usize, kind: i32, key: usize, klen: usize, actor: u32, an: usize, al: usize): i32 {
  if (n == 0 || n > 32) return ERR_LENGTH;
  if (!utf8_valid(name, n) || !no_controls(name, n)) return ERR_MALFORMED;
  if (kind != <i32>PEER_ED25519 && kind != <i32>PEER_HMAC) return ERR_UNSUPPORTED;
  if (kind == <i32>PEER_ED25519 ? klen != 32 : klen < 32 || klen > 64) return ERR_LENGTH;
  if (peer_find(name, n) >= 0) return ERR_NAME_TAKEN;
  for (let i: u32 = 0; i < PEERS_MAX; i++) {
    const r = peer_rec(i);
    if (load<u8>(r) != 0) continue;
    memory.fill(r, 0, PEER_BYTES);
    store<u8>(r, 1);
    store<u8>(r + 1, <u8>kind);
    store<u8>(r + 2, <u8>n);
    store<u8>(r + 3, <u8>klen);
    memory.copy(r + 4, name, n);
    memory.copy(r + 36, key, klen);
    auth_event(EV_PEER_ADDED, OK, 0, actor, <u64>kind, an, al, -1, name, n);
    return OK;
  }
  return ERR_FULL;
}

export function peer_remove(name: usize, n: usize, actor: u32, an: usize, al: usize): i32 {
  const i = peer_find(name, n);
  if (i < 0) return END;
  auth_event(EV_PEER_REMOVED, OK, 0, actor, 0, an, al, -1, name, n);
  wipe(peer_rec(<u32>i), PEER_BYTES);
  return OK;
}

/** Public record of the n-th peer: name, kind, and the public key (an HMAC key is never copied). */
export function peer_get(index: i32, out: usize): i32 {
  let k: i32 = 0;
  for (let i: u32 = 0; i < PEERS_MAX; i++) {
    const r = peer_rec(i);
    if (load<u8>(r) == 0) continue;
    if (k++ != index) continue;
    memory.fill(out, 0, PEER_BYTES);
    memory.copy(out, r, 36);
    if (load<u8>(r + 1) == PEER_ED25519) memory.copy(out + 36, r + 36, 32);
    return OK;
  }
  return END;
}

/** Draws a fresh challenge into out (32 bytes), replacing the oldest outstanding one when all are taken. */
export function peer_challenge(out: usize, now: i64): i32 {
  let slot: u32 = next_challenge;
  for (let i: u32 = 0; i < CHALLENGES_MAX; i++) {
    if (load<i64>(CHALLENGES + <usize>i * 40 + 32) == 0) { slot = i; break; }
  }
  const c = CHALLENGES + <usize>slot * 40;
  if (!random_fill(c, CHALLENGE_BYTES)) { wipe(c, 40); return ERR_STATE; }
  store<i64>(c + 32, now == 0 ? 1 : now);
  next_challenge = (slot + 1) % CHALLENGES_MAX;
  memory.copy(out, c, CHALLENGE_BYTES);
  return OK;
}

/** Takes the outstanding challenge equal to ch (single use): true when it was issued and is still valid. */
function challenge_take(ch: usize, now: i64): bool {
  let ok = false;
  for (let i: u32 = 0; i < CHALLENGES_MAX; i++) {
    const c = CHALLENGES + <usize>i * 40;
    const at = load<i64>(c + 32);
    if (at == 0) continue;
    if (ct_eq(c, ch, CHALLENGE_BYTES) == 0) {
      ok = now >= at && now - at <= CHALLENGE_TTL_MS;
      wipe(c, 40);
    }
  }
  return ok;
}

/** Checks a peer's answer to a challenge the module issued: OK or ERR_AUTH (one answer for every reason). */
export function peer_verify(name: usize, n: usize, ch: usize, proof: usize, plen: usize, now: i64): i32 {
  const fresh = challenge_take(ch, now);
  const i = n >= 1 && n <= 32 ? peer_find(name, n) : -1;
  let ok = false;
  if (fresh && i >= 0) {
    const r = peer_rec(<u32>i);
    const len = message(ch, CHALLENGE_BYTES);
    if (load<u8>(r + 1) == PEER_ED25519) {
      ok = plen == 64 && ed25519_verify(r + 36, MSG, len, proof) == OK;
    } else {
      hmac_sha256(TAG, r + 36, <usize>load<u8>(r + 3), MSG, len);
      ok = plen == 32 && ct_eq(TAG, proof, 32) == 0;
      wipe(TAG, 32);
    }
  }
  const shown = n > 32 ? 32 : n;
  auth_event(ok ? EV_PEER_AUTH_OK : EV_PEER_AUTH_FAILED, ok ? OK : ERR_AUTH, 0, 0, fresh ? 1 : 0, 0, 0, -1,
    utf8_valid(name, shown) ? name : 0, utf8_valid(name, shown) ? shown : 0);
  return ok ? OK : ERR_AUTH;
}

/** Checks a peers table image. */
export function peers_valid(p: usize): bool {
  for (let i: u32 = 0; i < PEERS_MAX; i++) {
    const r = p + <usize>i * PEER_BYTES;
    const used = load<u8>(r);
    if (used > 1) return false;
    if (used == 0) continue;
    const kind = load<u8>(r + 1), nl = load<u8>(r + 2), kl = load<u8>(r + 3);
    if (nl < 1 || nl > 32) return false;
    if (kind == PEER_ED25519 ? kl != 32 : kind != PEER_HMAC || kl < 32 || kl > 64) return false;
  }
  return true;
}
