#!/usr/bin/env node
// The iacsec command line: one description per subcommand (cli_args.ts),
// from which its parser and its --help are made; errors are printed once,
// on stderr, and map to the exit codes of EXIT.

import { instantiate } from './loader.js';
import { loadModule } from './index.js';
import { SELFTEST_IDS, STATUS } from '../bindings/abi.js';
import { FirmwareError } from './firmware.js';
import { StateStoreError } from './state_store.js';
import { StateLockError } from './state_lock.js';
import {
  EXIT, EXIT_CODES_TEXT, JSON_OPTION, MODULE_OPTION, StateUseError, UsageError, checkModuleInput, commandHelp, parseCommand,
  toJson, type CommandSpec,
} from './cli_args.js';
import { FIRMWARE_SPECS } from './cli_firmware.js';
import { STATE_SPECS } from './cli_state.js';
import { CONFORMANCE_USAGE, runConformanceCommand } from './cli_conformance.js';
import { AUTH_COMMANDS, AUTH_USAGE, runAuthCommand } from './cli_auth.js';
import { AUDIT_COMMANDS, AUDIT_USAGE, runAuditCommand } from './cli_audit.js';
import { GATEWAY_SPECS } from './cli_gateway.js';

const info: CommandSpec = {
  name: 'info',
  summary: 'ABI version, capabilities, module SHA-256, imports, memory.',
  synopsis: ['[--module PATH] [--json]'],
  options: { module: MODULE_OPTION, json: JSON_OPTION },
  examples: ['iacsec info --json'],
  async run(v) {
    const api = await loadModule({ path: await checkModuleInput(v) });
    const i = api.info();
    if (v.json) {
      console.log(toJson(i));
      return EXIT.OK;
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
    return EXIT.OK;
  },
};

const selftest: CommandSpec = {
  name: 'selftest',
  summary: 'Runs the power-on self-test (CR 3.3): every known-answer test; exit 0 when all pass, 1 when one fails.',
  synopsis: ['[--module PATH] [--json]'],
  options: { module: MODULE_OPTION, json: JSON_OPTION },
  examples: ['iacsec selftest'],
  async run(v) {
    // Instantiate without the loader's refusal, to report which test failed.
    const loaded = await instantiate({ path: await checkModuleInput(v) });
    const status = loaded.exports.iacsec_selftest();
    const failed = status === STATUS.OK.code ? 0 : loaded.exports.iacsec_selftest_failed();
    const tests = Object.entries(SELFTEST_IDS).map(([id, name]) => ({
      id: Number(id),
      name,
      result: failed === 0 || Number(id) < failed ? 'pass' : Number(id) === failed ? 'FAIL' : 'not run',
    }));
    if (v.json) {
      console.log(toJson({ module: loaded.source, sha256: loaded.sha256, passed: failed === 0, failedTest: failed, tests }));
    } else {
      for (const t of tests) console.log(`${t.result.padEnd(8)} ${String(t.id).padStart(2)}  ${t.name}`);
      console.log(failed === 0 ? `self-test passed (${tests.length} known-answer tests)` : `self-test FAILED at test ${failed}: module refused`);
    }
    return failed === 0 ? EXIT.OK : EXIT.REFUSED;
  },
};

const SPECS: CommandSpec[] = [info, selftest, ...FIRMWARE_SPECS, ...STATE_SPECS, ...GATEWAY_SPECS];
const BY_NAME = new Map(SPECS.map((s) => [s.name, s]));
const GROUPS = new Set(SPECS.filter((s) => s.name.includes(' ')).map((s) => s.name.split(' ')[0]));

function usage(): string {
  const lines = ['usage: iacsec <command> [options]      iacsec <command> --help for each command\'s options and examples', '', 'commands:'];
  for (const s of SPECS) lines.push(`  ${s.name.padEnd(17)} ${s.summary}`);
  lines.push('', 'Every command takes --module PATH (another build of the module); every command that reports a',
    'result takes --json (one JSON object on stdout). Errors go to stderr, once.', '', EXIT_CODES_TEXT, '', AUTH_USAGE, AUDIT_USAGE, CONFORMANCE_USAGE);
  return lines.join('\n');
}

/** The message of an error that ends a command, and its exit code. */
function failure(e: unknown): { message: string; code: number } {
  if (e instanceof UsageError) return { message: e.problems.join('\n  '), code: EXIT.USAGE };
  if (e instanceof StateUseError || e instanceof StateStoreError || e instanceof StateLockError) return { message: e.message, code: EXIT.FAILED };
  if (e instanceof FirmwareError) return { message: `${e.reason} (${e.status})`, code: EXIT.REFUSED };
  const err = e as NodeJS.ErrnoException;
  if (err && typeof err.code === 'string' && err.syscall) {
    const what = err.code === 'ENOSPC' ? 'no space left on the device' : err.code === 'EACCES' ? 'permission denied' : err.code;
    return { message: `${err.path ?? err.syscall}: ${what} (${err.message})`, code: EXIT.FAILED };
  }
  return { message: e instanceof Error ? e.message : String(e), code: EXIT.FAILED };
}

async function main(argv: string[]): Promise<number> {
  const first = argv[0];
  if (first === 'conformance') return runConformanceCommand(argv.slice(1));
  if (first !== undefined && AUTH_COMMANDS.has(first)) return runAuthCommand(first, argv.slice(1));
  if (first !== undefined && AUDIT_COMMANDS.has(first)) return runAuditCommand(argv.slice(1));
  if (first === undefined || first === '--help' || first === '-h' || first === 'help') {
    process.stdout.write(usage());
    return first === undefined ? EXIT.USAGE : EXIT.OK;
  }
  let name = first;
  let rest = argv.slice(1);
  if (GROUPS.has(first)) {
    const sub = argv[1];
    if (sub === undefined || sub.startsWith('-')) {
      const group = SPECS.filter((s) => s.name.startsWith(`${first} `));
      const text = `usage: ${group.map((s) => `iacsec ${s.name} ${s.synopsis[0]}`).join('\n       ')}\n\n${group.map((s) => `  ${s.name.padEnd(15)} ${s.summary}`).join('\n')}\n`;
      if (sub === '--help' || sub === '-h') { process.stdout.write(text); return EXIT.OK; }
      process.stderr.write(`iacsec ${first}: missing subcommand\n${text}`);
      return EXIT.USAGE;
    }
    name = `${first} ${sub}`;
    rest = argv.slice(2);
  }
  const spec = BY_NAME.get(name);
  if (!spec) {
    process.stderr.write(`iacsec: unknown command '${name}'; \`iacsec --help\` lists the commands\n`);
    return EXIT.USAGE;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    process.stdout.write(commandHelp(spec));
    return EXIT.OK;
  }
  try {
    const { values, positionals } = parseCommand(spec, rest);
    return await spec.run(values, positionals);
  } catch (e) {
    const f = failure(e);
    const hint = f.code === EXIT.USAGE ? `\n  (\`iacsec ${name} --help\` for usage)` : '';
    process.stderr.write(`iacsec ${name}: ${f.code === EXIT.USAGE ? '' : 'ERROR: '}${f.message}${hint}\n`);
    return f.code;
  }
}

main(process.argv.slice(2)).then(
  (code) => { process.exitCode = code; },
  (err: unknown) => {
    process.stderr.write(`iacsec: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = EXIT.FAILED;
  },
);
