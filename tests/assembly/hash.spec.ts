// Known-answer tests for assembly/hash: FIPS 180-4 example vectors (NIST CSRC
// "Examples with Intermediate Values" for SHA-256 / SHA-512), RFC 4231
// section 4 (HMAC-SHA256/512), RFC 7914 section 11 (PBKDF2-HMAC-SHA256) and
// RFC 5869 appendix A (HKDF-SHA256).
import { sha256, sha256_init, sha256_update, sha256_final, SHA256_STATE_BYTES } from "../../assembly/hash/sha256";
import { sha512, sha512_init, sha512_update, sha512_final, SHA512_STATE_BYTES } from "../../assembly/hash/sha512";
import {
  hmac_sha256, hmac_sha256_init, hmac_sha256_update, hmac_sha256_final, HMAC_SHA256_STATE_BYTES,
  hmac_sha512, hmac_sha512_init, hmac_sha512_update, hmac_sha512_final, HMAC_SHA512_STATE_BYTES,
} from "../../assembly/hash/hmac";
import { pbkdf2_sha256 } from "../../assembly/hash/pbkdf2";
import { hkdf_sha256, hkdf_sha256_extract, hkdf_sha256_expand } from "../../assembly/hash/hkdf";
import { OK, ERR_LENGTH } from "../../assembly/status";

const KEY: usize = memory.data(256, 16);
const MSG: usize = memory.data(1024, 16);
const INFO: usize = memory.data(256, 16);
const OUT: usize = memory.data(8192, 16);
const PRK: usize = memory.data(64, 16);
const ST: usize = memory.data(512, 16);

