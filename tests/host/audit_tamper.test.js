// Tamper evidence (CR 3.9): every change to an exported log is found, and the
// verifier names the item that is wrong and how far the log is proven. Every
// byte of a log of 2,000 records is flipped in turn; every record is deleted,
// duplicated and swapped with the next; every checkpoint is deleted; the log
// is cut at every byte.
//
// Speed: the verifier is a state machine over the items in order, so the
// state after a prefix of unchanged bytes equals the state of a full run over
// those bytes. Each change is checked from the saved state at the last item
// boundary before it (the state after the prefix, which the change does not
// touch); a sample of changes is also checked by a full run, with the same
// answer.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { verifyLog, LogVerifier, exportItems } from '../../dist/host/index.js';
import { auditModule, appendMany, SEAL_KEY } from './_audit.js';
import { seeded } from './_helpers.js';

const N = 2000;
const { log, publicKey, sealFirst } = await auditModule({ checkpointEvery: 64 });
appendMany(log, N);
const { bytes } = log.exportAll();
const opts = { publicKey, seal: { key: SEAL_KEY, first: sealFirst } };
const items = [...exportItems(bytes)];

// Saved states at every 16th item boundary.
const STRIDE = 16;
const saved = [];   // [offset, verifier]
{
  const v = new LogVerifier(opts);
  for (let i = 0; i < items.length; i += STRIDE) {
    v.run(bytes, items[i].offset);
    saved.push([items[i].offset, v.clone()]);
  }
}
function verifyFrom(mutated, from) {
  let k = saved.length - 1;
  while (saved[k][0] > from) k--;
  return saved[k][1].clone({ share: true }).run(mutated).finish(mutated);
}
function itemAt(off) {
  let lo = 0, hi = items.length - 1;
  while (lo < hi) { const mid = (lo + hi + 1) >> 1; if (items[mid].offset <= off) lo = mid; else hi = mid - 1; }
  return items[lo];
}
/** Sequence number covered by the last checkpoint that ends at or before byte off. */
function provenBefore(off) {
  let p = 0n;
  for (const it of items) {
    if (it.end > off) break;
    if (it.kind === 'checkpoint') p = BigInt(it.note.split('\n')[1]);
  }
  return p;
}
function seqOfRecord(rec) {
  // field 0 is the first key of the map: 0xa6..0xaa, 0x00, then the sequence number head
  const v = rec[2];
  if (v < 24) return v;
  if (v === 0x18) return rec[3];
  if (v === 0x19) return (rec[3] << 8) | rec[4];
  throw new Error('test log numbers stay below 65536');
}

test('the exported log verifies whole, and is proven through its last record', () => {
  const r = verifyLog(bytes, opts);
  assert.equal(r.ok, true, r.problem?.message);
  assert.ok(r.records >= N, `${r.records} records`);
  assert.equal(r.provenThrough, r.lastSeq);
  assert.ok(r.checkpoints >= N / 64);
  assert.ok(items.filter((i) => i.kind === 'start').length >= 2, 'the export spans several chunks');
});

test('flipping any byte is found, at the item that holds it, with the proof ending before it', () => {
  const m = bytes.slice();
  const rnd = seeded(99);
  let checked = 0;
  for (let x = 0; x < bytes.length; x++) {
    m[x] ^= 0x01;
    const r = verifyFrom(m, x);
    const it = itemAt(x);
    if (r.ok || r.problem.item !== it.item) {
      assert.fail(`flip at byte ${x} (item ${it.item}, ${it.kind}): ${r.ok ? 'not detected' : `named item ${r.problem.item}: ${r.problem.message}`}`);
    }
    assert.equal(r.provenThrough, provenBefore(it.offset), `byte ${x}: proven through`);
    if (rnd.below(400) === 0) {
      const full = verifyLog(m, opts);
      assert.deepEqual(full.problem, r.problem, `byte ${x}: a full run gives the same answer`);
    }
    m[x] ^= 0x01;
    checked++;
  }
  assert.equal(checked, bytes.length);
});

