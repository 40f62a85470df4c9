// Crash safety of the sealed state (CR 3.4, CR 7.4, CR 1.11): a worker
// process changes the state in a loop (installs, rollbacks refused,
// set-counter statements, failed logins and unlocks, owner anchors added and
// revoked) and is killed with SIGKILL at a random moment, again and again.
// Workers are started ahead and wait for "go", so a kill costs little more
// than the work it interrupts.
//
// After each kill the next worker loads the state. It must load; what it
// loads must be exactly the state after every change the killed worker
// acknowledged, or after those and the one change it was making when killed
// (told apart by the generation: never older, never anything else); the
// counter never goes back; a lock the killed worker left is whole and names
// it, so the next process breaks it at once; and a kill leaves no file
// behind that the next writer does not clean up.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, readdirSync, existsSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { seeded } from './_helpers.js';
import { cli, provisionDir, openDir, setUpAccounts, applyChange, ADMIN_PW } from './_state_device.js';

const KILLS = 320;
const LOCK_THRESHOLD = 5;
const POOL = 3; // workers started ahead, each waiting for "go"
const MAX_DELAY_MS = 60; // a kill comes 0..60 ms after the worker loaded the state
const WORKER = fileURLToPath(new URL('./_state_crash_worker.js', import.meta.url));

const TMP = mkdtempSync(join(tmpdir(), 'iacsec-crash-'));
const live = new Set();
after(() => {
  for (const c of live) c.kill('SIGKILL');
  rmSync(TMP, { recursive: true, force: true });
});

