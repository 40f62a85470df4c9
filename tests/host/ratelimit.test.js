// Rate limiting (CR 7.1 RE1, CR 7.2): GCRA per source and global, in a fixed
// table that a flood of new sources can neither grow nor use to free a
// penalized source.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { abi } from '../../dist/host/index.js';
import { setup, status } from './_auth.js';

test('GCRA per source: a burst, then one request per emission interval', async () => {
  const { rl, tick } = await setup({ provision: false });
  rl.configure('', { sourceRate: 10, sourceBurst: 5, globalRate: 0, globalBurst: 0 });
  const burst = Array.from({ length: 8 }, () => rl.check('192.0.2.1'));
  assert.deepEqual(burst, [true, true, true, true, true, false, false, false]);
  assert.deepEqual(rl.status('192.0.2.1'), { tracked: true, penalized: true, retryAfterMs: 100 });
  tick(99);
  assert.equal(rl.check('192.0.2.1'), false);
  tick(1);
  assert.equal(rl.check('192.0.2.1'), true);
  assert.equal(rl.check('192.0.2.1'), false);
  assert.equal(rl.check('192.0.2.2'), true, 'another source has its own allowance');
  tick(500);
  assert.equal(rl.status('192.0.2.1').penalized, false);
  for (let i = 0; i < 5; i++) assert.equal(rl.check('192.0.2.1'), true, 'back to full after burst x interval');
  assert.equal(rl.check('192.0.2.1'), false);
  // The sequence of a steady client at exactly the rate never gets refused.
  for (let i = 0; i < 100; i++) { tick(100); assert.equal(rl.check('192.0.2.3'), true); }
});

test('the global limit holds for all sources together; a refusal charges neither', async () => {
  const { rl, tick, take } = await setup({ provision: false });
  rl.configure('', { sourceRate: 1000, sourceBurst: 1000, globalRate: 100, globalBurst: 10 });
  take();
  let allowed = 0;
  for (let i = 0; i < 50; i++) if (rl.check(`198.51.100.${i}`)) allowed++;
  assert.equal(allowed, 10);
  assert.deepEqual(take().map((e) => e.type), ['RL_GLOBAL_LIMITED'], 'recorded once per episode');
  tick(10);
  assert.equal(rl.check('198.51.100.200'), true);
  assert.equal(rl.check('198.51.100.201'), false);
});

test('configuration: ranges checked, an administrator only once accounts exist, recorded', async () => {
  const { rl, admin, a, addUser, take } = await setup();
  assert.deepEqual(rl.config(), { sourceRate: 10, sourceBurst: 20, globalRate: 1000, globalBurst: 1000 });
  assert.equal(status(() => rl.configure('', { sourceRate: 5, sourceBurst: 5, globalRate: 0, globalBurst: 0 })), 'ERR_SESSION');
  addUser('gus', 'turbine hall north 7', 1);
  const eng = a.login({ user: 'gus', password: 'turbine hall north 7', source: 's', iface: 1 }).session;
  assert.equal(status(() => rl.configure(eng, { sourceRate: 5, sourceBurst: 5, globalRate: 0, globalBurst: 0 })), 'ERR_DENIED');
  assert.equal(status(() => rl.configure(admin, { sourceRate: 0, sourceBurst: 5, globalRate: 0, globalBurst: 0 })), 'ERR_INVALID');
  assert.equal(status(() => rl.configure(admin, { sourceRate: -1, sourceBurst: 5, globalRate: 0, globalBurst: 0 })), 'ERR_INVALID');
  assert.deepEqual(rl.config(), { sourceRate: 10, sourceBurst: 20, globalRate: 1000, globalBurst: 1000 });
  take();
  rl.configure(admin, { sourceRate: 5, sourceBurst: 5, globalRate: 0, globalBurst: 0 });
  assert.deepEqual(take().map((e) => [e.type, e.actor]), [['RL_CONFIG_CHANGED', 'admin']]);
  assert.throws(() => rl.check('x'.repeat(65)), (e) => e.status === 'ERR_LENGTH');
});

test('a flood from 1,000,000 new sources: memory fixed, the penalized source stays penalized, new sources fail closed', async () => {
  const { api, rl, tick, take } = await setup({ provision: false });
  rl.configure('', { sourceRate: 10, sourceBurst: 5, globalRate: 0, globalBurst: 0 });
  const memBefore = api.memory?.buffer?.byteLength ?? api.heap().byteLength;
  const attacker = '203.0.113.66';
  for (let i = 0; i < 5; i++) assert.equal(rl.check(attacker), true);
  assert.equal(rl.check(attacker), false);
  take();
  // Addresses of 4 bytes written straight into the I/O area, as the gateway's hot path would.
  const raw = api.raw;
  const src = api.ioPtr + 1024;
  const dv = new DataView(api.heap().buffer);
  const now = BigInt(rl['clock']());
  let admitted = 0;
  let refused = 0;
  let attackerAllowed = 0;
  const FLOOD = 1_000_000;
  for (let i = 0; i < FLOOD; i++) {
    dv.setUint32(src, 0x0a000000 + i, false);
    const st = raw.iacsec_ratelimit_check(src, 4, now);
    if (st === 0) admitted++;
    else if (st === abi.STATUS.ERR_LOCKED.code) refused++;
    else assert.fail(`status ${st}`);
    if (i % 1000 === 0 && rl.check(attacker)) attackerAllowed++;
  }
  assert.equal(admitted + refused, FLOOD);
  assert.equal(attackerAllowed, 0, 'the penalized source never got a fresh allowance');
  assert.equal(rl.status(attacker).penalized, true);
  assert.ok(admitted <= abi.SIZES.RL_SOURCES_MAX, `admitted ${admitted}`);
  assert.ok(admitted > abi.SIZES.RL_SOURCES_MAX * 0.9, `the table was used: ${admitted}`);
  assert.equal(rl.count(), admitted + 1, 'one record per admitted source and the attacker');
  assert.equal(api.heap().byteLength, memBefore, 'memory did not grow');
  const ev = take();
  assert.ok(ev.filter((e) => e.type === 'RL_TABLE_FULL').length >= 1);
  assert.ok(ev.length < 1000, `refusals recorded per episode, not per request (${ev.length})`);
  // Time passes: flooded records are back to full and give way; the attacker's turn comes at its rate, no sooner.
  tick(100);
  assert.equal(rl.check('192.0.2.77'), true, 'a new source gets in once records are back to full');
  assert.equal(rl.check(attacker), true, 'the attacker gets exactly its rate back');
  assert.equal(rl.check(attacker), false);
});

test('a flood spread over time: a source that keeps exceeding its rate stays limited throughout', async () => {
  const { api, rl, clock } = await setup({ provision: false });
  rl.configure('', { sourceRate: 2, sourceBurst: 2, globalRate: 0, globalBurst: 0 });
  const raw = api.raw;
  const src = api.ioPtr + 1024;
  const dv = new DataView(api.heap().buffer);
  const attacker = 'attacker';
  let allowed = 0;
  for (let i = 0; i < 200_000; i++) {
    if (i % 100 === 0) clock.now += 1;              // 2,000 ms of virtual time in 1 ms steps
    dv.setUint32(src, i, true);
    raw.iacsec_ratelimit_check(src, 4, BigInt(clock.now));
    if (i % 50 === 0 && rl.check(attacker)) allowed++;
  }
  // 2,000 ms at 2 per second, plus the burst of 2: at most 6 of the attacker's 4,000 tries.
  assert.ok(allowed <= 6, `attacker allowed ${allowed}`);
});
