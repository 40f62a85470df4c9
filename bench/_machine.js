// The machine a run was made on, as a reader of the results needs it: CPU
// model, its hash and SIMD extensions (from /proc/cpuinfo where there is
// one), cores, load at the start, Node and V8 versions.
import { readFileSync } from 'node:fs';
import os from 'node:os';

// x86 flags and ARM "Features" that speak to hashing and SIMD speed.
const SHA_FLAGS = ['sha_ni', 'sha1', 'sha2', 'sha3', 'sha512'];
const SIMD_FLAGS = ['sse2', 'ssse3', 'sse4_1', 'sse4_2', 'avx', 'avx2', 'avx512f', 'avx512vl', 'bmi2', 'adx', 'neon', 'asimd', 'sve', 'sve2'];

function cpuinfo() {
  try {
    return readFileSync('/proc/cpuinfo', 'utf8');
  } catch {
    return '';
  }
}

export function describeMachine() {
  const text = cpuinfo();
  const field = (name) => text.match(new RegExp(`^${name}\\s*:\\s*(.*)$`, 'mi'))?.[1]?.trim();
  const flags = new Set((field('flags') ?? field('Features') ?? '').split(/\s+/).filter(Boolean));
  const cpus = os.cpus();
  return {
    host: os.hostname(),
    cpu: field('model name') ?? field('Hardware') ?? cpus[0]?.model ?? 'unknown',
    arch: process.arch,
    cores: cpus.length,
    shaExtensions: SHA_FLAGS.filter((f) => flags.has(f)),
    simdExtensions: SIMD_FLAGS.filter((f) => flags.has(f)),
    virtualized: flags.has('hypervisor'),
    memoryBytes: os.totalmem(),
    loadAverage: os.loadavg().map((l) => Number(l.toFixed(2))),
    os: `${os.type()} ${os.release()}`,
    node: process.version,
    v8: process.versions.v8,
  };
}

export function machineLines(m) {
  return [
    `cpu      ${m.cpu} (${m.arch}, ${m.cores} cores${m.virtualized ? ', virtualized' : ''})`,
    `sha      ${m.shaExtensions.join(' ') || 'none'}; simd ${m.simdExtensions.join(' ') || 'none'}`,
    `runtime  node ${m.node}, V8 ${m.v8}; ${m.os}`,
    `load     ${m.loadAverage.join(' ')} (1, 5, 15 min) at the start`,
  ];
}