/** Starts a worker; resolves once it is READY. Its output lines are collected as they come. */
function startWorker(dir, seed) {
  const child = spawn(process.execPath, [WORKER, dir, join(TMP, 'sup.key'), String(seed), String(LOCK_THRESHOLD)], { stdio: ['pipe', 'pipe', 'pipe'] });
  live.add(child);
  const w = { child, lines: [], err: '', waiters: [], closed: null };
  let buf = '';
  child.stdout.on('data', (d) => {
    buf += d;
    let i;
    while ((i = buf.indexOf('\n')) >= 0) {
      const line = buf.slice(0, i);
      buf = buf.slice(i + 1);
      const sp = line.indexOf(' ');
      w.lines.push({ tag: line.slice(0, sp), body: JSON.parse(line.slice(sp + 1)) });
      for (const f of w.waiters.splice(0)) f();
    }
  });
  child.stderr.on('data', (d) => { w.err += d; });
  w.closed = new Promise((resolve) => child.on('close', (code, signal) => { live.delete(child); for (const f of w.waiters.splice(0)) f(); resolve({ code, signal }); }));
  w.exited = false;
  w.closed.then(() => { w.exited = true; });
  /** Resolves with the first line tagged one of `tags`, or undefined once the worker has ended. */
  w.next = (tags) => new Promise((resolve) => {
    const look = () => {
      const l = w.lines.find((x) => tags.includes(x.tag));
      if (l || w.exited) resolve(l);
      else w.waiters.push(look);
    };
    look();
  });
  w.ready = w.next(['READY', 'ERROR']);
  return w;
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const leftovers = (dir) => readdirSync(dir).filter((f) => !/^(state\.bin|state\.bin\.hwm|seal\.key|device\.key|audit\.cbor|audit\.cbor\.torn)$/.test(f));

test(`crash safety: ${KILLS} SIGKILLs at random moments; every acknowledged change survives, the counter never goes back`, { timeout: 600_000 }, async (t) => {
  cli('keygen', '--alg', 'ed25519', '-o', join(TMP, 'sup'));
  const dir = join(TMP, 'dev');
  provisionDir(dir, join(TMP, 'sup.cose_key'));
  await setUpAccounts(dir, { lockThreshold: LOCK_THRESHOLD });
  const rnd = seeded(0x5eed);

  // The model: the state as the acknowledged changes make it.
  let model = { counter: 0n, owners: {}, failures: 0, locked: false };
  let lastGeneration = (await openDir(dir)).fw.generation();
  let inflight; // the change the killed worker had begun and not acknowledged
  const counts = { kills: 0, acks: 0, loads: 0, refusals: 0, inflightApplied: 0, inflightLost: 0, killedWithLock: 0, killedWithTemporary: 0 };
  const acksBy = {};
  let maxOpenMs = 0;
  let maxCounter = 0n;

  /** Checks a loaded state against the model; returns the model it proves. */
  const check = (what, loaded) => {
    const g = BigInt(loaded.loadedGeneration);
    let expect;
    if (g === lastGeneration) {
      expect = model;
      if (inflight) counts.inflightLost++;
    } else if (inflight && g === lastGeneration + 1n) {
      expect = structuredClone(model);
      applyChange(expect, inflight, LOCK_THRESHOLD);
      counts.inflightApplied++;
    } else {
      assert.fail(`${what}: loaded generation ${g}, but the last acknowledged save was ${lastGeneration}${inflight ? ` with ${JSON.stringify(inflight)} in flight` : ''}: ${g < lastGeneration ? 'an older state (acknowledged changes lost)' : 'changes nobody made'}`);
    }
    const got = { counter: BigInt(loaded.counter), owners: loaded.owners, failures: loaded.failures, locked: loaded.locked };
    assert.deepEqual(got, expect, `${what}: the loaded state (generation ${g}) differs from the acknowledged one${inflight ? ` (in flight: ${JSON.stringify(inflight)})` : ''}`);
    assert.ok(got.counter >= maxCounter, `${what}: counter went back from ${maxCounter} to ${got.counter}`);
    maxCounter = got.counter;
    return structuredClone(expect);
  };

  const pool = Array.from({ length: POOL }, () => startWorker(dir, rnd.next()));
  const t0 = Date.now();
  for (let k = 0; k < KILLS; k++) {
    const w = pool.shift();
    pool.push(startWorker(dir, rnd.next())); // starts while this one works
    const ready = await w.ready;
    assert.equal(ready?.tag, 'READY', `worker ${k} did not start: ${w.err}`);
    w.child.stdin.write('go\n');
    const loaded = await w.next(['STATE', 'REFUSED', 'ERROR']);
    assert.ok(loaded, `worker ${k} ended before loading: ${w.err}`);
    if (loaded.tag === 'REFUSED') {
      counts.refusals++;
      assert.fail(`after kill ${k}: the state was refused (fail-secure ${loaded.body.failSecure}): ${loaded.body.message}; a kill must never damage the state`);
    }
    assert.equal(loaded.tag, 'STATE', `worker ${k}: ${JSON.stringify(loaded.body)} ${w.err}`);
    counts.loads++;
    maxOpenMs = Math.max(maxOpenMs, loaded.body.openMs);
    model = check(`after kill ${k}`, loaded.body);
    lastGeneration = BigInt(loaded.body.generation);
    inflight = undefined;

    await sleep(rnd.below(MAX_DELAY_MS + 1));
    w.child.kill('SIGKILL');
    const end = await w.closed;
    assert.equal(end.signal, 'SIGKILL', `worker ${k} ended by itself (exit ${end.code}): ${JSON.stringify(w.lines.at(-1))} ${w.err}`);
    counts.kills++;
    if (existsSync(join(dir, 'state.bin.lock'))) {
      // The lock it left is whole and names it, so the next process sees at once that its owner is gone.
      const text = readFileSync(join(dir, 'state.bin.lock'), 'utf8');
      let owner;
      try { owner = JSON.parse(text); } catch { /* checked below */ }
      assert.equal(owner?.pid, w.child.pid, `kill ${k} left a lock file that does not name the killed worker: ${JSON.stringify(text)}`);
      counts.killedWithLock++;
    }
    if (leftovers(dir).some((f) => f.includes('.tmp-'))) counts.killedWithTemporary++;

    // What the worker acknowledged before it died, and what it was doing.
    for (const { tag, body } of w.lines) {
      if (tag === 'ERROR') assert.fail(`worker ${k}: ${body.message}`);
      if (tag === 'BEGIN') inflight = body;
      if (tag === 'ACK') {
        const { generation, ...change } = body;
        assert.equal(BigInt(generation), lastGeneration + 1n, `worker ${k}: ${change.op} saved generation ${generation} after ${lastGeneration}`);
        applyChange(model, change, LOCK_THRESHOLD);
        lastGeneration = BigInt(generation);
        inflight = undefined;
        counts.acks++;
        acksBy[change.op] = (acksBy[change.op] ?? 0) + 1;
      }
    }
  }
  for (const w of pool) w.child.kill('SIGKILL');
  await Promise.all(pool.map((w) => w.closed));
  const seconds = (Date.now() - t0) / 1000;

  // A last, independent load in this process, and the CLI's own view.
  const { fw, auth } = await openDir(dir);
  counts.loads++;
  const olga = await auth.transaction((x) => {
    const s = x.login({ user: 'admin', password: ADMIN_PW, source: 'check', iface: 0 }).session;
    try { return x.userInfo(s, 'olga'); } finally { x.logout(s); }
  });
  const owners = Object.fromEntries(fw.anchors().filter((x) => x.role === 'owner').map((x) => [x.kidHex, x.revoked ? 'revoked' : 'active']));
  // fw.generation() here is after the check's own login; the state was loaded at the generation before it.
  check('final load', { loadedGeneration: fw.generation() - 1n, counter: fw.securityCounter('firmware'), owners, failures: olga.failures, locked: olga.lockedUntil !== null });
  assert.equal(cli('counter', '--state', dir, '--component', 'firmware').trim(), `firmware ${maxCounter}`);
  assert.deepEqual(leftovers(dir), [], 'no lock or temporary file left once a writer has run');
  // The audit log that every worker drained at each save still verifies after all the kills.
  const verified = cli('audit', 'verify', '--state', dir);
  assert.match(verified, /VERIFIED/);
  const audited = cli('audit', 'show', '--state', dir, '--json').trim().split('\n').map((l) => JSON.parse(l));
  assert.equal(new Set(audited.map((r) => r.seq)).size, audited.length, 'no audit sequence number twice');
  const tornBytes = existsSync(join(dir, 'audit.cbor.torn')) ? readFileSync(join(dir, 'audit.cbor.torn')).length : 0;
  t.diagnostic(`audit log: ${audited.length} records, ${audited.filter((r) => r.typeName === 'AUDIT_RESTARTED').length} restarts; torn bytes moved aside ${tornBytes}`);

  t.diagnostic(`kills ${counts.kills}, acknowledged changes ${counts.acks} (${Object.entries(acksBy).map(([k, v]) => `${k} ${v}`).join(', ')}), loads ${counts.loads}, refusals ${counts.refusals}`);
  t.diagnostic(`change in flight at the kill: saved ${counts.inflightApplied}, not saved ${counts.inflightLost}; kills that left the lock file ${counts.killedWithLock}, a temporary file ${counts.killedWithTemporary}; slowest open after a kill ${maxOpenMs.toFixed(0)} ms; final counter ${maxCounter}, generation ${fw.generation()}; ${seconds.toFixed(1)} s`);
  assert.equal(counts.kills, KILLS);
  assert.ok(counts.acks >= KILLS / 10, `the workers got work done between kills (${counts.acks} acknowledged)`);
  assert.ok(counts.inflightApplied > 0 && counts.inflightLost > 0, 'kills came both before and after the save of a change in flight');
});
