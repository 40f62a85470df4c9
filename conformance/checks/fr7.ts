// FR7 Resource availability: rate limiting and flooding (CR 7.1, RE1), fixed
// tables (CR 7.2), backup and recovery of the sealed state (CR 7.3, CR 7.4),
// least functionality (CR 7.7), component inventory (CR 7.8), and the
// profile's rate limits (CR 7.1). See registry.ts.

import { configMachineReadable, configStatesDeployment } from './_config.js';
import { ALLOWED_IMPORTS, EXPORTS, SIZES, STATUS } from '../../bindings/abi.js';
import { firmware, FirmwareError, type Firmware } from '../../host/firmware.js';
import { outcome, type Check, type CheckContext } from './registry.js';
import { Tally, attempt, flip, manifestFor, provisioned } from './_firmware.js';
import { ROLE, accessBench, status, types } from './_access.js';
import { deployed, isOutcome } from './_deployment.js';

const rateLimitModule: Check = {
  id: 'ratelimit.source-limit',
  title: 'Each source gets its burst, then one request per interval; a refused request costs nothing; the global limit holds for all sources together',
  requirements: ['CR 7.1'],
  kind: 'capability',
  part: 'access',
  remedy: 'limit requests per source and globally in the module (GCRA), refuse over the limit without changing state, and let only a security administrator change the limits',
  async run(ctx) {
    const t = new Tally(ctx);
    const b = await accessBench(ctx);
    t.expect('limits changed without a session (accounts exist)', 'ERR_SESSION', status(() => b.rl.configure('', { sourceRate: 1000, sourceBurst: 1000, globalRate: 0, globalBurst: 0 })));
    b.rl.configure(b.admin, { sourceRate: 10, sourceBurst: 5, globalRate: 0, globalBurst: 0 });
    ctx.log('limits: 10 per second per source, burst 5, no global limit');
    const src = '192.0.2.1';
    const burst = Array.from({ length: 8 }, () => b.rl.check(src));
    t.expect('8 requests at once', 'yes,yes,yes,yes,yes,no,no,no', burst.map((x) => (x ? 'yes' : 'no')).join(','));
    t.expect('the source reported penalized, retry after', 'true 100', `${b.rl.status(src).penalized} ${b.rl.status(src).retryAfterMs}`);
    t.expect('another source meanwhile', 'true', String(b.rl.check('192.0.2.2')));
    let early = 0;
    for (let i = 0; i < 99; i++) { b.tick(1); if (b.rl.check(src)) early++; }
    t.expect('99 tries within the next 99 ms', '0', String(early));
    b.tick(1);
    t.expect('at 100 ms: refused tries did not push it back', 'true', String(b.rl.check(src)));
    t.expect('and one only', 'false', String(b.rl.check(src)));
    b.tick(500);
    let again = 0;
    for (let i = 0; i < 6; i++) if (b.rl.check(src)) again++;
    t.expect('back to full after burst x interval', '5', String(again));
    let steady = 0;
    for (let i = 0; i < 100; i++) { b.tick(100); if (b.rl.check('192.0.2.3')) steady++; }
    t.expect('a client at exactly the rate, 100 requests', '100', String(steady));
    b.rl.configure(b.admin, { sourceRate: 1000, sourceBurst: 1000, globalRate: 100, globalBurst: 10 });
    let all = 0;
    for (let i = 0; i < 50; i++) if (b.rl.check(`198.51.100.${i}`)) all++;
    t.expect('50 sources at once, global limit 100/s burst 10', '10', String(all));
    return outcome(t.ok, 'burst 5 then 10/s per source; refusals cost nothing; global limit holds', t.describe(), { cases: t.cases.length });
  },
};

const FLOOD = 200_000;

