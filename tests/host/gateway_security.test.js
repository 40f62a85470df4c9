// The gateway's security options: by default no endpoint of mode None and a
// session over None refused (CR 3.1, CR 4.1); None only when asked for; an
// unknown client certificate refused unless acceptUnknownClients is set
// (commissioning only, CR 3.1 RE1); a bad list of modes refused at start.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startGateway } from '../../dist/host/gateway/server.js';
import { startTestGateway, newClient, outcome, MessageSecurityMode, SecurityPolicy } from './_gateway.js';

const offered = async (t) => {
  const client = await newClient(t);
  await client.connect(t.gw.endpointUrl);
  const eps = await client.getEndpoints();
  await client.disconnect();
  return eps.map((e) => `${e.securityPolicyUri.split('#')[1]}/${MessageSecurityMode[e.securityMode]}`).sort();
};

test('by default the gateway offers Basic256Sha256 Sign and SignAndEncrypt only, and a session over None is refused', async () => {
  const t = await startTestGateway({ gateway: { securityModes: undefined } });
  try {
    assert.deepEqual(t.gw.security.modes, ['Sign', 'SignAndEncrypt']);
    assert.deepEqual(await offered(t), ['Basic256Sha256/Sign', 'Basic256Sha256/SignAndEncrypt']);
    const client = await newClient(t);
    await client.connect(t.gw.endpointUrl);
    assert.notEqual(await outcome(client.createSession({ userName: 'olga', password: 'turbine hall north 7', type: 1 })), 'Good');
  } finally { await t.stop(); }
});

test('SignAndEncrypt only, when asked for', async () => {
  const t = await startTestGateway({ gateway: { securityModes: ['SignAndEncrypt'] } });
  try {
    assert.deepEqual(await offered(t), ['Basic256Sha256/SignAndEncrypt']);
  } finally { await t.stop(); }
});

test('acceptUnknownClients lets a client certificate the gateway never saw open a channel; by default it is refused', async () => {
  for (const accept of [false, true]) {
    const t = await startTestGateway({ gateway: { acceptUnknownClients: accept } });
    try {
      const client = await newClient(t, { mode: MessageSecurityMode.SignAndEncrypt, policy: SecurityPolicy.Basic256Sha256, trusted: false });
      const r = await outcome(client.connect(t.gw.endpointUrl));
      assert.equal(r === 'Good', accept, `acceptUnknownClients ${accept}: ${r}`);
      assert.equal(t.gw.security.acceptUnknownClients, accept);
    } finally { await t.stop(); }
  }
});

test('an unknown or empty list of security modes is refused at start', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'iacsec-gw-modes-'));
  try {
    for (const securityModes of [[], ['Basic128']]) {
      await assert.rejects(startGateway({ host: '127.0.0.1', port: 0, stateDir: join(dir, 'state'), securityModes }), /securityModes/);
    }
  } finally { await rm(dir, { recursive: true, force: true }); }
});
