// The host drain (append-only files, size-based rotation, acknowledgement)
// and the audit CLI (verify, show) run as their own processes.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, readFileSync, writeFileSync, statSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AuditDrain, drainFiles, verifyLog, exportItems } from '../../dist/host/index.js';
import { ROOT, toHex } from './_helpers.js';
import { auditModule, appendMany, SEAL_KEY } from './_audit.js';

const CLI = `${ROOT}dist/host/cli.js`;
const TMP = mkdtempSync(join(tmpdir(), 'iacsec-audit-'));
after(() => rmSync(TMP, { recursive: true, force: true }));
const run = (...args) => { const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8' }); return { code: r.status, out: r.stdout, err: r.stderr }; };

const m = await auditModule({ checkpointEvery: 128 });
const dir = join(TMP, 'log');
const exported = [];
let persisted = 0;
const drain = new AuditDrain(m.log, { dir, maxFileBytes: 40_000, keepFiles: 64, onExport: (b) => exported.push(b), persist: async () => { persisted++; } });
for (let round = 0; round < 8; round++) {
  appendMany(m.log, 150 + round * 20, round + 1);
  await drain.drain();
}
const files = await drainFiles(dir);
const pkHex = toHex(m.publicKey);

test('the drain writes complete exports, rotates by size, acknowledges, persists', async () => {
  assert.ok(files.length >= 3, `${files.length} files`);
  for (const f of files) assert.ok(statSync(f).size <= 40_000 + 30_000, `${f} rotated near the size`);
  assert.equal(statSync(files[0]).mode & 0o777, 0o600);
  assert.equal(persisted, 8);
  assert.equal(exported.length, 8);
  const st = m.log.status();
  assert.equal(st.unackedBytes, 0, 'everything acknowledged');
  assert.equal(st.ackSeq, st.nextSeq);
  const again = await drain.drain();
  assert.equal(again.bytes, 0, 'nothing new, nothing written');
  // Every file verifies alone, and all of them in order make one log.
  for (const f of files) assert.equal(verifyLog(readFileSync(f), { publicKey: m.publicKey }).ok, true, f);
  const all = Buffer.concat(files.map((f) => readFileSync(f)));
  const r = verifyLog(all, { publicKey: m.publicKey, seal: { key: SEAL_KEY, first: m.sealFirst } });
  assert.equal(r.ok, true, r.problem?.message);
  assert.equal(r.provenThrough, st.lastSeq);
});

test('iacsec audit verify: VERIFIED with the key, the item named when a byte changes', () => {
  const ok = run('audit', 'verify', ...files, '--pubkey', pkHex);
  assert.equal(ok.code, 0, ok.out + ok.err);
  assert.match(ok.out, /VERIFIED/);
  assert.match(ok.out, /proven through record \d+/);
  const json = JSON.parse(run('audit', 'verify', ...files, '--pubkey', Buffer.from(m.publicKey).toString('base64'), '--json').out);
  assert.equal(json.verified, true);
  const sealed = run('audit', 'verify', ...files, '--pubkey', pkHex, '--seal-key', toHex(SEAL_KEY), '--seal-first', String(m.sealFirst));
  assert.equal(sealed.code, 0, sealed.out);
  const noKey = run('audit', 'verify', files[0]);
  assert.equal(noKey.code, 1);
  assert.match(noKey.out, /NOT checked/);
  const bad = Buffer.from(readFileSync(files[1]));
  const items = [...exportItems(bad)];
  const target = items[7];
  bad[target.offset + 5] ^= 0x10;
  const badFile = join(TMP, 'bad.cbor');
  writeFileSync(badFile, bad);
  const r = run('audit', 'verify', badFile, '--pubkey', pkHex, '--json');
  assert.equal(r.code, 1);
  const j = JSON.parse(r.out);
  assert.equal(j.verified, false);
  assert.equal(j.problem.item, 7);
  const other = run('audit', 'verify', files[0], '--pubkey', '11'.repeat(32));
  assert.equal(other.code, 1);
  assert.match(other.out, /foreign/);
  // A later checkpoint (as a collector keeps it) shows the missing newest file.
  const lastFile = readFileSync(files[files.length - 1]);
  const li = [...exportItems(lastFile)];
  const note = join(TMP, 'latest.note');
  writeFileSync(note, li[li.length - 1].note);
  const cut = run('audit', 'verify', ...files.slice(0, -1), '--pubkey', pkHex, '--checkpoint', note);
  assert.equal(cut.code, 1);
  assert.match(cut.out, /truncated/);
  assert.equal(run('audit', 'verify', ...files, '--pubkey', pkHex, '--checkpoint', note).code, 0);
});

test('iacsec audit show: records read-only, --since, --category, --json', () => {
  const all = run('audit', 'show', ...files, '--json');
  assert.equal(all.code, 0, all.err);
  const recs = all.out.trim().split('\n').map((l) => JSON.parse(l));
  assert.ok(recs.length > 1000);
  const seqs = recs.map((r) => BigInt(r.seq));
  for (let i = 1; i < seqs.length; i++) assert.ok(seqs[i] > seqs[i - 1]);
  const since = run('audit', 'show', ...files, '--json', '--since', String(seqs[500]));
  assert.equal(since.out.trim().split('\n').length, recs.length - 500);
  const cat = run('audit', 'show', ...files, '--json', '--category', 'integrity_event').out.trim().split('\n').map((l) => JSON.parse(l));
  assert.ok(cat.length > 10 && cat.every((r) => r.category === 'integrity_event'));
  const text = run('audit', 'show', files[0]);
  assert.match(text.out, /access_control|integrity_event/);
  assert.equal(run('audit', 'show', files[0], '--category', 'nope').code, 2);
  assert.equal(run('audit', 'show').code, 2);
  assert.equal(run('audit', 'frobnicate').code, 2);
  assert.equal(run('audit', 'show', join(TMP, 'missing')).code, 1);
});

test('records lost between drains are declared, and the drained log still verifies', async () => {
  const n = await auditModule({ checkpointEvery: 256 });
  const d2 = join(TMP, 'lossy');
  const dr = new AuditDrain(n.log, { dir: d2 });
  appendMany(n.log, 100);
  await dr.drain();
  appendMany(n.log, 7000, 3);   // overflows the ring before the next drain
  await dr.drain();
  appendMany(n.log, 100, 4);
  await dr.drain();
  const bytes = readFileSync(join(d2, 'audit.cbor'));
  const r = verifyLog(bytes, { publicKey: n.publicKey });
  assert.equal(r.ok, true, r.problem?.message);
  assert.ok(r.declaredGaps.length >= 1);
  assert.ok(n.log.status().lost > 0n);
});