const flood: Check = {
  id: 'ratelimit.flood',
  title: 'A flood of new sources neither grows memory nor frees a penalized source: new sources fail closed when the table holds no free record',
  requirements: ['CR 7.1 RE1', 'CR 7.2'],
  kind: 'capability',
  part: 'access',
  remedy: 'keep sources in a fixed table, evict only records back to full, and refuse new sources when none is free',
  async run(ctx) {
    const t = new Tally(ctx);
    const b = await accessBench(ctx, { provision: false });
    b.rl.configure('', { sourceRate: 10, sourceBurst: 5, globalRate: 0, globalBurst: 0 });
    const pages = b.api.heap().byteLength;
    const attacker = '203.0.113.66';
    for (let i = 0; i < 5; i++) b.rl.check(attacker);
    t.expect('the attacker is penalized', 'true', String(b.rl.status(attacker).penalized));
    b.take();
    // 4-byte addresses written into the I/O area, as a gateway's hot path does.
    const raw = b.api.raw;
    const at = b.api.ioPtr + 1024;
    const dv = new DataView(b.api.heap().buffer);
    const now = BigInt(b.clock.now);
    let admitted = 0; let refused = 0; let other = 0; let attackerIn = 0;
    for (let i = 0; i < FLOOD; i++) {
      dv.setUint32(at, 0x0a000000 + i, false);
      const st = raw.iacsec_ratelimit_check(at, 4, now as unknown as number);
      if (st === STATUS.OK.code) admitted++; else if (st === STATUS.ERR_LOCKED.code) refused++; else other++;
      if (i % 1000 === 0 && b.rl.check(attacker)) attackerIn++;
    }
    ctx.log(`flood of ${FLOOD} new sources at one instant, the attacker trying every 1000th request`);
    t.expect('answers other than OK and ERR_LOCKED', '0', String(other));
    t.expect('the attacker got through during the flood', '0', String(attackerIn));
    t.expect('the attacker still penalized', 'true', String(b.rl.status(attacker).penalized));
    t.expect('sources admitted within the table', 'true', String(admitted <= SIZES.RL_SOURCES_MAX && admitted > 0));
    t.expect('new sources refused once the table held no free record', 'true', String(refused >= FLOOD - SIZES.RL_SOURCES_MAX));
    t.expect('records in use: one per admitted source and the attacker', 'true', String(b.rl.count() === admitted + 1));
    t.expect('linear memory', String(pages), String(b.api.heap().byteLength));
    const records = b.take().length;
    t.expect('refusals recorded per episode, not per request (under 1 record per 100 refusals)', 'true', String(records * 100 < refused));
    b.tick(100);
    t.expect('100 ms later: a new source gets a record that is back to full', 'true', String(b.rl.check('192.0.2.77')));
    t.expect('the attacker gets exactly its rate back', 'true,false', `${b.rl.check(attacker)},${b.rl.check(attacker)}`);
    // How many of the flood got a record depends on the module's random SipHash key: only the bounds are reported.
    return outcome(t.ok, `${FLOOD} new sources: at most ${SIZES.RL_SOURCES_MAX} admitted, the rest refused (fail closed); the penalized source stayed penalized; memory unchanged`,
      t.describe(), { flood: FLOOD, tableRecords: SIZES.RL_SOURCES_MAX, memoryBytes: pages });
  },
};