test('cutting the log at any byte is reported as truncated, proven up to the last whole checkpoint', () => {
  for (let p = 0; p < bytes.length; p++) {
    const cut = bytes.subarray(0, p);
    const r = verifyFrom(cut, p);
    assert.equal(r.ok, false, `cut at ${p} passes`);
    assert.equal(r.problem.kind, p === 0 ? 'truncated' : 'truncated', `cut at ${p}: ${r.problem.message}`);
    assert.equal(r.provenThrough, provenBefore(p), `cut at ${p}`);
  }
});

const splice = (parts) => Buffer.concat(parts.map((p) => Buffer.from(p)));

test('deleting any record names it', () => {
  for (const it of items.filter((i) => i.kind === 'record')) {
    const m = splice([bytes.subarray(0, it.offset), bytes.subarray(it.end)]);
    const r = verifyFrom(m, it.offset);
    const seq = BigInt(seqOfRecord(it.record));
    assert.equal(r.ok, false, `deleting record ${seq} passes`);
    assert.equal(r.problem.kind, 'deleted', `record ${seq}: ${r.problem.message}`);
    assert.equal(r.problem.seq, seq, `record ${seq}: ${r.problem.message}`);
  }
});

test('duplicating any record, or swapping it with the next, names it', () => {
  const recs = items.filter((i) => i.kind === 'record');
  for (let k = 0; k < recs.length; k++) {
    const it = recs[k];
    const seq = BigInt(seqOfRecord(it.record));
    const dup = splice([bytes.subarray(0, it.end), bytes.subarray(it.offset, it.end), bytes.subarray(it.end)]);
    const r = verifyFrom(dup, it.end);
    assert.equal(r.ok, false, `duplicate of ${seq} passes`);
    assert.equal(r.problem.kind, 'duplicated', `duplicate of ${seq}: ${r.problem.message}`);
    assert.equal(r.problem.seq, seq);
    const nx = items[it.item + 1];
    if (nx && nx.kind === 'record') {
      const sw = splice([bytes.subarray(0, it.offset), bytes.subarray(nx.offset, nx.end), bytes.subarray(it.offset, it.end), bytes.subarray(nx.end)]);
      const s = verifyFrom(sw, it.offset);
      assert.equal(s.ok, false, `swap of ${seq} passes`);
      assert.equal(s.problem.kind, 'reordered', `swap of ${seq}: ${s.problem.message}`);
      assert.equal(s.problem.item, it.item);
    }
  }
});

test('deleting any checkpoint is found at the next one (or as a truncated tail)', () => {
  const cps = items.filter((i) => i.kind === 'checkpoint');
  for (const [k, it] of cps.entries()) {
    const m = splice([bytes.subarray(0, it.offset), bytes.subarray(it.end)]);
    const r = verifyFrom(m, it.offset);
    assert.equal(r.ok, false, `deleting checkpoint ${k} passes`);
    assert.equal(r.problem.kind, k === cps.length - 1 ? 'truncated' : 'deleted', r.problem.message);
    if (k < cps.length - 1) assert.equal(r.problem.item, cps[k + 1].item - 1, r.problem.message);
  }
});

test('a record inserted from elsewhere in the log is named', () => {
  const recs = items.filter((i) => i.kind === 'record');
  const rnd = seeded(5);
  for (let n = 0; n < 300; n++) {
    const from = recs[rnd.below(recs.length)], at = recs[rnd.below(recs.length)];
    if (Math.abs(from.item - at.item) < 2) continue;
    const m = splice([bytes.subarray(0, at.offset), bytes.subarray(from.offset, from.end), bytes.subarray(at.offset)]);
    const r = verifyFrom(m, at.offset);
    assert.equal(r.ok, false);
    assert.equal(r.problem.item, at.item, r.problem.message);
    assert.ok(['reordered', 'inserted', 'deleted'].includes(r.problem.kind), r.problem.message);
  }
});