function hexTo(p: usize, hex: string): usize {
  const n = hex.length >> 1;
  for (let i = 0; i < n; i++) store<u8>(p + i, <u8>I32.parseInt(hex.substr(i << 1, 2), 16));
  return n;
}
function ascii(p: usize, s: string): usize {
  for (let i = 0; i < s.length; i++) store<u8>(p + i, <u8>s.charCodeAt(i));
  return s.length;
}
function bytes(p: usize, v: u8, n: usize): usize {
  memory.fill(p, v, n);
  return n;
}
function seq(p: usize, from: u8, n: usize): usize {
  for (let i: usize = 0; i < n; i++) store<u8>(p + i, from + <u8>i);
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

const ABC448 = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
const ABC896 = "abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu";

describe("SHA-256 (FIPS 180-4, NIST example vectors)", () => {
  it("hashes the empty message", () => {
    sha256(OUT, MSG, 0);
    expect(hex(OUT, 32)).toBe("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  });
  it("hashes \"abc\" (one block)", () => {
    sha256(OUT, MSG, ascii(MSG, "abc"));
    expect(hex(OUT, 32)).toBe("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  });
  it("hashes the 448-bit message (two blocks)", () => {
    sha256(OUT, MSG, ascii(MSG, ABC448));
    expect(hex(OUT, 32)).toBe("248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
  });
  it("hashes one million 'a' streamed in chunks of 1000", () => {
    bytes(MSG, 0x61, 1000);
    sha256_init(ST);
    for (let i = 0; i < 1000; i++) sha256_update(ST, MSG, 1000);
    sha256_final(ST, OUT);
    expect(hex(OUT, 32)).toBe("cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
  });
  it("gives the same digest for every split of a streamed message", () => {
    const n = ascii(MSG, ABC448 + ABC448 + "abc");
    sha256(OUT + 64, MSG, n);
    const want = hex(OUT + 64, 32);
    for (let s: usize = 0; s <= n; s++) {
      sha256_init(ST);
      sha256_update(ST, MSG, s);
      sha256_update(ST, MSG + s, n - s);
      sha256_final(ST, OUT);
      expect(hex(OUT, 32)).toBe(want);
    }
  });
  it("wipes the context after final", () => {
    sha256_init(ST);
    sha256_update(ST, MSG, ascii(MSG, "abc"));
    sha256_final(ST, OUT);
    let acc: u32 = 0;
    for (let i: usize = 0; i < SHA256_STATE_BYTES; i++) acc |= load<u8>(ST + i);
    expect(acc).toBe(0);
  });
});

describe("SHA-512 (FIPS 180-4, NIST example vectors)", () => {
  it("hashes the empty message", () => {
    sha512(OUT, MSG, 0);
    expect(hex(OUT, 64)).toBe("cf83e1357eefb8bdf1542850d66d8007d620e4050b5715dc83f4a921d36ce9ce47d0d13c5d85f2b0ff8318d2877eec2f63b931bd47417a81a538327af927da3e");
  });
  it("hashes \"abc\" (one block)", () => {
    sha512(OUT, MSG, ascii(MSG, "abc"));
    expect(hex(OUT, 64)).toBe("ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f");
  });
  it("hashes the 896-bit message (two blocks)", () => {
    sha512(OUT, MSG, ascii(MSG, ABC896));
    expect(hex(OUT, 64)).toBe("8e959b75dae313da8cf4f72814fc143f8f7779c6eb9f7fa17299aeadb6889018501d289e4900f7e4331b99dec4b5433ac7d329eeb6dd26545e96e55b874be909");
  });
  it("hashes one million 'a' streamed in chunks of 1000", () => {
    bytes(MSG, 0x61, 1000);
    sha512_init(ST);
    for (let i = 0; i < 1000; i++) sha512_update(ST, MSG, 1000);
    sha512_final(ST, OUT);
    expect(hex(OUT, 64)).toBe("e718483d0ce769644e2e42c7bc15b4638e1f98b13b2044285632a803afa973ebde0ff244877ea60a4cb0432ce577c31beb009c5c2c49aa2e4eadb217ad8cc09b");
  });
  it("gives the same digest for every split of a streamed message", () => {
    const n = ascii(MSG, ABC896 + ABC896 + ABC448);
    sha512(OUT + 64, MSG, n);
    const want = hex(OUT + 64, 64);
    for (let s: usize = 0; s <= n; s++) {
      sha512_init(ST);
      sha512_update(ST, MSG, s);
      sha512_update(ST, MSG + s, n - s);
      sha512_final(ST, OUT);
      expect(hex(OUT, 64)).toBe(want);
    }
  });
  it("wipes the context after final", () => {
    sha512_init(ST);
    sha512_update(ST, MSG, ascii(MSG, "abc"));
    sha512_final(ST, OUT);
    let acc: u32 = 0;
    for (let i: usize = 0; i < SHA512_STATE_BYTES; i++) acc |= load<u8>(ST + i);
    expect(acc).toBe(0);
  });
});

// RFC 4231 section 4: each case checks the one-shot and the streaming API.
function hmacCase(keylen: usize, msglen: usize, want256: string, want512: string): void {
  const t256 = want256.length >> 1, t512 = want512.length >> 1;
  hmac_sha256(OUT, KEY, keylen, MSG, msglen);
  expect(hex(OUT, t256)).toBe(want256);
  hmac_sha512(OUT, KEY, keylen, MSG, msglen);
  expect(hex(OUT, t512)).toBe(want512);
  const s = msglen / 3;
  hmac_sha256_init(ST, KEY, keylen);
  hmac_sha256_update(ST, MSG, s);
  hmac_sha256_update(ST, MSG + s, msglen - s);
  hmac_sha256_final(ST, OUT);
  expect(hex(OUT, t256)).toBe(want256);
  hmac_sha512_init(ST, KEY, keylen);
  hmac_sha512_update(ST, MSG, s);
  hmac_sha512_update(ST, MSG + s, msglen - s);
  hmac_sha512_final(ST, OUT);
  expect(hex(OUT, t512)).toBe(want512);
}

describe("HMAC-SHA256 / HMAC-SHA512 (RFC 4231 section 4)", () => {
  it("test case 1 (4.2)", () => {
    hmacCase(bytes(KEY, 0x0b, 20), ascii(MSG, "Hi There"),
      "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7",
      "87aa7cdea5ef619d4ff0b4241a1d6cb02379f4e2ce4ec2787ad0b30545e17cdedaa833b7d6b8a702038b274eaea3f4e4be9d914eeb61f1702e696c203a126854");
  });
  it("test case 2 (4.3): key shorter than the output", () => {
    hmacCase(ascii(KEY, "Jefe"), ascii(MSG, "what do ya want for nothing?"),
      "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843",
      "164b7a7bfcf819e2e395fbe73b56e0a387bd64222e831fd610270cd7ea2505549758bf75c05a994a6d034f65f8f0e6fdcaeab1a34d4a6b4b636e070a38bce737");
  });
  it("test case 3 (4.4)", () => {
    hmacCase(bytes(KEY, 0xaa, 20), bytes(MSG, 0xdd, 50),
      "773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe",
      "fa73b0089d56a284efb0f0756c890be9b1b5dbdd8ee81a3655f83e33b2279d39bf3e848279a722c806b485a47e67c807b946a337bee8942674278859e13292fb");
  });
  it("test case 4 (4.5)", () => {
    hmacCase(seq(KEY, 1, 25), bytes(MSG, 0xcd, 50),
      "82558a389a443c0ea4cc819899f2083a85f0faa3e578f8077a2e3ff46729665b",
      "b0ba465637458c6990e5a8c5f61d4af7e576d97ff94b872de76f8050361ee3dba91ca5c11aa25eb4d679275cc5788063a5f19741120c4f2de2adebeb10a298dd");
  });
  it("test case 5 (4.6): truncated to 128 bits", () => {
    hmacCase(bytes(KEY, 0x0c, 20), ascii(MSG, "Test With Truncation"),
      "a3b6167473100ee06e0c796c2955552b",
      "415fad6271580a531d4179bc891d87a6");
  });
  it("test case 6 (4.7): key larger than the block is hashed first", () => {
    hmacCase(bytes(KEY, 0xaa, 131), ascii(MSG, "Test Using Larger Than Block-Size Key - Hash Key First"),
      "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54",
      "80b24263c7c1a3ebb71493c1dd7be8b49b46d1f41b4aeec1121b013783f8f3526b56d037e05f2598bd0fd2215d6a1e5295e64f73f63f0aec8b915a985d786598");
  });
  it("test case 7 (4.8): large key and large data", () => {
    hmacCase(bytes(KEY, 0xaa, 131),
      ascii(MSG, "This is a test using a larger than block-size key and a larger than block-size data. The key needs to be hashed before being used by the HMAC algorithm."),
      "9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2",
      "e37b6a775dc87dbaa4dfa9f96e5e3ffddebd71f8867289865df5a32d20cdc944b6022cac3c4982b10d5eeb55c3e4de15134676fb6de0446065c97440fa8c6a58");
  });
  it("wipes the context after final", () => {
    hmac_sha256_init(ST, KEY, bytes(KEY, 0x0b, 20));
    hmac_sha256_final(ST, OUT);
    hmac_sha512_init(ST + HMAC_SHA256_STATE_BYTES, KEY, 20);
    hmac_sha512_final(ST + HMAC_SHA256_STATE_BYTES, OUT);
    let acc: u32 = 0;
    for (let i: usize = 0; i < HMAC_SHA256_STATE_BYTES + HMAC_SHA512_STATE_BYTES; i++) acc |= load<u8>(ST + i);
    expect(acc).toBe(0);
  });
});

describe("PBKDF2-HMAC-SHA256 (RFC 7914 section 11)", () => {
  it("P=\"passwd\", S=\"salt\", c=1, dkLen=64", () => {
    pbkdf2_sha256(OUT, 64, KEY, ascii(KEY, "passwd"), MSG, ascii(MSG, "salt"), 1);
    expect(hex(OUT, 64)).toBe("55ac046e56e3089fec1691c22544b605f94185216dde0465e68b9d57c20dacbc49ca9cccf179b645991664b39d77ef317c71b845b1e30bd509112041d3a19783");
  });
  it("P=\"Password\", S=\"NaCl\", c=80000, dkLen=64", () => {
    pbkdf2_sha256(OUT, 64, KEY, ascii(KEY, "Password"), MSG, ascii(MSG, "NaCl"), 80000);
    expect(hex(OUT, 64)).toBe("4ddcd8f60b98be21830cee5ef22701f9641a4418d04c0414aeff08876b34ab56a1d425a1225833549adb841b51c9b3176a272bdebba1d078478f62b397f33c8d");
  });
  it("writes only outlen bytes", () => {
    bytes(OUT, 0xee, 64);
    pbkdf2_sha256(OUT, 40, KEY, ascii(KEY, "passwd"), MSG, ascii(MSG, "salt"), 1);
    expect(hex(OUT, 41)).toBe("55ac046e56e3089fec1691c22544b605f94185216dde0465e68b9d57c20dacbc49ca9cccf179b645ee");
  });
});

describe("HKDF-SHA256 (RFC 5869 appendix A)", () => {
  it("A.1 basic test case", () => {
    const il = bytes(KEY, 0x0b, 22), sl = seq(MSG, 0x00, 13), nl = seq(INFO, 0xf0, 10);
    hkdf_sha256_extract(PRK, MSG, sl, KEY, il);
    expect(hex(PRK, 32)).toBe("077709362c2e32df0ddc3f0dc47bba6390b6c73bb50f9c3122ec844ad7c2b3e5");
    const want = "3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf34007208d5b887185865";
    expect(hkdf_sha256_expand(OUT, 42, PRK, 32, INFO, nl)).toBe(OK);
    expect(hex(OUT, 42)).toBe(want);
    memory.fill(OUT, 0, 42);
    expect(hkdf_sha256(OUT, 42, KEY, il, MSG, sl, INFO, nl)).toBe(OK);
    expect(hex(OUT, 42)).toBe(want);
  });
  it("A.2 longer inputs and outputs", () => {
    const il = seq(KEY, 0x00, 80), sl = seq(MSG, 0x60, 80), nl = seq(INFO, 0xb0, 80);
    hkdf_sha256_extract(PRK, MSG, sl, KEY, il);
    expect(hex(PRK, 32)).toBe("06a6b88c5853361a06104c9ceb35b45cef760014904671014a193f40c15fc244");
    const want = "b11e398dc80327a1c8e7f78c596a49344f012eda2d4efad8a050cc4c19afa97c59045a99cac7827271cb41c65e590e09da3275600c2f09b8367793a9aca3db71cc30c58179ec3e87c14c01d5c1f3434f1d87";
    expect(hkdf_sha256_expand(OUT, 82, PRK, 32, INFO, nl)).toBe(OK);
    expect(hex(OUT, 82)).toBe(want);
    memory.fill(OUT, 0, 82);
    expect(hkdf_sha256(OUT, 82, KEY, il, MSG, sl, INFO, nl)).toBe(OK);
    expect(hex(OUT, 82)).toBe(want);
  });
  it("A.3 zero-length salt and info", () => {
    const il = bytes(KEY, 0x0b, 22);
    hkdf_sha256_extract(PRK, MSG, 0, KEY, il);
    expect(hex(PRK, 32)).toBe("19ef24a32c717b167f33a91d6f648bdf96596776afdb6377ac434c1c293ccb04");
    const want = "8da4e775a563c18f715f802a063c5a31b8a11f5c5ee1879ec3454e5f3c738d2d9d201395faa4b61a96c8";
    expect(hkdf_sha256_expand(OUT, 42, PRK, 32, INFO, 0)).toBe(OK);
    expect(hex(OUT, 42)).toBe(want);
    expect(hkdf_sha256(OUT, 42, KEY, il, MSG, 0, INFO, 0)).toBe(OK);
    expect(hex(OUT, 42)).toBe(want);
  });
  it("rejects outlen > 255 * 32 (RFC 5869 section 2.3) and accepts 255 * 32", () => {
    expect(hkdf_sha256_expand(OUT, 255 * 32 + 1, PRK, 32, INFO, 0)).toBe(ERR_LENGTH);
    expect(hkdf_sha256(OUT, 255 * 32 + 1, KEY, 22, MSG, 0, INFO, 0)).toBe(ERR_LENGTH);
    expect(hkdf_sha256_expand(OUT, 255 * 32, PRK, 32, INFO, 0)).toBe(OK);
  });
});
