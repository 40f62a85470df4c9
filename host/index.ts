// iacsec host shim: load the module, run its self-test, use it.

import { instantiate, requireSelfTest, type LoadOptions } from './loader.js';
import { Iacsec } from './api.js';

export { Iacsec, type Hasher, type ModuleInfo } from './api.js';
export { IacsecError, IacsecSelfTestError } from './errors.js';
export { WasiExit } from './wasi.js';
export { DEFAULT_MODULE_PATH, type LoadOptions } from './loader.js';
export * as abi from '../bindings/abi.js';

/**
 * Loads a build of the module (the bundled release build by default), runs
 * its power-on self-test, and returns the typed API. A module that fails the
 * self-test is refused with IacsecSelfTestError (CR 3.3).
 */
export async function loadModule(options: LoadOptions = {}): Promise<Iacsec> {
  const loaded = await instantiate(options);
  requireSelfTest(loaded);
  return new Iacsec(loaded);
}
