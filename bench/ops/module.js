// The module itself: the power-on self-test (CR 3.3) on a loaded module,
// instantiation plus self-test of an already compiled module, and the cold
// start a gateway process pays: compile, instantiate and self-test in a fresh
// process, before V8 has cached any compiled code.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createWasiImports } from '../../dist/host/wasi.js';

const COLD = fileURLToPath(new URL('../_cold_start.js', import.meta.url));

/** A contender timed in fresh processes: each process gives one sample (its own clock, not process start-up). */
function freshProcess(modulePath, mode, key = 'totalMs') {
  return (ms) => {
    const times = [];
    const start = Date.now();
    do {
      const r = spawnSync(process.execPath, [COLD, modulePath, mode], { encoding: 'utf8' });
      if (r.status !== 0) throw new Error(`cold start (${mode}) failed: ${r.stderr}`);
      times.push(JSON.parse(r.stdout.trim().split('\n').pop())[key]);
    } while (Date.now() - start < ms);
    const s = [...times].sort((a, b) => a - b);
    const pick = (p) => s[Math.min(s.length - 1, Math.max(0, Math.ceil(p * s.length) - 1))] * 1e3;
    return { calls: times.length, seconds: times.reduce((a, b) => a + b, 0) / 1e3, p50us: pick(0.5), p99us: pick(0.99) };
  };
}

const selftestCase = {
  id: 'selftest',
  title: 'Power-on self-test (every known-answer test of the build), loaded module',
  needs: ['iacsec_selftest'],
  reference: 'iacsec',
  goals: [],
  async setup({ api }) {
    return {
      contenders: [{ name: 'iacsec', fn: () => api.selftest() === 0 }],
      expect: true,
      fixture: { kind: 'selftest', param: 0, inputs: [], expect: new Uint8Array(0) },
    };
  },
};

const coldCase = {
  id: 'cold-start',
  title: 'Cold start: compile + instantiate + self-test',
  needs: ['iacsec_selftest'],
  reference: 'fresh process',
  timing: { rounds: 7, batchMs: 250, warmupMs: 0 },
  goals: [{ text: 'cold start (fresh process: compile, instantiate, self-test) p50 under 5 ms', p50Of: 'fresh process', below: 5000 }],
  async setup({ modulePath }) {
    const module = await WebAssembly.compile(readFileSync(modulePath));
    let memory;
    const imports = createWasiImports(() => memory, () => {});
    return {
      contenders: [
        { name: 'fresh process', batch: freshProcess(modulePath, 'raw') },
        { name: 'fresh process, loadModule()', batch: freshProcess(modulePath, 'loader') },
        {
          name: 'instantiate + self-test',
          fn: () => {
            const instance = new WebAssembly.Instance(module, imports);
            memory = instance.exports.memory;
            instance.exports._initialize?.();
            return instance.exports.iacsec_selftest() === 0;
          },
        },
      ],
      expect: true,
      fixture: { kind: 'cold_start', param: 0, inputs: [], expect: new Uint8Array(0) },
    };
  },
};

export const area = 'module';
export const cases = [selftestCase, coldCase];
