// iacsec_zeroize wipes every secret the module keeps between calls (CR 4.2):
// the cached Ed25519 seed, the device key (its seed, derived inside the
// module), and the state sealing key. A memory scan looks for each.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { loadModule, Firmware } from '../../dist/host/index.js';
import { ST } from './_manifest.js';

const find = (api, secret) => Buffer.from(api.heap()).indexOf(Buffer.from(secret));

test('zeroize wipes the sealing key, the device secret and the device key derived from it', async () => {
  const api = await loadModule();
  const fw = new Firmware(api);
  const sealKey = crypto.randomBytes(32), deviceSecret = crypto.randomBytes(32);
  // The device seed as the module derives it: HKDF-SHA256(secret, salt "iacsec", info "device ed25519 v1").
  const deviceSeed = Buffer.from(crypto.hkdfSync('sha256', deviceSecret, 'iacsec', 'device ed25519 v1', 32));
  fw.setSealKey(new Uint8Array(sealKey));
  fw.setDeviceSecret(new Uint8Array(deviceSecret));
  const pk = fw.devicePublicKey();
  const { ed25519 } = await import('@noble/curves/ed25519.js');
  assert.deepEqual(Buffer.from(pk), Buffer.from(ed25519.getPublicKey(deviceSeed)), 'the documented derivation');
  fw.exportState();
  await fw.backup();                    // signs with the device key: its seed sits in the signing cache too
  assert.ok(find(api, sealKey) >= 0, 'the sealing key is held (positive control)');
  assert.ok(find(api, deviceSeed) >= 0, 'the device seed is held (positive control)');
  assert.equal(find(api, deviceSecret), -1, 'the secret itself is not kept: the host wipes the I/O area');
  assert.equal(api.raw.iacsec_zeroize(), ST.OK);
  for (const [name, secret] of [['sealing key', sealKey], ['device seed', deviceSeed], ['device secret', deviceSecret]]) {
    assert.equal(find(api, secret), -1, `no copy of the ${name} is left in module memory`);
  }
  assert.equal(find(api, pk), -1, 'nor the device public key');
  // Without the keys, nothing is sealed or signed until they are set again.
  assert.equal(api.raw.iacsec_state_export(api.ioPtr, api.ioBytes), ST.ERR_STATE);
  assert.equal(api.raw.iacsec_device_public_key(api.ioPtr), ST.ERR_STATE);
  fw.setSealKey(new Uint8Array(sealKey));
  fw.setDeviceSecret(new Uint8Array(deviceSecret));
  assert.deepEqual(Buffer.from(fw.devicePublicKey()), Buffer.from(pk));
});
