// Interleaved measurement. Every contender of a case runs in turn, round
// after round, with the order rotated each round, so that machine noise falls
// on all of them alike. Each batch times every call on its own (p50 and p99
// per call) and counts calls per second; a case's figures are medians over
// its rounds, and each ratio is taken inside one round, between batches that
// ran back to back, then the median of those per-round ratios is reported.
//
// A batch's speed, for ratios, is 1 / p50 when a call takes 20 us or more
// (the median call is not moved by the preemptions a shared machine
// inflicts, and the timer's own cost is then below 0.5%), and calls per
// second for faster calls (where the timer's cost would weigh on p50).

import { performance } from 'node:perf_hooks';

const now = () => performance.now();
const SAMPLE_CAP = 1 << 20;
const samples = new Float64Array(SAMPLE_CAP);

export const median = (xs) => {
  if (!xs.length) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

/** Nearest-rank percentile of the first n entries of a Float64Array (sorted in place). */
function percentile(arr, n, p) {
  const s = arr.subarray(0, n).sort();
  return s[Math.min(n - 1, Math.max(0, Math.ceil(p * n) - 1))];
}

/**
 * Runs fn until at least ms milliseconds have passed (and at least minCalls
 * calls), timing each call. Returns { calls, seconds, p50us, p99us }.
 */
async function timeBatch(fn, ms, isAsync, minCalls = 1) {
  let calls = 0;
  const start = now();
  let t = start;
  while (t - start < ms || calls < minCalls) {
    const a = now();
    if (isAsync) await fn(); else fn();
    t = now();
    if (calls < SAMPLE_CAP) samples[calls] = t - a;
    calls++;
  }
  const n = Math.min(calls, SAMPLE_CAP);
  return { calls, seconds: (t - start) / 1e3, p50us: percentile(samples, n, 0.5) * 1e3, p99us: percentile(samples, n, 0.99) * 1e3 };
}

/** A batch's speed for ratios (see the top of this file). */
const speed = (b) => (b.p50us >= 20 ? 1e6 / b.p50us : b.calls / b.seconds);

/**
 * Measures one case. contenders: [{ name, fn, async? } | { name, batch(ms) }]:
 * a `batch` contender runs outside this process (the native harness) and
 * returns { calls, seconds, p50us, p99us } itself. Options: rounds, batchMs,
 * warmupMs (0 = one call), reference (name the ratios are taken against).
 * Returns [{ name, opsPerSec, usPerOp, p50us, p99us, calls, ratio }].
 */
export async function measure(contenders, { rounds = 7, batchMs = 150, warmupMs = 200, reference } = {}) {
  const run = (c, ms) => (c.batch ? c.batch(ms) : timeBatch(c.fn, ms, c.async));
  for (const c of contenders) await run(c, warmupMs);
  const perRound = [];
  for (let r = 0; r < rounds; r++) {
    const round = new Map();
    // Rotate the order each round so no contender always runs first.
    for (let i = 0; i < contenders.length; i++) {
      const c = contenders[(i + r) % contenders.length];
      round.set(c.name, await run(c, batchMs));
    }
    perRound.push(round);
  }
  const ref = reference ?? contenders[0].name;
  return contenders.map((c) => {
    const batches = perRound.map((round) => round.get(c.name));
    const rates = batches.map((b) => b.calls / b.seconds);
    const ratios = perRound.map((round) => speed(round.get(c.name)) / speed(round.get(ref)));
    const opsPerSec = median(rates);
    return {
      name: c.name,
      opsPerSec,
      usPerOp: 1e6 / opsPerSec,
      p50us: median(batches.map((b) => b.p50us)),
      p99us: median(batches.map((b) => b.p99us)),
      calls: batches.reduce((s, b) => s + b.calls, 0),
      ratio: median(ratios),
      ratios,
    };
  });
}

/** Ratio of contender a to contender b, both measured in the same rounds (median of per-round ratios). */
export function ratioOf(results, a, b) {
  const x = results.find((r) => r.name === a), y = results.find((r) => r.name === b);
  if (!x || !y) return undefined;
  return median(x.ratios.map((v, i) => v / y.ratios[i]));
}

export function fmtTime(us) {
  if (!Number.isFinite(us)) return '-';
  if (us >= 1e6) return `${(us / 1e6).toFixed(2)} s`;
  if (us >= 1000) return `${(us / 1000).toFixed(2)} ms`;
  return `${us.toFixed(2)} us`;
}
