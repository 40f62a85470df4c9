import { p256_verify, p256_verify_digest_vartime, P256_SIG_RAW, P256_SIG_DER } from "../../assembly/sig/p256";
import { sc_from_bytes, sc_inv_vartime, sc_mul_vartime } from "../../assembly/sig/_p256_scalar";
import { OK, ERR_INVALID, ERR_UNSUPPORTED } from "../../assembly/status";

// Wycheproof ecdsa_secp256r1_sha256_p1363_test.json, tcId 1.
const PK = "042927b10512bae3eddcfe467828128bad2903269919f7086069c8c4df6c732838c7787964eaac00e5921fb1498a60f4606766b3d9685001558d1a974e7341513e";
const PKC = "022927b10512bae3eddcfe467828128bad2903269919f7086069c8c4df6c732838";
const MSG = "313233343030";
const R = "2ba3a8be6b94d5ec80a6d9d1190a436effe50d85a1eee859b8cc6af9bd5c2e18";
const S = "4cd60b855d442f5b3c7b11eb6c4e0ae7525fe710fab9aa7c77a67f79e6fadd76";
const S_HIGH = "b329f479a2bbd0a5c384ee1493b1f5186a87139cac5df4087c134b49156847db"; // n - s
const DER = "304402202ba3a8be6b94d5ec80a6d9d1190a436effe50d85a1eee859b8cc6af9bd5c2e1802204cd60b855d442f5b3c7b11eb6c4e0ae7525fe710fab9aa7c77a67f79e6fadd76";
const N = "ffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551";
const P = "ffffffff00000001000000000000000000000000ffffffffffffffffffffffff";
const ZERO32 = "0000000000000000000000000000000000000000000000000000000000000000";
const ONE32 = "0000000000000000000000000000000000000000000000000000000000000001";
// SHA-256("123400")
const DIGEST = "bb5a52f42f9c9261ed4361f59422a1e30036e7c32b270c8807a419feca605023";

const BUF: usize = memory.data(1024, 16);
const KEY: usize = BUF;
const M: usize = BUF + 128;
const SIG: usize = BUF + 256;
const D: usize = BUF + 512;
const T: usize = BUF + 640;

function put(p: usize, hex: string): usize {
  const n = hex.length >> 1;
  for (let i = 0; i < n; i++) store<u8>(p + i, <u8>U8.parseInt(hex.substr(2 * i, 2), 16));
  return <usize>n;
}

function verify(pk: string, msg: string, sig: string, format: i32): i32 {
  const kl = put(KEY, pk);
  const ml = put(M, msg);
  const sl = put(SIG, sig);
  return p256_verify(KEY, kl, M, ml, SIG, sl, format);
}