const fixedTables: Check = {
  id: 'resources.fixed-tables',
  title: 'Full account and session tables answer a status and change nothing; linear memory is fixed',
  requirements: ['CR 7.2'],
  kind: 'capability',
  part: 'access',
  remedy: 'keep every table at a fixed size and answer ERR_FULL or ERR_SESSION_LIMIT when it is full',
  async run(ctx) {
    const t = new Tally(ctx);
    const b = await accessBench(ctx, { profile: { sessionsPerUser: SIZES.SESSIONS_MAX, sessionsPerInterface: SIZES.SESSIONS_MAX } });
    const info = b.api.info();
    t.expect('memory pages (initial = maximum)', `${info.memoryPages.initial}=${info.memoryPages.maximum}`, `${info.memoryPages.initial}=${info.memoryPages.maximum ?? 'none'}`);
    const bytes = b.api.heap().byteLength;
    let added = 1;
    for (let i = 1; i < SIZES.ACCOUNTS_MAX; i++) { b.a.addUser(b.admin, { user: `u${i}`, password: 'temporary setup passphrase 1', role: ROLE.viewer }); added++; }
    t.expect(`account ${SIZES.ACCOUNTS_MAX + 1}`, 'ERR_FULL', status(() => b.a.addUser(b.admin, { user: 'one-too-many', password: 'temporary setup passphrase 1', role: ROLE.viewer })));
    t.expect('accounts', String(SIZES.ACCOUNTS_MAX), String(b.a.listUsers(b.admin).length));
    b.a.removeUser(b.admin, 'u1');
    t.expect('after a removal, an account can be added', 'OK', status(() => b.a.addUser(b.admin, { user: 'in-its-place', password: 'temporary setup passphrase 1', role: ROLE.viewer })));
    let open = 1;
    for (; open < SIZES.SESSIONS_MAX; open++) b.a.login({ user: 'admin', password: 'correct horse battery staple', source: 'c', iface: open % SIZES.IFACES_MAX });
    b.take();
    t.expect(`session ${SIZES.SESSIONS_MAX + 1}`, 'ERR_SESSION_LIMIT', status(() => b.a.login({ user: 'admin', password: 'correct horse battery staple', source: 'c', iface: 0 })));
    t.expect('recorded', 'SESSION_LIMIT', types(b.take().filter((e) => e.type === 'SESSION_LIMIT')));
    t.expect('linear memory', String(bytes), String(b.api.heap().byteLength));
    return outcome(t.ok, `${SIZES.ACCOUNTS_MAX} accounts and ${SIZES.SESSIONS_MAX} sessions at most, a status beyond; memory fixed at ${bytes} bytes`, t.describe(),
      { accounts: added, sessions: open, memoryBytes: bytes });
  },
};

/** A minimal module that imports env.system (not on the host's list). */
function moduleImporting(module: string, name: string): Uint8Array {
  const str = (s: string) => [s.length, ...Buffer.from(s)];
  const type = [0x01, 0x04, 0x01, 0x60, 0x00, 0x00];
  const body = [...str(module), ...str(name), 0x00, 0x00];
  const imp = [0x02, body.length + 1, 0x01, ...body];
  return new Uint8Array([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, ...type, ...imp]);
}

const leastImports: Check = {
  id: 'least.imports',
  title: 'The module imports only allowed WASI functions, and the host refuses a module that imports anything else',
  requirements: ['CR 7.7'],
  kind: 'capability',
  part: 'core',
  remedy: 'remove imports outside ALLOWED_IMPORTS from the build',
  async run(ctx) {
    const allowed = new Set<string>(ALLOWED_IMPORTS);
    const extra = ctx.module.imports.filter((i) => !allowed.has(i));
    ctx.log(`module imports: ${ctx.module.imports.length ? ctx.module.imports.join(', ') : 'none'}`);
    let refused = false;
    const bad = moduleImporting('env', 'system');
    ctx.input('imports-env-system.wasm', bad);
    try {
      await ctx.instantiate(bad);
    } catch (e) {
      refused = /imports that this host does not provide/.test((e as Error).message);
      ctx.log(`host on a module importing env.system: ${(e as Error).message}`);
    }
    return outcome(extra.length === 0 && refused, `${ctx.module.imports.length} imports, all allowed; a module importing env.system is refused`,
      extra.length ? `imports outside the allow-list: ${extra.join(', ')}` : 'the host loaded a module importing env.system',
      { imports: ctx.module.imports.length, disallowed: extra.length, foreignRefused: refused });
  },
};

