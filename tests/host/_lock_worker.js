// The worker of the lock test (state_lock.test.js): takes the lock at
// DIR/c.lock, adds one to the number in DIR/c, and releases it, again and
// again, until "stop" comes on standard input. It checks that it still holds
// the lock before each write (LOST when not) and prints ACK N after the
// write of N.
import { createInterface } from 'node:readline';
import { readFileSync } from 'node:fs';
import { acquireLock, writeFileAtomic } from '../../dist/host/index.js';

const [dir] = process.argv.slice(2);
let stop = false;
createInterface({ input: process.stdin }).on('line', () => { stop = true; }).on('close', () => { stop = true; });
const say = (s) => process.stdout.write(`${s}\n`);
try {
  while (!stop) {
    const lock = await acquireLock(`${dir}/c.lock`, { timeoutMs: 10_000 });
    try {
      const n = Number(readFileSync(`${dir}/c`, 'utf8')) + 1;
      await new Promise((r) => setTimeout(r, Math.random() * 2));
      if (!(await lock.held())) {
        say(`LOST ${n}`);
        continue;
      }
      await writeFileAtomic(`${dir}/c`, new TextEncoder().encode(String(n)));
      say(`ACK ${n}`);
    } finally {
      await lock.release();
    }
  }
} catch (e) {
  say(`ERROR ${e instanceof Error ? e.message : String(e)}`);
  process.exitCode = 4;
}