describe("p256_verify", () => {
  it("accepts a valid raw signature", () => {
    expect(verify(PK, MSG, R + S, P256_SIG_RAW)).toBe(OK);
  });
  it("accepts a valid DER signature", () => {
    expect(verify(PK, MSG, DER, P256_SIG_DER)).toBe(OK);
  });
  it("accepts a compressed public key", () => {
    expect(verify(PKC, MSG, R + S, P256_SIG_RAW)).toBe(OK);
  });
  it("accepts high S", () => {
    expect(verify(PK, MSG, R + S_HIGH, P256_SIG_RAW)).toBe(OK);
  });
  it("rejects the wrong parity of a compressed key", () => {
    expect(verify("03" + PKC.substr(2), MSG, R + S, P256_SIG_RAW)).toBe(ERR_INVALID);
  });
  it("rejects a changed message", () => {
    expect(verify(PK, "313233343031", R + S, P256_SIG_RAW)).toBe(ERR_INVALID);
    expect(verify(PK, "", R + S, P256_SIG_RAW)).toBe(ERR_INVALID);
  });
  it("rejects a changed signature", () => {
    expect(verify(PK, MSG, S + R, P256_SIG_RAW)).toBe(ERR_INVALID);
    expect(verify(PK, MSG, R + "4cd60b855d442f5b3c7b11eb6c4e0ae7525fe710fab9aa7c77a67f79e6fadd77", P256_SIG_RAW)).toBe(ERR_INVALID);
  });
  it("rejects r or s out of [1, n-1]", () => {
    expect(verify(PK, MSG, ZERO32 + S, P256_SIG_RAW)).toBe(ERR_INVALID);
    expect(verify(PK, MSG, R + ZERO32, P256_SIG_RAW)).toBe(ERR_INVALID);
    expect(verify(PK, MSG, N + S, P256_SIG_RAW)).toBe(ERR_INVALID);
    expect(verify(PK, MSG, R + N, P256_SIG_RAW)).toBe(ERR_INVALID);
    expect(verify(PK, MSG, ZERO32 + ZERO32, P256_SIG_RAW)).toBe(ERR_INVALID);
  });
  it("rejects bad signature lengths", () => {
    expect(verify(PK, MSG, R + S + "00", P256_SIG_RAW)).toBe(ERR_INVALID);
    expect(verify(PK, MSG, R + S.substr(2), P256_SIG_RAW)).toBe(ERR_INVALID);
    expect(verify(PK, MSG, "", P256_SIG_RAW)).toBe(ERR_INVALID);
    expect(verify(PK, MSG, R + S, P256_SIG_DER)).toBe(ERR_INVALID);
    expect(verify(PK, MSG, DER, P256_SIG_RAW)).toBe(ERR_INVALID);
  });
  it("rejects non-strict DER", () => {
    // Trailing byte.
    expect(verify(PK, MSG, "3045" + DER.substr(4) + "00", P256_SIG_DER)).toBe(ERR_INVALID);
    // Superfluous leading zero in r.
    expect(verify(PK, MSG, "30450221002ba3a8be6b94d5ec80a6d9d1190a436effe50d85a1eee859b8cc6af9bd5c2e1802204cd60b855d442f5b3c7b11eb6c4e0ae7525fe710fab9aa7c77a67f79e6fadd76", P256_SIG_DER)).toBe(ERR_INVALID);
    // Long-form sequence length.
    expect(verify(PK, MSG, "308144" + DER.substr(4), P256_SIG_DER)).toBe(ERR_INVALID);
    // Negative s (high S without its leading zero).
    expect(verify(PK, MSG, "304402202ba3a8be6b94d5ec80a6d9d1190a436effe50d85a1eee859b8cc6af9bd5c2e180220" + S_HIGH, P256_SIG_DER)).toBe(ERR_INVALID);
    // The same, correctly encoded, is valid.
    expect(verify(PK, MSG, "304502202ba3a8be6b94d5ec80a6d9d1190a436effe50d85a1eee859b8cc6af9bd5c2e18022100" + S_HIGH, P256_SIG_DER)).toBe(OK);
    // Wrong tags.
    expect(verify(PK, MSG, "3144" + DER.substr(4), P256_SIG_DER)).toBe(ERR_INVALID);
    expect(verify(PK, MSG, "30440320" + DER.substr(8), P256_SIG_DER)).toBe(ERR_INVALID);
    expect(verify(PK, MSG, "3000", P256_SIG_DER)).toBe(ERR_INVALID);
    expect(verify(PK, MSG, "30", P256_SIG_DER)).toBe(ERR_INVALID);
  });
  it("rejects malformed and off-curve keys", () => {
    expect(verify("", MSG, R + S, P256_SIG_RAW)).toBe(ERR_INVALID);
    expect(verify("00", MSG, R + S, P256_SIG_RAW)).toBe(ERR_INVALID);           // the identity
    expect(verify(PK.substr(2), MSG, R + S, P256_SIG_RAW)).toBe(ERR_INVALID);   // 64 bytes, no tag
    expect(verify(PK + "00", MSG, R + S, P256_SIG_RAW)).toBe(ERR_INVALID);
    expect(verify("05" + PK.substr(2), MSG, R + S, P256_SIG_RAW)).toBe(ERR_INVALID);
    expect(verify("04" + PK.substr(2, 64) + "c7787964eaac00e5921fb1498a60f4606766b3d9685001558d1a974e7341513f", MSG, R + S, P256_SIG_RAW)).toBe(ERR_INVALID);
    expect(verify("04" + P + PK.substr(66), MSG, R + S, P256_SIG_RAW)).toBe(ERR_INVALID);
    expect(verify("04" + ZERO32 + ZERO32, MSG, R + S, P256_SIG_RAW)).toBe(ERR_INVALID);
    expect(verify("02" + P, MSG, R + S, P256_SIG_RAW)).toBe(ERR_INVALID);
    // x = 0 has no square root on P-256 (b is not a square).
    expect(verify("02" + ZERO32, MSG, R + S, P256_SIG_RAW)).toBe(ERR_INVALID);
  });
  it("rejects an unknown format", () => {
    expect(verify(PK, MSG, R + S, 2)).toBe(ERR_UNSUPPORTED);
    expect(verify(PK, MSG, R + S, -1)).toBe(ERR_UNSUPPORTED);
  });
  it("verifies a digest", () => {
    const kl = put(KEY, PK);
    put(D, DIGEST);
    const sl = put(SIG, R + S);
    expect(p256_verify_digest_vartime(KEY, kl, D, SIG, sl, P256_SIG_RAW)).toBe(OK);
    store<u8>(D + 31, load<u8>(D + 31) ^ 1);
    expect(p256_verify_digest_vartime(KEY, kl, D, SIG, sl, P256_SIG_RAW)).toBe(ERR_INVALID);
  });
});

describe("p256 scalars", () => {
  it("inverts mod n", () => {
    // s * s^-1 = 1 for s = n - 1 and s = 1.
    put(T, N);
    store<u8>(T + 31, 0x50);
    sc_from_bytes(D, T);
    sc_inv_vartime(D + 32, D);
    sc_mul_vartime(D + 64, D, D + 32);
    put(T, ONE32);
    sc_from_bytes(D + 96, T);
    expect(memory.compare(D + 64, D + 96, 32)).toBe(0);
    sc_inv_vartime(D + 32, D + 96);
    expect(memory.compare(D + 32, D + 96, 32)).toBe(0);
  });
});