const inventory: Check = {
  id: 'inventory.identity',
  title: 'The module reports its ABI version, capabilities and exports, and the host its SHA-256, as an inventory entry',
  requirements: ['CR 7.8'],
  kind: 'capability',
  part: 'core',
  remedy: 'export iacsec_abi_version and iacsec_caps, and keep bindings/abi.ts in step with the build',
  async run(ctx) {
    const api = await ctx.load();
    const info = api.info();
    const known = Object.keys(EXPORTS).filter((n) => info.exports.includes(n)).length;
    ctx.log(`abi ${info.abiVersion}, caps 0x${info.caps.toString(16)} (${info.capabilities.join(' ')}), ${info.exports.length} exports (${known} described in bindings/abi.ts), sha256 ${info.sha256}`);
    const ok = info.abiVersion >= 1 && info.caps !== 0 && /^[0-9a-f]{64}$/.test(info.sha256) && info.sha256 === ctx.module.sha256;
    return outcome(ok, `ABI ${info.abiVersion}, ${info.capabilities.length} capabilities, ${info.exports.length} exports`, 'the module does not identify itself',
      { abiVersion: info.abiVersion, capabilities: info.capabilities.length, exports: info.exports.length });
  },
};

const rateLimit: Check = {
  id: 'profile.rate-limit',
  title: 'The deployment limits the request rate (and burst) of each client',
  requirements: ['CR 7.1'],
  kind: 'profile',
  remedy: 'set rateLimit.enabled to true with requestsPerSecond and burst of 1 or more',
  async run(ctx) {
    const r = ctx.profile.rateLimit;
    if (!(r?.enabled === true && (r.requestsPerSecond ?? 0) >= 1 && (r.burst ?? 0) >= 1)) return outcome(false, '', 'rate limiting off');
    const b = await deployed(ctx);
    if (isOutcome(b)) return b;
    const t = new Tally(ctx);
    const rate = r.requestsPerSecond!, burst = r.burst!;
    t.expect('limits applied', 'OK', status(() => b.rl.configure(b.admin, { sourceRate: rate, sourceBurst: burst, globalRate: 0, globalBurst: 0 })));
    let admitted = 0;
    for (let i = 0; i <= burst; i++) if (b.rl.check('192.0.2.9')) admitted++;
    t.expect(`${burst + 1} requests at once`, String(burst), String(admitted));
    b.tick(Math.ceil(1000 / rate));
    t.expect(`one more after 1/${rate} s`, 'true', String(b.rl.check('192.0.2.9')));
    return outcome(t.ok, `${rate}/s, burst ${burst}, enforced by the module so configured`, t.describe());
  },
};

const outbound: Check = {
  id: 'profile.rate-limit-outbound',
  title: 'The deployment limits the load the component sends',
  requirements: ['CR 7.1 RE1'],
  kind: 'profile',
  remedy: 'set rateLimit.enabled to true and rateLimit.outboundPerSecond to 1 or more',
  run: (ctx) => {
    const r = ctx.profile.rateLimit;
    return outcome(r?.enabled === true && (r.outboundPerSecond ?? 0) >= 1, `${r?.outboundPerSecond}/s outbound`, 'no outbound limit (or rate limiting off)');
  },
};

/** A fresh module holding this device's sealing key and device secret (the same device after a replacement). */
async function device(ctx: CheckContext, seal: Uint8Array, secret: Uint8Array): Promise<Firmware> {
  const fw = firmware(await ctx.load());
  fw.setSealKey(seal);
  fw.setDeviceSecret(secret);
  return fw;
}

async function restoreStatus(fw: Firmware, backup: Uint8Array): Promise<string> {
  try { await fw.restore(backup); return 'OK'; } catch (e) { if (e instanceof FirmwareError) return e.status; throw e; }
}

