// The worker of the crash test (state_crash.test.js): a long-lived process
// that changes a device's sealed state in a loop until it is killed.
//
//   node _state_crash_worker.js DIR SUPPLIER.key SEED LOCK_THRESHOLD
//
// It loads the module and its keys, prints READY, and waits for "go" on
// standard input (so the next worker is ready while this one runs). Then it
// opens the state under the lock (breaking the lock a killed worker left),
// prints what it loaded (STATE {...}), and applies changes one at a time:
// firmware installs that raise the counter, installs below it (refused as
// rollbacks), set-counter statements, failed logins of `olga` (and her
// unlock once locked), and now and then an owner anchor added or revoked.
// Before each change it prints BEGIN {...}, after its durable save ACK {...}
// with the generation saved. A state that fails to load prints REFUSED and
// exits 3; anything unexpected prints ERROR and exits 4.
import { createInterface } from 'node:readline';
import {
  Auth, Firmware, FirmwareError, StateStoreError, generateKey, loadModule, openStateStore, parseUuid, readPrivateKeyFile,
  readSealKeyFile, signManifest, signTrustStatement, statePaths, abi,
} from '../../dist/host/index.js';
import { seeded } from './_helpers.js';
import { VENDOR, CLASS, ADMIN_PW, WRONG_PW, applyChange } from './_state_device.js';

const [dir, supPath, seedText, thresholdText] = process.argv.slice(2);
const rnd = seeded(Number(seedText));
const LOCK_THRESHOLD = Number(thresholdText);
const vendor = parseUuid(VENDOR), deviceClass = parseUuid(CLASS);
const image = seeded(5).bytes(1024);
const hex = (b) => Buffer.from(b).toString('hex');
const say = (tag, o) => process.stdout.write(`${tag} ${JSON.stringify(o, (_, v) => (typeof v === 'bigint' ? v.toString() : v))}\n`);

const api = await loadModule();
const sup = await readPrivateKeyFile(supPath);
const p = statePaths(dir);
const sealKey = await readSealKeyFile(p.sealKey);
const deviceSecret = await readSealKeyFile(p.deviceSecret);
// A worker never runs on by itself for long: the test kills it within a fraction of a second.
setTimeout(() => { say('ERROR', { message: 'not killed within 30 s' }); process.exit(4); }, 30_000).unref();

const lines = createInterface({ input: process.stdin });
lines.on('close', () => process.exit(0)); // the test went away
say('READY', { pid: process.pid });
await new Promise((resolve) => lines.once('line', resolve));

const t0 = performance.now();
const fw = new Firmware(api);
let store;
try {
  store = await openStateStore(fw, { path: p.state, sealKey, deviceSecret, lockTimeoutMs: 10_000, audit: { dir } });
} catch (e) {
  if (e instanceof StateStoreError) {
    say('REFUSED', { failSecure: e.failSecure, message: e.message });
    process.exit(3);
  }
  throw e;
}
const openMs = performance.now() - t0;
const loadedGeneration = fw.generation();
const a = new Auth(api);

const owners = () => Object.fromEntries(fw.anchors().filter((x) => x.role === 'owner').map((x) => [x.kidHex, x.revoked ? 'revoked' : 'active']));
const olga = await a.transaction((x) => {
  const s = x.login({ user: 'admin', password: ADMIN_PW, source: 'crash-admin', iface: 0 }).session;
  try { return x.userInfo(s, 'olga'); } finally { x.logout(s); }
});
const model = {
  counter: fw.securityCounter('firmware'), owners: owners(), failures: olga.failures, locked: olga.lockedUntil !== null,
};
say('STATE', { loadedGeneration, generation: fw.generation(), openMs, ...model });

const statusOf = (e) => (e instanceof FirmwareError || e?.status ? e.status : undefined);
async function expectRefusal(promise, status) {
  try {
    await promise;
  } catch (e) {
    if (statusOf(e) === status) return;
    throw e;
  }
  throw new Error(`accepted, but ${status} was expected`);
}

/** One change: its description (what the test's model applies) and the work. */
async function pick() {
  const r = rnd.below(1000);
  const active = Object.keys(model.owners).filter((k) => model.owners[k] === 'active');
  const anchorsFull = Object.keys(model.owners).length + 1 >= abi.SIZES.ANCHORS_MAX;
  const revokedCount = Object.values(model.owners).filter((v) => v === 'revoked').length;
  if (r < 12 && !anchorsFull) {
    const key = generateKey('ed25519');
    const s = signTrustStatement(sup, { operation: 'add-owner', kid: key.kid, publicKey: key, components: ['config'], vendor, deviceClass });
    return [{ op: 'add-owner', kid: hex(key.kid) }, () => fw.applyTrustStatement(s)];
  }
  if (r < 24 && active.length > 0 && revokedCount < abi.SIZES.REVOKED_MAX) {
    const kid = active[rnd.below(active.length)];
    const s = signTrustStatement(sup, { operation: 'revoke', kid: Uint8Array.from(Buffer.from(kid, 'hex')), vendor, deviceClass });
    return [{ op: 'revoke', kid }, () => fw.applyTrustStatement(s)];
  }
  if (r < 330) {
    if (model.locked) {
      return [{ op: 'unlock' }, () => a.transaction((x) => {
        const s = x.login({ user: 'admin', password: ADMIN_PW, source: 'crash-admin', iface: 0 }).session;
        try { x.unlockUser(s, 'olga'); } finally { x.logout(s); }
      })];
    }
    const source = `10.0.${rnd.below(256)}.${rnd.below(256)}`;
    return [{ op: 'fail' }, () => a.transaction((x) => {
      try {
        x.login({ user: 'olga', password: WRONG_PW, source, iface: 1 });
      } catch (e) {
        if (e.status === 'ERR_AUTH') return;
        throw e;
      }
      throw new Error('a wrong password was accepted');
    })];
  }
  if (r < 420 && model.counter > 1n) {
    const m = await signManifest({ key: sup, image, vendor, deviceClass, version: 'old', securityCounter: model.counter - 1n });
    return [{ op: 'rollback', to: model.counter - 1n }, () => expectRefusal(fw.verifyFirmware(m, image, { component: 'firmware' }), 'ERR_ROLLBACK')];
  }
  if (r < 520) {
    const to = model.counter + 1n + BigInt(rnd.below(5));
    const s = signTrustStatement(sup, { operation: 'set-counter', component: 'firmware', expectedCounter: model.counter, newCounter: to, vendor, deviceClass });
    return [{ op: 'set-counter', to }, () => fw.applyTrustStatement(s)];
  }
  const to = model.counter + 1n + BigInt(rnd.below(3));
  const m = await signManifest({ key: sup, image, vendor, deviceClass, version: String(to), securityCounter: to });
  return [{ op: 'install', to }, () => fw.verifyFirmware(m, image, { component: 'firmware' })];
}

try {
  for (;;) {
    const [change, work] = await pick();
    say('BEGIN', change);
    await work();
    applyChange(model, change, LOCK_THRESHOLD);
    say('ACK', { ...change, generation: fw.generation() });
  }
} catch (e) {
  say('ERROR', { message: e instanceof Error ? `${e.name}: ${e.message}` : String(e) });
  process.exit(4);
}
