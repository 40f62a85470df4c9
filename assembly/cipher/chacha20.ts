// ChaCha20 (RFC 8439 section 2.4): 256-bit key, 96-bit nonce, 32-bit block
// counter. The cipher of the sealed state's sections (firmware/state.ts),
// which never reuses a nonce with another plaintext: the nonce is the
// state's synthetic IV. Keys and the working state stay in locals; the one
// keystream block in memory is wiped after every call.

import { wipe } from "../_mem";

// @ts-ignore: decorator
@lazy const BLOCK: usize = memory.data(64, 16);

/** Writes the keystream block (RFC 8439 section 2.3) for counter at BLOCK. */
function chacha20_block(key: usize, nonce: usize, counter: u32): void {
  const k0 = load<u32>(key), k1 = load<u32>(key, 4), k2 = load<u32>(key, 8), k3 = load<u32>(key, 12);
  const k4 = load<u32>(key, 16), k5 = load<u32>(key, 20), k6 = load<u32>(key, 24), k7 = load<u32>(key, 28);
  const n0 = load<u32>(nonce), n1 = load<u32>(nonce, 4), n2 = load<u32>(nonce, 8);
  // "expand 32-byte k"
  let x0: u32 = 0x61707865, x1: u32 = 0x3320646e, x2: u32 = 0x79622d32, x3: u32 = 0x6b206574;
  let x4 = k0, x5 = k1, x6 = k2, x7 = k3, x8 = k4, x9 = k5, x10 = k6, x11 = k7;
  let x12 = counter, x13 = n0, x14 = n1, x15 = n2;
  for (let i = 0; i < 10; i++) {
    // Column round: quarter rounds (0 4 8 12) (1 5 9 13) (2 6 10 14) (3 7 11 15).
    x0 += x4; x12 = rotl<u32>(x12 ^ x0, 16); x8 += x12; x4 = rotl<u32>(x4 ^ x8, 12);
    x0 += x4; x12 = rotl<u32>(x12 ^ x0, 8); x8 += x12; x4 = rotl<u32>(x4 ^ x8, 7);
    x1 += x5; x13 = rotl<u32>(x13 ^ x1, 16); x9 += x13; x5 = rotl<u32>(x5 ^ x9, 12);
    x1 += x5; x13 = rotl<u32>(x13 ^ x1, 8); x9 += x13; x5 = rotl<u32>(x5 ^ x9, 7);
    x2 += x6; x14 = rotl<u32>(x14 ^ x2, 16); x10 += x14; x6 = rotl<u32>(x6 ^ x10, 12);
    x2 += x6; x14 = rotl<u32>(x14 ^ x2, 8); x10 += x14; x6 = rotl<u32>(x6 ^ x10, 7);
    x3 += x7; x15 = rotl<u32>(x15 ^ x3, 16); x11 += x15; x7 = rotl<u32>(x7 ^ x11, 12);
    x3 += x7; x15 = rotl<u32>(x15 ^ x3, 8); x11 += x15; x7 = rotl<u32>(x7 ^ x11, 7);
    // Diagonal round: (0 5 10 15) (1 6 11 12) (2 7 8 13) (3 4 9 14).
    x0 += x5; x15 = rotl<u32>(x15 ^ x0, 16); x10 += x15; x5 = rotl<u32>(x5 ^ x10, 12);
    x0 += x5; x15 = rotl<u32>(x15 ^ x0, 8); x10 += x15; x5 = rotl<u32>(x5 ^ x10, 7);
    x1 += x6; x12 = rotl<u32>(x12 ^ x1, 16); x11 += x12; x6 = rotl<u32>(x6 ^ x11, 12);
    x1 += x6; x12 = rotl<u32>(x12 ^ x1, 8); x11 += x12; x6 = rotl<u32>(x6 ^ x11, 7);
    x2 += x7; x13 = rotl<u32>(x13 ^ x2, 16); x8 += x13; x7 = rotl<u32>(x7 ^ x8, 12);
    x2 += x7; x13 = rotl<u32>(x13 ^ x2, 8); x8 += x13; x7 = rotl<u32>(x7 ^ x8, 7);
    x3 += x4; x14 = rotl<u32>(x14 ^ x3, 16); x9 += x14; x4 = rotl<u32>(x4 ^ x9, 12);
    x3 += x4; x14 = rotl<u32>(x14 ^ x3, 8); x9 += x14; x4 = rotl<u32>(x4 ^ x9, 7);
  }
  store<u32>(BLOCK, x0 + 0x61707865); store<u32>(BLOCK, x1 + 0x3320646e, 4);
  store<u32>(BLOCK, x2 + 0x79622d32, 8); store<u32>(BLOCK, x3 + 0x6b206574, 12);
  store<u32>(BLOCK, x4 + k0, 16); store<u32>(BLOCK, x5 + k1, 20); store<u32>(BLOCK, x6 + k2, 24); store<u32>(BLOCK, x7 + k3, 28);
  store<u32>(BLOCK, x8 + k4, 32); store<u32>(BLOCK, x9 + k5, 36); store<u32>(BLOCK, x10 + k6, 40); store<u32>(BLOCK, x11 + k7, 44);
  store<u32>(BLOCK, x12 + counter, 48); store<u32>(BLOCK, x13 + n0, 52); store<u32>(BLOCK, x14 + n1, 56); store<u32>(BLOCK, x15 + n2, 60);
}

/**
 * out = inp XOR the keystream of (key[32], nonce[12]) from block `counter`
 * (RFC 8439 section 2.4); out may equal inp. len is at most
 * 64 * (2^32 - counter) bytes, far above any caller's.
 */
export function chacha20_xor(out: usize, inp: usize, len: usize, key: usize, nonce: usize, counter: u32): void {
  let off: usize = 0;
  while (off < len) {
    chacha20_block(key, nonce, counter++);
    const n = len - off < 64 ? len - off : 64;
    let j: usize = 0;
    for (; j + 8 <= n; j += 8) store<u64>(out + off + j, load<u64>(inp + off + j) ^ load<u64>(BLOCK + j));
    for (; j < n; j++) store<u8>(out + off + j, load<u8>(inp + off + j) ^ load<u8>(BLOCK + j));
    off += n;
  }
  wipe(BLOCK, 64);
}