const backupRestore: Check = {
  id: 'state.backup-restore',
  title: 'A backup signed by the device key restores anchors and counters into a replacement module, and a restore never lowers a counter',
  requirements: ['CR 7.3', 'CR 7.4'],
  kind: 'capability',
  part: 'state',
  remedy: 'back up the sealed state signed by the device key; restore all of it, keeping the higher of the live and backed-up counters',
  async run(ctx) {
    const sup = ctx.key('supplier');
    const seal = ctx.rng.bytes(32);
    const secret = ctx.rng.bytes(32);
    const { fw } = await provisioned(ctx, [sup]);
    fw.setSealKey(seal);
    fw.setDeviceSecret(secret);
    const t = new Tally(ctx);
    const image = ctx.rng.bytes(1024);
    t.expect('install counter 5', 'OK', await attempt(fw, await manifestFor(sup, image, { counter: 5 }), image));
    const backup = await fw.backup();
    ctx.input('backup.bin', backup);
    ctx.log(`backup: ${backup.byteLength} bytes`);
    const replacement = await device(ctx, seal, secret);
    t.expect('restore into a replacement module', 'OK', await restoreStatus(replacement, backup));
    t.expect('restored: provisioning closed', 'false', String(replacement.provisioningOpen()));
    t.expect('restored: anchors', 'supplier', replacement.anchors().map((a) => a.role).join(','));
    t.expect('restored: counter', '5', String(replacement.securityCounter('gateway-fw')));
    // (That an older counter is then refused is fw_begin's anti-rollback, shown by fw.anti-rollback.)
    t.expect('restored module installs counter 7', 'OK', await attempt(replacement, await manifestFor(sup, image, { counter: 7 }), image));
    t.expect('restore the older backup (counter 5) over counter 7', 'OK', await restoreStatus(replacement, backup));
    t.expect('counter after restoring the older backup', '7', String(replacement.securityCounter('gateway-fw')));
    return outcome(t.ok, 'backup restored into a replacement module; no counter lowered by a restore', t.describe(),
      { backupBytes: backup.byteLength, cases: t.cases.length });
  },
};

const backupIntegrity: Check = {
  id: 'state.backup-integrity',
  title: 'A backup changed in any bit, or made by another device, is refused before anything changes',
  requirements: ['CR 7.3 RE1'],
  kind: 'capability',
  part: 'state',
  remedy: 'verify the backup\'s device signature, seal and every field before restoring any of it',
  async run(ctx) {
    const sup = ctx.key('supplier');
    const seal = ctx.rng.bytes(32);
    const secret = ctx.rng.bytes(32);
    const { fw } = await provisioned(ctx, [sup]);
    fw.setSealKey(seal);
    fw.setDeviceSecret(secret);
    const image = ctx.rng.bytes(256);
    await attempt(fw, await manifestFor(sup, image, { counter: 3 }), image);
    const backup = await fw.backup();
    ctx.input('backup.bin', backup);
    const t = new Tally(ctx);
    const positions = [0, 1, backup.byteLength >> 1, backup.byteLength - 64, backup.byteLength - 1];
    for (let i = 0; i < 8; i++) positions.push(ctx.rng.below(backup.byteLength));
    const target = await device(ctx, seal, secret);
    for (const p of positions) {
      const st = await restoreStatus(target, flip(backup, p, 1 << (p % 8)));
      t.expect(`bit flipped at byte ${p}`, 'refused', st === 'OK' ? 'restored' : 'refused');
    }
    t.expect('nothing restored by the refusals: provisioning still open', 'true', String(target.provisioningOpen()));
    const other = await device(ctx, seal, ctx.rng.bytes(32));
    t.expect('backup of another device', 'refused', (await restoreStatus(other, backup)) === 'OK' ? 'restored' : 'refused');
    t.expect('the genuine backup', 'OK', await restoreStatus(await device(ctx, seal, secret), backup));
    return outcome(t.ok, `${positions.length + 1} changed or foreign backups refused, nothing changed; the genuine one restores`, t.describe(),
      { bitFlips: positions.length, refused: t.rejected });
  },
};

export const CHECKS: readonly Check[] = [configStatesDeployment, configMachineReadable, rateLimitModule, flood, fixedTables, backupRestore, backupIntegrity, leastImports, inventory, rateLimit, outbound];
