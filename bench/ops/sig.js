// Ed25519 verify and sign, ECDSA P-256 verify: the module through the host
// API against node:crypto (OpenSSL), libsodium-wrappers (libsodium's C
// compiled to WebAssembly) and @noble/curves (JavaScript), in one run.
import crypto from 'node:crypto';
import sodium from 'libsodium-wrappers';
import { ed25519 } from '@noble/curves/ed25519.js';
import { p256 } from '@noble/curves/nist.js';
import { seeded } from './_data.js';

const MESSAGE = seeded(100).bytes(100);

function edKeys() {
  const seed = seeded(25519).bytes(32);
  const priv = crypto.createPrivateKey({ key: Buffer.concat([Buffer.from('302e020100300506032b657004220420', 'hex'), seed]), format: 'der', type: 'pkcs8' });
  const pub = crypto.createPublicKey(priv);
  const pk = new Uint8Array(pub.export({ format: 'der', type: 'spki' }).subarray(12));
  return { seed, priv, pub, pk, sig: new Uint8Array(crypto.sign(null, MESSAGE, priv)) };
}

const edVerify = {
  id: 'ed25519-verify',
  title: 'Ed25519 verify, 100-byte message',
  needs: ['iacsec_ed25519_verify'],
  reference: 'node:crypto',
  goals: [{ text: 'Ed25519 verify: iacsec vs node:crypto', a: 'iacsec', b: 'node:crypto', atLeast: 0.9 }],
  async setup({ api }) {
    await sodium.ready;
    const k = edKeys();
    return {
      contenders: [
        { name: 'iacsec', fn: () => api.ed25519Verify(k.pk, MESSAGE, k.sig) },
        { name: 'node:crypto', fn: () => crypto.verify(null, MESSAGE, k.pub, k.sig) },
        { name: 'libsodium-wrappers', fn: () => sodium.crypto_sign_verify_detached(k.sig, MESSAGE, k.pk) },
        { name: '@noble/curves', fn: () => ed25519.verify(k.sig, MESSAGE, k.pk, { zip215: false }) },
      ],
      expect: true,
      fixture: { kind: 'ed25519_verify', param: 0, inputs: [k.pk, MESSAGE, k.sig], expect: new Uint8Array(0) },
    };
  },
};

const edSign = {
  id: 'ed25519-sign',
  title: 'Ed25519 sign, 100-byte message',
  needs: ['iacsec_ed25519_sign'],
  reference: 'node:crypto',
  goals: [{ text: 'Ed25519 sign: iacsec vs node:crypto', a: 'iacsec', b: 'node:crypto', atLeast: 0.7 }],
  async setup({ api }) {
    await sodium.ready;
    const k = edKeys();
    const sodiumKeys = sodium.crypto_sign_seed_keypair(k.seed);
    return {
      contenders: [
        { name: 'iacsec', fn: () => api.ed25519Sign(k.seed, MESSAGE) },
        { name: 'node:crypto', fn: () => crypto.sign(null, MESSAGE, k.priv) },
        { name: 'libsodium-wrappers', fn: () => sodium.crypto_sign_detached(MESSAGE, sodiumKeys.privateKey) },
        { name: '@noble/curves', fn: () => ed25519.sign(MESSAGE, k.seed) },
      ],
      expect: k.sig, // Ed25519 signatures are deterministic (RFC 8032)
      fixture: { kind: 'ed25519_sign', param: 0, inputs: [k.seed, MESSAGE], expect: k.sig },
    };
  },
};

const p256Verify = {
  id: 'p256-verify',
  title: 'ECDSA P-256 / SHA-256 verify, raw signature, 100-byte message',
  needs: ['iacsec_p256_verify'],
  reference: 'node:crypto',
  goals: [
    // "within 4x of node:crypto's time" = at least 0.25x its speed.
    { text: 'P-256 verify: iacsec speed vs node:crypto (>= 0.25x: within 4x of its time)', a: 'iacsec', b: 'node:crypto', atLeast: 0.25 },
    { text: 'P-256 verify: iacsec vs @noble/curves', a: 'iacsec', b: '@noble/curves', atLeast: 8 },
  ],
  async setup({ api }) {
    const priv = p256.utils.randomSecretKey(seeded(256).bytes(48));
    const pk = p256.getPublicKey(priv, false);
    const sig = p256.sign(MESSAGE, priv, { prehash: true, lowS: false });
    const pub = crypto.createPublicKey({ key: { kty: 'EC', crv: 'P-256', x: Buffer.from(pk.subarray(1, 33)).toString('base64url'), y: Buffer.from(pk.subarray(33)).toString('base64url') }, format: 'jwk' });
    return {
      contenders: [
        { name: 'iacsec', fn: () => api.p256Verify(pk, MESSAGE, sig) },
        { name: 'node:crypto', fn: () => crypto.verify('sha256', MESSAGE, { key: pub, dsaEncoding: 'ieee-p1363' }, sig) },
        { name: '@noble/curves', fn: () => p256.verify(sig, MESSAGE, pk, { prehash: true, lowS: false }) },
      ],
      expect: true,
      fixture: { kind: 'p256_verify', param: 0, inputs: [pk, MESSAGE, sig], expect: new Uint8Array(0) },
    };
  },
};

export const area = 'sig';
export const cases = [edVerify, edSign, p256Verify];
