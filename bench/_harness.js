// Interleaved measurement: every contender of a case runs in turn, round
// after round, so that machine noise falls on all of them alike. Results are
// medians over rounds; ratios compare contenders measured in the same run.

const now = () => process.hrtime.bigint();

/** Runs fn until at least ms milliseconds have passed; returns operations per second. */
async function timeBatch(fn, ms, isAsync) {
  let ops = 0;
  const start = now();
  const limit = BigInt(Math.round(ms * 1e6));
  let elapsed = 0n;
  while (elapsed < limit) {
    if (isAsync) await fn(); else fn();
    ops++;
    elapsed = now() - start;
  }
  return ops / (Number(elapsed) / 1e9);
}

const median = (xs) => { const s = [...xs].sort((a, b) => a - b); return s[Math.floor(s.length / 2)]; };

/**
 * contenders: [{ name, fn, async? }]. Returns [{ name, opsPerSec, usPerOp }].
 * Each contender is checked once (fn must not throw) and warmed up before timing.
 */
export async function measure(contenders, { rounds = 7, batchMs = 150, warmupMs = 200 } = {}) {
  for (const c of contenders) await timeBatch(c.fn, warmupMs, c.async);
  const samples = new Map(contenders.map((c) => [c.name, []]));
  for (let r = 0; r < rounds; r++) {
    // Rotate the order each round so no contender always runs first.
    for (let i = 0; i < contenders.length; i++) {
      const c = contenders[(i + r) % contenders.length];
      samples.get(c.name).push(await timeBatch(c.fn, batchMs, c.async));
    }
  }
  return contenders.map((c) => {
    const opsPerSec = median(samples.get(c.name));
    return { name: c.name, opsPerSec, usPerOp: 1e6 / opsPerSec };
  });
}

/** Prints one case as a table: ops/s, time per op, MB/s (if bytes), ratio to the reference. */
export function report(title, results, { reference, bytes } = {}) {
  const ref = results.find((r) => r.name === reference) ?? results[0];
  console.log(`\n${title}`);
  for (const r of results) {
    const mbs = bytes ? `${((r.opsPerSec * bytes) / 1e6).toFixed(1).padStart(8)} MB/s` : '';
    const ratio = (r.opsPerSec / ref.opsPerSec).toFixed(2);
    console.log(`  ${r.name.padEnd(22)} ${r.opsPerSec.toFixed(1).padStart(12)} ops/s ${fmtTime(r.usPerOp).padStart(11)}/op ${mbs}  ${ratio}x ${ref.name}`);
  }
}

function fmtTime(us) {
  if (us >= 1000) return `${(us / 1000).toFixed(2)} ms`;
  return `${us.toFixed(2)} us`;
}

/** Ratio of a's speed to b's (ops/s over ops/s) in one case's results. */
export function ratio(results, a, b) {
  const x = results.find((r) => r.name === a), y = results.find((r) => r.name === b);
  return x.opsPerSec / y.opsPerSec;
}

/** A goal line: what was reached, against what was asked. */
export function goal(text, reached, atLeast) {
  const ok = reached >= atLeast;
  console.log(`  goal: ${text}: ${reached.toFixed(2)}x (target >= ${atLeast}x) ${ok ? 'MET' : 'NOT MET'}`);
  return { goal: text, reached: Number(reached.toFixed(3)), target: atLeast, met: ok };
}
