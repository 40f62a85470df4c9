// Device authentication (CR 1.2 RE1, CR 1.14): the component proves itself
// with its device key; peers prove themselves with provisioned Ed25519 keys
// or pre-shared HMAC keys, which never leave the module.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac, randomBytes } from 'node:crypto';
import { ed25519 } from '@noble/curves/ed25519.js';
import { deviceAuth, deviceAuthMessage } from '../../dist/host/index.js';
import { setup, status } from './_auth.js';

test('the component signs a challenge with its device key over the domain-separated message', async () => {
  const { api, take } = await setup({ provision: false });
  const d = deviceAuth(api);
  assert.equal(status(() => d.sign(new Uint8Array(32))), 'ERR_STATE', 'no device key yet');
  api.heap().set(randomBytes(32), api.ioPtr);
  assert.equal(api.raw.iacsec_device_key_set(api.ioPtr), 0);
  assert.equal(api.raw.iacsec_device_public_key(api.ioPtr), 0);
  const pk = api.heap().slice(api.ioPtr, api.ioPtr + 32);
  const ch = new Uint8Array(randomBytes(24));
  const sig = d.sign(ch);
  assert.equal(ed25519.verify(sig, deviceAuthMessage(ch), pk), true);
  assert.equal(ed25519.verify(sig, ch, pk), false, 'not a signature over the bare challenge');
  assert.equal(status(() => d.sign(new Uint8Array(15))), 'ERR_LENGTH');
  assert.equal(status(() => d.sign(new Uint8Array(65))), 'ERR_LENGTH');
  take();
});

test('peers: Ed25519 and HMAC-SHA256; a challenge is single use and expires; one answer for every failure', async () => {
  const { api, a, admin, tick, take } = await setup();
  const d = deviceAuth(api, { clock: () => a['clock'](), onEvent: () => {} });
  const seed = ed25519.utils.randomSecretKey();
  const plcKey = ed25519.getPublicKey(seed);
  const psk = new Uint8Array(randomBytes(32));
  d.addPeer(admin, 'plc-7', { ed25519: plcKey });
  d.addPeer(admin, 'rtu-2', { hmac: psk });
  assert.deepEqual(d.peers().map((p) => [p.name, p.kind]), [['plc-7', 'ed25519'], ['rtu-2', 'hmac']]);
  assert.deepEqual(d.peers()[0].publicKey, plcKey);
  assert.equal(d.peers()[1].publicKey, null, 'the pre-shared key is never exported');
  assert.equal(Buffer.from(api.heap()).indexOf(Buffer.from(psk)) > 0, true, 'held inside the module');

  const c1 = d.challenge();
  assert.equal(d.verifyPeer('plc-7', c1, ed25519.sign(deviceAuthMessage(c1), seed)), true);
  assert.equal(d.verifyPeer('plc-7', c1, ed25519.sign(deviceAuthMessage(c1), seed)), false, 'replay of a used challenge');
  const c2 = d.challenge();
  assert.equal(d.verifyPeer('rtu-2', c2, createHmac('sha256', psk).update(deviceAuthMessage(c2)).digest()), true);
  const c3 = d.challenge();
  assert.equal(d.verifyPeer('rtu-2', c3, createHmac('sha256', randomBytes(32)).update(deviceAuthMessage(c3)).digest()), false, 'wrong key');
  const c4 = d.challenge();
  assert.equal(d.verifyPeer('plc-7', c4, ed25519.sign(deviceAuthMessage(c4), ed25519.utils.randomSecretKey())), false);
  const c5 = d.challenge();
  assert.equal(d.verifyPeer('nobody', c5, new Uint8Array(64)), false, 'unknown peer');
  const forged = new Uint8Array(randomBytes(32));
  assert.equal(d.verifyPeer('plc-7', forged, ed25519.sign(deviceAuthMessage(forged), seed)), false, 'a challenge the module never issued');
  const c6 = d.challenge();
  tick(60_001);
  assert.equal(d.verifyPeer('plc-7', c6, ed25519.sign(deviceAuthMessage(c6), seed)), false, 'expired');

  // Only a security administrator provisions peers; names are unique.
  take();
  const eng = (() => { a.addUser(admin, { user: 'eng', password: 'temporary setup passphrase 1', role: 1 }); return a.login({ user: 'eng', password: 'temporary setup passphrase 1', source: 's', iface: 0 }).session; })();
  assert.equal(status(() => d.addPeer(eng, 'x', { ed25519: plcKey })), 'ERR_MUST_CHANGE');
  assert.equal(status(() => d.addPeer(admin, 'plc-7', { ed25519: plcKey })), 'ERR_NAME_TAKEN');
  assert.equal(status(() => d.addPeer(admin, 'short', { hmac: new Uint8Array(16) })), 'ERR_LENGTH');
  assert.equal(d.removePeer(admin, 'rtu-2'), true);
  assert.equal(d.removePeer(admin, 'rtu-2'), false);
  assert.equal(d.peers().length, 1);
});
