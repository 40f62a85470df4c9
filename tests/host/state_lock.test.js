// What a dead writer leaves must not hold up the next one (CR 3.4, CR 7.4):
// a lock from before a power cut whose pid and start time came again, a
// garbage lock whose mtime lies ahead of a clock set back by a restart, a
// lock held by a zombie, and the temporaries a kill leaves beside the state;
// and a stale lock found by many waiters at once is broken without ever
// letting two of them hold the lock.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync, readFileSync, readdirSync, utimesSync, existsSync, linkSync, unlinkSync } from 'node:fs';
import { tmpdir, hostname } from 'node:os';
import { join } from 'node:path';
import { acquireLock, StateLockError } from '../../dist/host/index.js';
import { ROOT } from './_helpers.js';
import { cli, provisionDir, openDir } from './_state_device.js';

const TMP = mkdtempSync(join(tmpdir(), 'iacsec-lock-'));
after(() => rmSync(TMP, { recursive: true, force: true }));
const myStart = () => readFileSync(`/proc/${process.pid}/stat`, 'utf8').split(') ')[1].split(' ')[19];
const hasProc = existsSync(`/proc/${process.pid}/stat`) && existsSync('/proc/sys/kernel/random/boot_id');

/** Takes and releases the lock; fails if it had to wait out the timeout. */
async function takesAtOnce(path) {
  const lock = await acquireLock(path, { timeoutMs: 3000 });
  assert.equal(await lock.held(), true);
  await lock.release();
  assert.equal(existsSync(path), false);
}

test('a lock from before a restart is stale, even when its pid and start time came again', { skip: !hasProc && 'needs /proc (Linux)' }, async () => {
  const path = join(TMP, 'boot.lock');
  // This very process, alive, with its own start time: only the boot id tells that the lock is from another boot.
  writeFileSync(path, JSON.stringify({ pid: process.pid, start: myStart(), host: hostname(), nonce: 'before', since: 'then', boot: '00000000-0000-4000-8000-000000000000' }));
  await takesAtOnce(path);
  // The same record from this boot is a live holder: waited for, then named.
  const boot = readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim();
  writeFileSync(path, JSON.stringify({ pid: process.pid, start: myStart(), host: hostname(), nonce: 'now', since: 'now', boot }));
  await assert.rejects(acquireLock(path, { timeoutMs: 200 }), (e) => e instanceof StateLockError && /locked by process/.test(e.message));
  rmSync(path);
});

test('a garbage lock file dated ahead of the clock is broken, not waited for until the clock catches up', async () => {
  const path = join(TMP, 'future.lock');
  writeFileSync(path, '');
  const ahead = new Date(Date.now() + 86_400_000);
  utimesSync(path, ahead, ahead);
  await takesAtOnce(path);
});

test('a lock held by a zombie (killed, not yet reaped) is stale', { skip: !hasProc && 'needs /proc (Linux)' }, async () => {
  const path = join(TMP, 'zombie.lock');
  const script = `const { acquireLock } = await import(${JSON.stringify(`${ROOT}dist/host/index.js`)});
    await acquireLock(${JSON.stringify(path)});
    process.stdout.write(process.pid + '\\n');
    process.kill(process.pid, 'SIGKILL');`;
  // The shell starts the holder, then becomes a sleep that never reaps it.
  const parent = spawn('sh', ['-c', '"$0" --input-type=module -e "$1" & exec sleep 30', process.execPath, script], { stdio: ['ignore', 'pipe', 'inherit'] });
  try {
    const pid = Number(await new Promise((resolve) => parent.stdout.once('data', (d) => resolve(String(d).trim()))));
    for (let i = 0; i < 200 && readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1][0] !== 'Z'; i++) await new Promise((r) => setTimeout(r, 10));
    assert.equal(readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1][0], 'Z', 'the holder is a zombie');
    assert.equal(JSON.parse(readFileSync(path, 'utf8')).pid, pid, 'its lock is still there');
    await takesAtOnce(path);
  } finally {
    parent.kill('SIGKILL');
  }
});

