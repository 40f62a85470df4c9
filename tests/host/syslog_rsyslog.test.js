// Forwarding to a real collector: a private rsyslogd (imtcp on 127.0.0.1, a
// free port; omfile with the raw message) receives thousands of records; it
// is stopped and started again in the middle; every sequence number arrives
// (duplicates allowed), the fields parse back, and the log re-verifies from
// what the collector wrote. Skips with a notice where rsyslogd is missing
// (Debian: apt-get install rsyslog; .ci/run installs it).
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { createServer, connect } from 'node:net';
import { mkdtempSync, rmSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AuditDrain, SyslogForwarder, parseMessage, rebuildExport, verifyLog, exportItems, decodeRecord } from '../../dist/host/index.js';
import { auditModule, appendMany } from './_audit.js';

const which = spawnSync('sh', ['-c', 'command -v rsyslogd || ls /usr/sbin/rsyslogd'], { encoding: 'utf8' });
const RSYSLOGD = which.status === 0 ? which.stdout.trim().split('\n')[0] : undefined;
const SKIP = RSYSLOGD ? false : 'rsyslogd not found: install the Debian package rsyslog (apt-get install rsyslog) to run this test';
if (SKIP) console.log(`# SKIP syslog_rsyslog: ${SKIP}`);

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function freePort() {
  return new Promise((resolve) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => { const { port } = s.address(); s.close(() => resolve(port)); });
  });
}

async function accepting(port, timeoutMs) {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    const ok = await new Promise((r) => {
      const c = connect(port, '127.0.0.1', () => { c.destroy(); r(true); });
      c.on('error', () => r(false));
    });
    if (ok) return true;
    await sleep(50);
  }
  return false;
}

function collector(dir, port) {
  const conf = join(dir, 'rsyslog.conf');
  writeFileSync(conf, `global(workDirectory="${dir}" parser.escapeControlCharactersOnReceive="off" maxMessageSize="64k")
module(load="imtcp")
template(name="raw" type="string" string="%rawmsg%\\n")
ruleset(name="audit") { action(type="omfile" file="${dir}/received.log" template="raw") }
input(type="imtcp" address="127.0.0.1" port="${port}" ruleset="audit")
`);
  let proc;
  return {
    async start() {
      proc = spawn(RSYSLOGD, ['-n', '-f', conf, '-i', join(dir, 'rsyslogd.pid')], { stdio: ['ignore', 'pipe', 'pipe'] });
      proc.stderr.on('data', () => {});
      proc.stdout.on('data', () => {});
      assert.ok(await accepting(port, 10_000), 'rsyslogd listens');
    },
    async stop() {
      if (!proc || proc.exitCode !== null) return;
      const exited = new Promise((r) => proc.once('exit', r));
      proc.kill('SIGTERM');
      await Promise.race([exited, sleep(10_000)]);
      if (proc.exitCode === null) proc.kill('SIGKILL');
    },
  };
}

test('a real rsyslogd receives every record across a restart, and the log re-verifies from its file', { skip: SKIP, timeout: 120_000 }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'iacsec-rsyslog-'));
  after(() => rmSync(dir, { recursive: true, force: true }));
  const port = await freePort();
  const rs = collector(dir, port);
  await rs.start();
  after(() => rs.stop());

  const { log, publicKey } = await auditModule({ checkpointEvery: 128 });
  const errors = [];
  const fwd = new SyslogForwarder({ host: '127.0.0.1', port, hostname: 'gw-test', backoffMs: [50, 500], cursorPath: join(dir, 'cursor.json'), onError: (e) => errors.push(e) }).start();
  after(() => fwd.close());
  const drain = new AuditDrain(log, { dir: join(dir, 'local'), onExport: (b) => fwd.enqueue(b) });

  const BATCHES = 20, PER = 200;
  for (let b = 0; b < BATCHES; b++) {
    appendMany(log, PER, b + 1);
    await drain.drain();
    if (b === 8) await rs.stop();           // the collector goes away mid-run...
    if (b === 12) await rs.start();         // ...and comes back
    await sleep(20);
  }
  assert.ok(await fwd.idle(30_000), 'the forwarder emptied its queue');
  assert.ok(fwd.connections >= 2, 'it reconnected');

  const local = readFileSync(join(dir, 'local', 'audit.cbor'));
  const want = new Set([...exportItems(local)].filter((i) => i.kind === 'record').map((i) => decodeRecord(i.record).seq));
  assert.ok(want.size >= BATCHES * PER);

  // Wait until rsyslogd has written every record (bounded).
  let lines = [];
  let got = new Set();
  const end = Date.now() + 30_000;
  while (Date.now() < end) {
    lines = existsSync(join(dir, 'received.log')) ? readFileSync(join(dir, 'received.log'), 'utf8').split('\n').filter(Boolean) : [];
    got = new Set();
    for (const l of lines) { const m = parseMessage(l); if ((m.params.item ?? 'record') === 'record') got.add(BigInt(m.params.seq)); }
    if ([...want].every((s) => got.has(s))) break;
    await sleep(200);
  }
  const missing = [...want].filter((s) => !got.has(s));
  assert.deepEqual(missing.slice(0, 10), [], `${missing.length} records never arrived`);

  // The fields parse back and match the local log.
  const msgs = lines.map((l) => parseMessage(l));
  const rec = msgs.find((m) => m.params.seq && !m.params.item);
  assert.equal(rec.hostname, 'gw-test');
  assert.equal(rec.appName, 'iacsec');
  assert.ok(rec.pri >> 3 === 13, 'facility log audit');
  const decoded = decodeRecord(Buffer.from(rec.params.cbor, 'base64'));
  assert.equal(decoded.seq, BigInt(rec.params.seq));
  assert.equal(decoded.outcome, rec.params.outcome);
  assert.equal(rec.msgId, decoded.category);
  assert.ok(msgs.some((m) => m.params.item === 'checkpoint'), 'checkpoints forwarded');
  assert.ok(lines.length >= want.size, `${lines.length} messages (duplicates allowed)`);

  // The log rebuilt from what the collector wrote verifies, proven through the last record.
  const rebuilt = rebuildExport(msgs);
  const r = verifyLog(rebuilt, { publicKey });
  assert.equal(r.ok, true, r.problem?.message);
  assert.equal(r.provenThrough, log.status().lastSeq);
  assert.equal(r.records, want.size);
});
