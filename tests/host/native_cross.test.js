// The native build for ARM gateways: cross-compiled with Debian's
// gcc-aarch64-linux-gnu (and gcc-arm-linux-gnueabihf), run under qemu-user.
// Checks the ARM binary's self-test, the SHA-256 of files against
// node:crypto, and every benchmark case's answer through the native harness.
// Timings under emulation are not figures, so none is taken. Skips with a
// notice where a tool is missing; .ci/run installs them, and in CI a missing
// tool is a failure.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync, execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, mkdtempSync, openSync, closeSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT, seeded } from './_helpers.js';

const have = (cmd) => spawnSync('sh', ['-c', `command -v ${cmd}`]).status === 0;
const TARGETS = [
  { target: 'aarch64', cc: 'aarch64-linux-gnu-gcc', qemu: 'qemu-aarch64', sysroot: '/usr/aarch64-linux-gnu', packages: 'gcc-aarch64-linux-gnu qemu-user' },
  { target: 'armhf', cc: 'arm-linux-gnueabihf-gcc', qemu: 'qemu-arm', sysroot: '/usr/arm-linux-gnueabihf', packages: 'gcc-arm-linux-gnueabihf qemu-user' },
];

for (const t of TARGETS) {
  const missing = ['wasm2c', t.cc, t.qemu].filter((c) => !have(c));
  if (!missing.length && !existsSync('/usr/share/wabt/wasm2c/wasm-rt-impl.c') && !process.env.WASM2C_RUNTIME) missing.push('wasm-rt-impl.c');
  const skip = missing.length ? `needs ${missing.join(', ')}: apt-get install wabt ${t.packages}` : false;
  if (skip && process.env.CI) throw new Error(`${t.target} cross build cannot run in CI: ${skip}`);
  if (skip) console.log(`# SKIP ${t.target} cross build: ${skip}`);

  test(`${t.target} build under ${t.qemu}: self-test, SHA-256 of files like node:crypto, every benchmark answer`, { skip, timeout: 600_000 }, () => {
    const built = execFileSync('bash', [`${ROOT}bindings/c/build-native.sh`, '--target', t.target], { encoding: 'utf8' });
    assert.match(built, new RegExp(`${t.target}: ${t.cc} -O2`));
    const dir = `${ROOT}build/native-${t.target}`;
    // ELF e_machine (bytes 18..19): 183 = EM_AARCH64, 40 = EM_ARM.
    const elf = readFileSync(`${dir}/iacsec-native`);
    assert.equal(elf.readUInt16LE(18), t.target === 'aarch64' ? 183 : 40, `${t.target} binary`);
    const emu = (args, stdin) => spawnSync(t.qemu, ['-L', t.sysroot, `${dir}/iacsec-native`, ...args], { encoding: 'utf8', stdio: [stdin ?? 'ignore', 'pipe', 'pipe'] });
    const st = emu(['selftest']);
    assert.equal(st.status, 0, st.stdout + st.stderr);
    assert.match(st.stdout, /self-test passed/);
    const tmp = mkdtempSync(join(tmpdir(), `iacsec-${t.target}-`));
    try {
      for (const n of [0, 3, 65536, 65537, 1 << 20]) {
        const data = seeded(n + 11).bytes(n);
        const path = join(tmp, `f${n}.bin`);
        writeFileSync(path, data);
        const fd = openSync(path, 'r');
        const r = emu(['sha256'], fd);
        closeSync(fd);
        assert.equal(r.status, 0, r.stderr);
        assert.equal(r.stdout.trim(), createHash('sha256').update(data).digest('hex'), `${t.target}: SHA-256 of a ${n}-byte file`);
      }
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
    const check = spawnSync(process.execPath, [`${ROOT}bench/run.js`, '--native-only', '--check-only', '--native-bin', `${dir}/iacsec-bench`,
      '--native-runner', `${t.qemu} -L ${t.sysroot}`], { cwd: ROOT, encoding: 'utf8', timeout: 300_000 });
    assert.equal(check.status, 0, check.stdout + check.stderr);
    assert.match(check.stdout, /checked \d+ cases(; host only: [a-z0-9, -]+)?\n/);
    assert.doesNotMatch(check.stdout, /skipped/);

    // The target kit: every case's inputs and run.sh, run as on a gateway without Node (1 ms a case).
    const kit = mkdtempSync(join(tmpdir(), `iacsec-kit-${t.target}-`));
    try {
      const exp = spawnSync(process.execPath, [`${ROOT}bench/run.js`, '--export-native', kit], { cwd: ROOT, encoding: 'utf8' });
      assert.equal(exp.status, 0, exp.stderr);
      const wrapper = join(kit, 'emulated-bench');
      writeFileSync(wrapper, `#!/bin/sh\nexec ${t.qemu} -L ${t.sysroot} ${dir}/iacsec-bench "$@"\n`, { mode: 0o755 });
      const r = spawnSync('sh', [join(kit, 'run.sh'), wrapper, '1'], { encoding: 'utf8', timeout: 300_000 });
      assert.equal(r.status, 0, r.stderr);
      const lines = r.stdout.trim().split('\n');
      assert.equal(JSON.parse(lines[0]).cc, t.cc);
      assert.equal(lines.length - 1, Number(exp.stdout.match(/wrote (\d+) cases/)[1]));
      for (const line of lines.slice(1)) {
        const [id, json] = [line.slice(0, line.indexOf(' ')), JSON.parse(line.slice(line.indexOf(' ') + 1))];
        assert.ok(!json.failed && json.calls >= 1 && json.p99us >= json.p50us, `${t.target} ${id}: ${line}`);
      }
    } finally {
      rmSync(kit, { recursive: true, force: true });
    }
  });
}
