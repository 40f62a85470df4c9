#!/usr/bin/env node
// The iacsec command line.

import { parseArgs } from 'node:util';
import { instantiate } from './loader.js';
import { loadModule } from './index.js';
import { SELFTEST_IDS, STATUS } from '../bindings/abi.js';
import { FIRMWARE_COMMANDS, FIRMWARE_USAGE, runFirmwareCommand } from './cli_firmware.js';
import { AUTH_COMMANDS, AUTH_USAGE, runAuthCommand } from './cli_auth.js';

const USAGE = `usage: iacsec <command> [--module PATH] [--json]

commands:
  info       ABI version, capabilities, module SHA-256, imports, memory
  selftest   run the power-on self-test (CR 3.3); exit 0 when every known-answer test passes

options:
  --module PATH   use another build of the module (default: the bundled build/iacsec.wasm)
  --json          print JSON instead of text

${FIRMWARE_USAGE}
${AUTH_USAGE}`;

async function info(modulePath: string | undefined, json: boolean): Promise<number> {
  const api = await loadModule({ path: modulePath });
  const i = api.info();
  if (json) {
    console.log(JSON.stringify(i, null, 2));
    return 0;
  }
  const pages = i.memoryPages;
  console.log(`module        ${i.source}`);
  console.log(`size          ${i.size} bytes`);
  console.log(`sha256        ${i.sha256}`);
  console.log(`abi version   ${i.abiVersion}`);
  console.log(`capabilities  ${i.capabilities.join(' ')} (0x${i.caps.toString(16)})`);
  console.log(`memory        ${pages.initial} pages initial, ${pages.maximum ?? 'no'} maximum (${i.memoryBytes} bytes, fixed: ${pages.initial === pages.maximum})`);
  console.log(`i/o area      ${i.ioBytes} bytes`);
  console.log(`imports       ${i.imports.length ? i.imports.join(', ') : 'none'}`);
  console.log(`exports       ${i.exports.length}`);
  return 0;
}

async function selftest(modulePath: string | undefined, json: boolean): Promise<number> {
  // Instantiate without the loader's refusal, to report which test failed.
  const loaded = await instantiate({ path: modulePath });
  const status = loaded.exports.iacsec_selftest();
  const failed = status === STATUS.OK.code ? 0 : loaded.exports.iacsec_selftest_failed();
  const tests = Object.entries(SELFTEST_IDS).map(([id, name]) => ({
    id: Number(id),
    name,
    result: failed === 0 || Number(id) < failed ? 'pass' : Number(id) === failed ? 'FAIL' : 'not run',
  }));
  if (json) {
    console.log(JSON.stringify({ module: loaded.source, sha256: loaded.sha256, passed: failed === 0, failedTest: failed, tests }, null, 2));
  } else {
    for (const t of tests) console.log(`${t.result.padEnd(8)} ${String(t.id).padStart(2)}  ${t.name}`);
    console.log(failed === 0 ? `self-test passed (${tests.length} known-answer tests)` : `self-test FAILED at test ${failed}: module refused`);
  }
  return failed === 0 ? 0 : 1;
}

async function main(argv: string[]): Promise<number> {
  if (argv.length > 0 && FIRMWARE_COMMANDS.has(argv[0])) return runFirmwareCommand(argv[0], argv.slice(1));
  if (argv.length > 0 && AUTH_COMMANDS.has(argv[0])) return runAuthCommand(argv[0], argv.slice(1));
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { module: { type: 'string' }, json: { type: 'boolean', default: false }, help: { type: 'boolean', short: 'h' } },
  });
  const [command] = positionals;
  if (values.help || !command) {
    process.stdout.write(USAGE);
    return command || values.help ? 0 : 2;
  }
  switch (command) {
    case 'info': return info(values.module, values.json ?? false);
    case 'selftest': return selftest(values.module, values.json ?? false);
    default:
      process.stderr.write(`iacsec: unknown command '${command}'\n${USAGE}`);
      return 2;
  }
}

main(process.argv.slice(2)).then(
  (code) => { process.exitCode = code; },
  (err: unknown) => {
    process.stderr.write(`iacsec: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 1;
  },
);
