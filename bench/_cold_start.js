// One cold start in a fresh process (no compiled code cached by V8 yet):
//   node bench/_cold_start.js MODULE.wasm raw      compile, instantiate + _initialize, self-test, each timed
//   node bench/_cold_start.js MODULE.wasm loader   the host's loadModule({ bytes }) as a user calls it
// Prints one JSON line of milliseconds. The file is read before the clock starts.
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { createWasiImports } from '../dist/host/wasi.js';
import { loadModule } from '../dist/host/index.js';

const [path, mode = 'raw'] = process.argv.slice(2);
const bytes = new Uint8Array(readFileSync(path));

if (mode === 'loader') {
  const t0 = performance.now();
  const api = await loadModule({ bytes });
  const t1 = performance.now();
  if (api.selftest() !== 0) throw new Error('self-test failed');
  console.log(JSON.stringify({ totalMs: t1 - t0 }));
} else {
  let memory;
  const imports = createWasiImports(() => memory, (line) => process.stderr.write(`${line}\n`));
  const t0 = performance.now();
  const module = await WebAssembly.compile(bytes);
  const t1 = performance.now();
  const instance = await WebAssembly.instantiate(module, imports);
  memory = instance.exports.memory;
  instance.exports._initialize?.();
  const t2 = performance.now();
  const status = instance.exports.iacsec_selftest();
  const t3 = performance.now();
  if (status !== 0) throw new Error(`self-test failed: status ${status}`);
  console.log(JSON.stringify({ compileMs: t1 - t0, instantiateMs: t2 - t1, selftestMs: t3 - t2, totalMs: t3 - t0 }));
}
