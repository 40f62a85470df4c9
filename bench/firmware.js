// Signed firmware: verifying a manifest alone, and a manifest with a 1 MiB
// and a 16 MiB image streamed through the module, against node:crypto doing
// the same signature check and image hash in the same run; hash-wasm's
// SHA-256 of the same image is the throughput reference.
import crypto from 'node:crypto';
import { createSHA256 } from 'hash-wasm';
import { firmware, generateKey, signManifest, decodeCoseSign1, sigStructure, decodeManifestPayload } from '../dist/host/index.js';
import { measure, report, ratio, goal } from './_harness.js';

const VENDOR = '6ba7b810-9dad-11d1-80b4-00c04fd430c8';
const CLASS = '6ba7b811-9dad-11d1-80b4-00c04fd430c8';

/** node:crypto doing the module's work: the signature over the Sig_structure, then the image digest. */
function nodeVerifier(key, manifest) {
  const cose = decodeCoseSign1(manifest);
  const spki = Buffer.concat([Buffer.from('302a300506032b6570032100', 'hex'), key.publicKey]);
  const publicKey = crypto.createPublicKey({ key: spki, format: 'der', type: 'spki' });
  const fields = decodeManifestPayload(cose.payload);
  return (image) => {
    const signed = sigStructure(cose.protectedBytes, cose.payload);
    if (!crypto.verify(null, signed, publicKey, cose.signature)) throw new Error('node: signature');
    if (image && !crypto.createHash('sha256').update(image).digest().equals(Buffer.from(fields.digest))) throw new Error('node: digest');
  };
}

export async function benchFirmware(api, opts) {
  const goals = [];
  const key = generateKey('ed25519');
  const fw = firmware(api, { keepEvents: false });
  await fw.provision({ vendor: VENDOR, deviceClass: CLASS, supplierAnchors: [{ kid: key.kid, publicKey: key.publicKey, alg: 'ed25519' }] });
  const hw = await createSHA256();

  for (const size of [0, 1 << 20, 16 << 20]) {
    const image = crypto.randomBytes(size);
    const manifest = await signManifest({ key, image, vendor: Uint8Array.from(Buffer.from(VENDOR.replace(/-/g, ''), 'hex')),
      deviceClass: Uint8Array.from(Buffer.from(CLASS.replace(/-/g, ''), 'hex')), version: '1.0.0', securityCounter: 1 });
    const node = nodeVerifier(key, manifest);
    const contenders = [
      { name: 'iacsec', async: true, fn: () => fw.verifyFirmware(manifest, image, { purpose: 'boot' }) },
      { name: 'node:crypto', fn: () => node(size ? image : undefined) },
    ];
    if (size) contenders.push({ name: 'hash-wasm SHA-256', fn: () => { hw.init(); hw.update(image); return hw.digest('binary'); } });
    const title = size ? `Firmware: manifest (Ed25519) and a ${size >> 20} MiB image, SHA-256` : 'Firmware: manifest alone (Ed25519, empty image)';
    const small = size >= 16 << 20 ? { ...opts, rounds: Math.min(opts?.rounds ?? 5, 5), batchMs: Math.max(opts?.batchMs ?? 150, 300) } : opts;
    const results = await measure(contenders, small);
    report(title, results, { reference: 'node:crypto', bytes: size || undefined });
    if (size === 16 << 20) goals.push(goal('16 MiB image: iacsec verify throughput vs hash-wasm SHA-256', ratio(results, 'iacsec', 'hash-wasm SHA-256'), 1.0));
  }
  return goals;
}