test('opening the state removes what killed writers left beside it, and nothing of a live process', async () => {
  cli('keygen', '--alg', 'ed25519', '-o', join(TMP, 'sup'));
  const dir = join(TMP, 'dev');
  provisionDir(dir, join(TMP, 'sup.cose_key'));
  const deadPid = Number(execFileSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']));
  const dead = ['state.bin.tmp', 'state.bin.hwm.tmp', 'state.bin.lock.tmp', 'state.bin.lock.stale'].map((k) => `${k}-${deadPid}-0badf00d`);
  const living = [`state.bin.tmp-${process.pid}-0badf00d`, 'state.bin.tmp-notes.txt', 'unrelated.tmp-1-0badf00d'];
  for (const f of [...dead, ...living]) writeFileSync(join(dir, f), 'left over');
  const before = (await openDir(dir)).fw.generation();
  const names = readdirSync(dir);
  for (const f of dead) assert.ok(!names.includes(f), `${f} removed`);
  for (const f of living) assert.ok(names.includes(f), `${f} kept`);
  assert.ok(before > 0n, 'the state loaded');
});

test('a stale lock found by many waiters at once: broken once, and never two holders', async (t) => {
  // Eight processes keep adding one to a number under the lock; meanwhile a lock naming a dead process is put in
  // place whenever the lock is free, so that every waiter finds it stale at the same moment and tries to break it.
  const WORKERS = 8, STALE_LOCKS = 400;
  const dir = mkdtempSync(join(TMP, 'many-'));
  writeFileSync(join(dir, 'c'), '0');
  const deadPid = Number(execFileSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']));
  const acks = new Map();
  const problems = [];
  const workers = Array.from({ length: WORKERS }, () => {
    const c = spawn(process.execPath, [join(ROOT, 'tests/host/_lock_worker.js'), dir], { stdio: ['pipe', 'pipe', 'inherit'] });
    let buf = '';
    c.stdout.on('data', (d) => {
      buf += d;
      let i;
      while ((i = buf.indexOf('\n')) >= 0) {
        const line = buf.slice(0, i);
        buf = buf.slice(i + 1);
        const [tag, n] = line.split(' ');
        if (tag === 'ACK') acks.set(n, (acks.get(n) ?? 0) + 1);
        else problems.push(line);
      }
    });
    return { c, closed: new Promise((r) => c.on('close', (code) => r(code))) };
  });
  try {
    let planted = 0;
    const deadline = Date.now() + 120_000;
    while (planted < STALE_LOCKS && Date.now() < deadline) {
      const stale = join(dir, `stale-${planted}`);
      writeFileSync(stale, JSON.stringify({ pid: deadPid, start: '1', host: hostname(), nonce: `dead-${planted}`, since: 'then' }));
      while (Date.now() < deadline) {
        try { linkSync(stale, join(dir, 'c.lock')); break; } catch { await new Promise((r) => setImmediate(r)); }
      }
      unlinkSync(stale);
      planted++;
      await new Promise((r) => setTimeout(r, Math.random() * 4));
    }
    assert.equal(planted, STALE_LOCKS, 'the lock came free again and again');
  } finally {
    for (const w of workers) w.c.stdin.end('stop\n');
  }
  const codes = await Promise.all(workers.map((w) => w.closed));
  assert.deepEqual(problems, [], 'no worker lost its lock to a breaker, none timed out');
  assert.deepEqual(codes, codes.map(() => 0));
  const twice = [...acks].filter(([, k]) => k > 1).map(([n]) => n);
  assert.deepEqual(twice, [], 'no number was written by two holders at once');
  assert.equal(Number(readFileSync(join(dir, 'c'), 'utf8')), acks.size, 'every acknowledged increment is in the file, and nothing else');
  t.diagnostic(`${STALE_LOCKS} stale locks broken by ${WORKERS} waiting processes; ${acks.size} increments under the lock`);
});
