// No byte of an exported audit log goes unchecked: a checkpoint signs whether
// it is sealed ("sealed" line), so the seal field of an unsealed checkpoint
// must be zero, and a verifier without the seal key says which seals it did
// not check. Found by the conformance check audit.tamper-evidence, which
// flips bytes across a whole log.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadModule, audit, verifyLog, exportItems, parseCheckpoint } from '../../dist/host/index.js';

const RECORD = { category: 'access_control', type: 200, outcome: 'success', subject: 'operator1' };

async function log({ sealKey } = {}) {
  const a = audit(await loadModule());
  a.setDeviceSecret(new Uint8Array(32).fill(9));
  a.configure({ checkpointEvery: 50 });
  const first = sealKey ? a.setSealKey(sealKey) : undefined;
  for (let i = 0; i < 200; i++) a.append(RECORD);
  return { bytes: new Uint8Array(a.exportAll().bytes), publicKey: a.devicePublicKey(), first };
}

test('an unsealed log: every bit of every checkpoint seal field is checked', async () => {
  const { bytes, publicKey } = await log();
  assert.equal(verifyLog(bytes, { publicKey }).ok, true);
  const cps = [...exportItems(bytes)].filter((i) => i.kind === 'checkpoint');
  assert.ok(cps.length >= 4);
  for (const cp of cps) {
    assert.equal(parseCheckpoint(cp.note).sealed, false);
    for (let at = cp.end - 32; at < cp.end; at++) {
      const c = bytes.slice(); c[at] ^= 0x80;
      const r = verifyLog(c, { publicKey });
      assert.equal(r.ok, false, `seal byte ${at - cp.end + 32} of checkpoint item ${cp.item}`);
      assert.equal(r.problem.kind, 'seal');
    }
  }
});

test('a sealed log: the seals are signed as such; without the key they are reported unchecked, with it a change is found', async () => {
  const sealKey = new Uint8Array(32).fill(4);
  const { bytes, publicKey, first } = await log({ sealKey });
  const cps = [...exportItems(bytes)].filter((i) => i.kind === 'checkpoint');
  assert.ok(cps.every((c) => parseCheckpoint(c.note).sealed));
  const plain = verifyLog(bytes, { publicKey });
  assert.equal(plain.ok, true);
  assert.equal(plain.sealsUnchecked, cps.length);
  assert.equal(verifyLog(bytes, { publicKey, seal: { key: sealKey, first } }).ok, true);
  const c = bytes.slice(); c[cps[1].end - 5] ^= 1;
  const r = verifyLog(c, { publicKey, seal: { key: sealKey, first } });
  assert.equal(r.ok, false);
  assert.equal(r.problem.kind, 'seal');
  assert.equal(r.problem.item, cps[1].item);
});
