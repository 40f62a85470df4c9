// Ed25519 verify and sign, ECDSA P-256 verify: the module against
// node:crypto (native OpenSSL), libsodium-wrappers (libsodium's C compiled to
// WebAssembly) and @noble/curves (JavaScript), in one run, interleaved.
import crypto from 'node:crypto';
import sodium from 'libsodium-wrappers';
import { ed25519 } from '@noble/curves/ed25519.js';
import { p256 } from '@noble/curves/nist.js';
import { measure, report, ratio, goal } from './_harness.js';

export async function benchSig(api, opts) {
  await sodium.ready;
  const goals = [];
  const msg = crypto.randomBytes(100);

  const seed = crypto.randomBytes(32);
  const edPriv = crypto.createPrivateKey({ key: Buffer.concat([Buffer.from('302e020100300506032b657004220420', 'hex'), seed]), format: 'der', type: 'pkcs8' });
  const edPub = crypto.createPublicKey(edPriv);
  const pk = new Uint8Array(edPub.export({ format: 'der', type: 'spki' }).subarray(12));
  const sig = new Uint8Array(crypto.sign(null, msg, edPriv));
  const sodiumKeys = sodium.crypto_sign_seed_keypair(seed);
  if (!api.ed25519Verify(pk, msg, sig)) throw new Error('bench setup: module rejects a node:crypto signature');

  const verify = await measure([
    { name: 'iacsec', fn: () => api.ed25519Verify(pk, msg, sig) },
    { name: 'node:crypto', fn: () => crypto.verify(null, msg, edPub, sig) },
    { name: 'libsodium-wrappers', fn: () => sodium.crypto_sign_verify_detached(sig, msg, pk) },
    { name: '@noble/curves', fn: () => ed25519.verify(sig, msg, pk, { zip215: false }) },
  ], opts);
  report('Ed25519 verify, 100-byte message', verify, { reference: 'node:crypto' });
  goals.push(goal('Ed25519 verify: iacsec vs node:crypto', ratio(verify, 'iacsec', 'node:crypto'), 0.9));

  const sign = await measure([
    { name: 'iacsec', fn: () => api.ed25519Sign(seed, msg) },
    { name: 'node:crypto', fn: () => crypto.sign(null, msg, edPriv) },
    { name: 'libsodium-wrappers', fn: () => sodium.crypto_sign_detached(msg, sodiumKeys.privateKey) },
    { name: '@noble/curves', fn: () => ed25519.sign(msg, seed) },
  ], opts);
  report('Ed25519 sign, 100-byte message', sign, { reference: 'node:crypto' });
  goals.push(goal('Ed25519 sign: iacsec vs node:crypto', ratio(sign, 'iacsec', 'node:crypto'), 0.7));

  const { privateKey, publicKey } = crypto.generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const jwk = publicKey.export({ format: 'jwk' });
  const ecPk = new Uint8Array(Buffer.concat([Buffer.from([4]), Buffer.from(jwk.x, 'base64url'), Buffer.from(jwk.y, 'base64url')]));
  const ecSig = new Uint8Array(crypto.sign('sha256', msg, { key: privateKey, dsaEncoding: 'ieee-p1363' }));
  if (!api.p256Verify(ecPk, msg, ecSig)) throw new Error('bench setup: module rejects a node:crypto P-256 signature');
  const p256verify = await measure([
    { name: 'iacsec', fn: () => api.p256Verify(ecPk, msg, ecSig) },
    { name: 'node:crypto', fn: () => crypto.verify('sha256', msg, { key: publicKey, dsaEncoding: 'ieee-p1363' }, ecSig) },
    { name: '@noble/curves', fn: () => p256.verify(ecSig, msg, ecPk, { prehash: true, lowS: false }) },
  ], opts);
  report('ECDSA P-256 / SHA-256 verify, raw signature, 100-byte message', p256verify, { reference: 'node:crypto' });
  // "within 4x of node:crypto's time" = at least 0.25x its speed.
  goals.push(goal('P-256 verify: iacsec speed vs node:crypto (0.25x = within 4x of its time)', ratio(p256verify, 'iacsec', 'node:crypto'), 0.25));
  goals.push(goal('P-256 verify: iacsec vs @noble/curves', ratio(p256verify, 'iacsec', '@noble/curves'), 8));

  return goals;
}
