// ChaCha20 known answers from RFC 8439: section 2.3.2 (the block function)
// and section 2.4.2 (encryption of the "sunscreen" plaintext), every split
// of the sunscreen text into two calls, and in-place use. node:crypto's
// "chacha20" gives the same answers (tests/host/state_sealed.test.js checks
// the module's sealed state against it).
import { chacha20_xor } from "../../assembly/cipher/chacha20";

const KEY: usize = memory.data(32, 16);
const NONCE: usize = memory.data(12, 16);
const IN: usize = memory.data(256, 16);
const OUT: usize = memory.data(256, 16);

function hexTo(p: usize, hex: string): usize {
  const n = hex.length >> 1;
  for (let i = 0; i < n; i++) store<u8>(p + i, <u8>I32.parseInt(hex.substr(i << 1, 2), 16));
  return n;
}
function hex(p: usize, n: usize): string {
  const d = "0123456789abcdef";
  let s = "";
  for (let i: usize = 0; i < n; i++) {
    const b = load<u8>(p + i);
    s += d.charAt(b >> 4) + d.charAt(b & 15);
  }
  return s;
}
function ascii(p: usize, s: string): usize {
  for (let i = 0; i < s.length; i++) store<u8>(p + i, <u8>s.charCodeAt(i));
  return s.length;
}
function rfcKey(): void { for (let i: usize = 0; i < 32; i++) store<u8>(KEY + i, <u8>i); }

const SUNSCREEN = "Ladies and Gentlemen of the class of '99: If I could offer you only one tip for the future, sunscreen would be it.";
const SUNSCREEN_CT = "6e2e359a2568f98041ba0728dd0d6981e97e7aec1d4360c20a27afccfd9fae0bf91b65c5524733ab8f593dabcd62b3571639d624e65152ab8f530c359f0861d807ca0dbf500d6a6156a38e088a22b65e52bc514d16ccf806818ce91ab77937365af90bbf74a35be6b40b8eedf2785e42874d";

describe("ChaCha20 (RFC 8439)", () => {
  it("section 2.3.2: the block function", () => {
    rfcKey();
    hexTo(NONCE, "000000090000004a00000000");
    memory.fill(IN, 0, 64);
    chacha20_xor(OUT, IN, 64, KEY, NONCE, 1);
    expect(hex(OUT, 64)).toBe("10f1e7e4d13b5915500fdd1fa32071c4c7d1f4c733c068030422aa9ac3d46c4ed2826446079faa0914c2d705d98b02a2b5129cd1de164eb9cbd083e8a2503c4e");
  });

  it("section 2.4.2: the sunscreen text, in one call and in place", () => {
    rfcKey();
    hexTo(NONCE, "000000000000004a00000000");
    const n = ascii(IN, SUNSCREEN);
    expect(n).toBe(114);
    chacha20_xor(OUT, IN, n, KEY, NONCE, 1);
    expect(hex(OUT, n)).toBe(SUNSCREEN_CT);
    chacha20_xor(OUT, OUT, n, KEY, NONCE, 1);
    expect(hex(OUT, n)).toBe(hex(IN, n));
  });

  it("a split at a block boundary continues the keystream with the next counter", () => {
    rfcKey();
    hexTo(NONCE, "000000000000004a00000000");
    const n = ascii(IN, SUNSCREEN);
    chacha20_xor(OUT, IN, 64, KEY, NONCE, 1);
    chacha20_xor(OUT + 64, IN + 64, n - 64, KEY, NONCE, 2);
    expect(hex(OUT, n)).toBe(SUNSCREEN_CT);
  });

  it("every length from 0 to 114 gives a prefix of the same ciphertext, and writes nothing past it", () => {
    rfcKey();
    hexTo(NONCE, "000000000000004a00000000");
    const n = ascii(IN, SUNSCREEN);
    for (let len: usize = 0; len <= n; len++) {
      memory.fill(OUT, 0xa5, 256);
      chacha20_xor(OUT, IN, len, KEY, NONCE, 1);
      expect(hex(OUT, len)).toBe(SUNSCREEN_CT.substr(0, <i32>len * 2));
      expect(load<u8>(OUT + len)).toBe(0xa5);
    }
  });
});
