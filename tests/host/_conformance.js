// Shared by the conformance tests: the suite, run once per process on the
// release build, and the ajv validator.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import { runSuite } from '../../dist/conformance/run.js';
import { ROOT } from './_helpers.js';

export const CLI = `${ROOT}dist/host/cli.js`;

let release;
/** The suite's result on the release build with the reference profile (native build not run). */
export function releaseRun() {
  release ??= runSuite({ native: false });
  return release;
}

export const tempDir = (name) => mkdtempSync(join(tmpdir(), `iacsec-${name}-`));

export function validator(schemaPath) {
  const ajv = new Ajv({ allErrors: true, strict: false });
  addFormats(ajv);
  return ajv.compile(JSON.parse(readFileSync(schemaPath, 'utf8')));
}

export const readJson = (p) => JSON.parse(readFileSync(p, 'utf8'));

/**
 * The reference profile with lockout off, written into dir: CR 1.11 then
 * fails, a gap of its own beside the integrator's EDR 3.11 (the release
 * build with the reference profile meets every other item at SL 2).
 */
export function lockoutOffProfile(dir) {
  const p = readJson(`${ROOT}conformance/profiles/default.json`);
  p.lockout.enabled = false;
  const path = join(dir, 'lockout-off.json');
  writeFileSync(path, JSON.stringify(p));
  return path;
}
