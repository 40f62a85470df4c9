// Signed firmware: a manifest alone, and a manifest with a 1 MiB and a
// 16 MiB image streamed through the module (the boot check, EDR 3.14 RE1),
// against node:crypto doing the same signature check and image digest;
// hash-wasm's SHA-256 of the same image is the throughput reference.
import crypto from 'node:crypto';
import { createSHA256 } from 'hash-wasm';
import { firmware, generateKey, signManifest, decodeCoseSign1, sigStructure, decodeManifestPayload, parseUuid } from '../../dist/host/index.js';
import { seeded } from './_data.js';

const VENDOR = parseUuid('6ba7b810-9dad-11d1-80b4-00c04fd430c8');
const CLASS = parseUuid('6ba7b811-9dad-11d1-80b4-00c04fd430c8');

/** node:crypto doing the module's work: the signature over the Sig_structure, then the image digest. */
function nodeVerifier(key, manifest) {
  const cose = decodeCoseSign1(manifest);
  const spki = Buffer.concat([Buffer.from('302a300506032b6570032100', 'hex'), key.publicKey]);
  const publicKey = crypto.createPublicKey({ key: spki, format: 'der', type: 'spki' });
  const fields = decodeManifestPayload(cose.payload);
  return (image) => {
    const signed = sigStructure(cose.protectedBytes, cose.payload);
    if (!crypto.verify(null, signed, publicKey, cose.signature)) throw new Error('node: signature');
    if (image.byteLength && !crypto.createHash('sha256').update(image).digest().equals(Buffer.from(fields.digest))) throw new Error('node: digest');
    return true;
  };
}

// Provisioning closes for good, so every firmware case shares one provisioned instance per module.
const provisioned = new WeakMap();
async function provisionedFirmware(api) {
  if (!provisioned.has(api)) {
    const key = generateKey('ed25519');
    const fw = firmware(api, { keepEvents: false });
    await fw.provision({ vendor: VENDOR, deviceClass: CLASS, supplierAnchors: [{ kid: key.kid, publicKey: key.publicKey, alg: 'ed25519' }] });
    provisioned.set(api, { fw, key });
  }
  return provisioned.get(api);
}

function firmwareCase(size) {
  const mib = size >> 20;
  return {
    id: size ? `firmware-${mib}mib` : 'firmware-manifest',
    title: size ? `Firmware check: manifest (Ed25519) and a ${mib} MiB image, SHA-256` : 'Firmware check: manifest alone (Ed25519, empty image)',
    needs: ['iacsec_fw_begin', 'iacsec_anchor_add_supplier'],
    bytes: size || undefined,
    reference: 'node:crypto',
    timing: size >= 16 << 20 ? { rounds: 5, batchMs: 300 } : undefined,
    goals: size === 16 << 20
      ? [{ text: '16 MiB image: iacsec verify throughput vs hash-wasm SHA-256', a: 'iacsec', b: 'hash-wasm SHA-256', atLeast: 1.0 }] : [],
    async setup({ api }) {
      const { fw, key } = await provisionedFirmware(api);
      const image = seeded(size + 1).bytes(size);
      const manifest = await signManifest({ key, image, vendor: VENDOR, deviceClass: CLASS, version: '1.0.0', securityCounter: 1 });
      const node = nodeVerifier(key, manifest);
      const contenders = [
        { name: 'iacsec', async: true, fn: async () => { await fw.verifyFirmware(manifest, image, { purpose: 'boot', component: 'firmware' }); return true; } },
        { name: 'node:crypto', fn: () => node(image) },
      ];
      if (size) {
        const hw = await createSHA256();
        contenders.push({ name: 'hash-wasm SHA-256', fn: () => { hw.init(); hw.update(image); return hw.digest('binary'); } });
      }
      return {
        contenders,
        expect: true,
        fixture: { kind: 'firmware', param: 0, inputs: [VENDOR, CLASS, key.kid, key.publicKey, manifest, image], expect: new Uint8Array(0) },
      };
    },
  };
}

export const area = 'firmware';
export const cases = [firmwareCase(0), firmwareCase(1 << 20), firmwareCase(16 << 20)];
