import { statusByCode, type StatusName } from '../bindings/abi.js';

/** A call the module refused: carries the module's status code and its name. */
export class IacsecError extends Error {
  readonly code: number;
  readonly status: StatusName | 'UNKNOWN';
  constructor(code: number, what: string) {
    const info = statusByCode(code);
    super(`${what}: ${info ? `${info.name} (${code}): ${info.meaning}` : `unknown status ${code}`}`);
    this.name = 'IacsecError';
    this.code = code;
    this.status = (info?.name as StatusName | undefined) ?? 'UNKNOWN';
  }
}

/** The module's power-on self-test failed; the module is not handed out (CR 3.3). */
export class IacsecSelfTestError extends Error {
  readonly failedTest: number;
  readonly testName: string;
  constructor(failedTest: number, testName: string) {
    super(`iacsec self-test failed at known-answer test ${failedTest} (${testName}): the module is refused`);
    this.name = 'IacsecSelfTestError';
    this.failedTest = failedTest;
    this.testName = testName;
  }
}
