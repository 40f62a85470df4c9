// Small formatting helpers shared by the report writers.

import type { Verdict } from './report_types.js';

export const VERDICT_TEXT: Readonly<Record<Verdict, string>> = {
  pass: 'pass',
  fail: 'fail',
  'not-applicable': 'not applicable at this SL',
  'needs-integrator-evidence': 'needs integrator evidence',
};

export const pct = (x: number | null) => (x === null ? '—' : `${(x * 100).toFixed(1)} %`);
export const sl = (x: number | null | undefined) => (x === null || x === undefined ? '—' : String(x));
