// The rate limiter against the GCRA reference: redis-cell's published test
// table (tests/vectors/redis-cell/gcra_cases.json, limit 5, 1 per second),
// through the host API. redis-cell's limit is its max_burst + 1, which is
// this module's burst; its remaining, reset-after and retry-after figures
// are read here from the module's behaviour alone:
// - limited: the answer of check();
// - remaining: how many more requests are admitted at the same instant;
// - reset after: the time until the source is back to full (a whole burst
//   admitted then, one request fewer a millisecond before);
// - retry after: status().retryAfterMs of a limited source.
// The module takes one request per call, so a case of volume n is n calls;
// a case whose volume does not fit (0 and 14, refused whole by redis-cell,
// changing nothing) is checked as "remaining is below the volume" and left
// out of the sequence.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { loadModule, ratelimit } from '../../dist/host/index.js';
import { ROOT } from './_helpers.js';

const TABLE = JSON.parse(readFileSync(`${ROOT}tests/vectors/redis-cell/gcra_cases.json`, 'utf8'));
const START = Date.UTC(2026, 11, 3, 9, 0, 0);
const LIMIT = TABLE.quota.limit;

const api = await loadModule();
const clock = { now: START };
const rl = ratelimit(api, { clock: () => clock.now });
rl.configure('', { sourceRate: TABLE.quota.ratePerSecond, sourceBurst: LIMIT, globalRate: 0, globalBurst: 0 });

const fits = (c) => c.volume <= LIMIT && !(c.limited && c.volume > 1);
let replays = 0;

/** A fresh source taken through the table's cases 1..k (those that fit); returns its name and the answers of case k. */
function replay(k) {
  const source = `redis-cell-${replays++}`;
  let answers = [];
  for (const c of TABLE.cases.filter((x) => x.n <= k && fits(x))) {
    clock.now = START + c.atMs;
    answers = Array.from({ length: c.volume }, () => rl.check(source));
  }
  return { source, answers };
}

/** Requests admitted at the current instant until the first refusal (at most LIMIT + 1 tried). */
function admittedNow(source) {
  let n = 0;
  while (n <= LIMIT && rl.check(source)) n++;
  return n;
}

for (const c of TABLE.cases) {
  test(`redis-cell case ${c.n}: at ${c.atMs} ms, volume ${c.volume}: ${c.limited ? 'limited' : 'allowed'}, remaining ${c.remaining}, reset after ${c.resetAfterMs} ms`, () => {
    if (!fits(c)) {
      // Refused whole by the reference: fewer than `volume` requests fit at that instant.
      const { source } = replay(c.n - 1);
      clock.now = START + c.atMs;
      assert.equal(c.limited, true);
      assert.ok(admittedNow(source) < c.volume, `fewer than ${c.volume} requests fit`);
      return;
    }
    const { answers } = replay(c.n);
    if (c.volume > 0) {
      assert.deepEqual(answers, Array(c.volume).fill(!c.limited), 'limited');
    }
    // remaining: further requests at the same instant.
    const r = replay(c.n);
    assert.equal(admittedNow(r.source), c.remaining, 'remaining');
    // retry after: what status() reports for a limited source.
    const q = replay(c.n);
    const st = rl.status(q.source);
    if (c.limited) {
      assert.equal(st.penalized, true);
      assert.equal(st.retryAfterMs, c.retryAfterMs, 'retry after');
    } else if (c.remaining > 0) {
      assert.equal(st.penalized, false);
    }
    // reset after: a whole burst admitted at that time, one request fewer a millisecond before.
    const full = replay(c.n);
    clock.now = START + c.atMs + c.resetAfterMs;
    assert.equal(admittedNow(full.source), LIMIT, 'back to full after reset-after');
    if (c.resetAfterMs > 0) {
      const early = replay(c.n);
      clock.now = START + c.atMs + c.resetAfterMs - 1;
      assert.equal(admittedNow(early.source), LIMIT - 1, 'not yet full 1 ms before');
    }
  });
}

test('the table was applied in full: every case of the reference is above', () => {
  assert.equal(TABLE.cases.length, 15);
  assert.deepEqual(TABLE.cases.map((c) => c.n), Array.from({ length: 15 }, (_, i) => i));
});
