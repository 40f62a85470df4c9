// FR6: Timely response to events. The project's own catalogue of the in-scope IEC 62443-4-2
// requirements of this family: ids, paraphrased titles, the lowest SL at which
// each applies, scope, the part of iacsec that serves it, and the host tests
// that show it (the conformance checks that show it are in conformance/checks/).
// Integrator-scope items name what the product vendor must supply.

import type { CatalogueRequirement } from './_types.js';

export const FR6: readonly CatalogueRequirement[] = [
  {
    id: "CR 6.1", fr: "FR6", title: "Audit log accessibility", sl: 1, scope: "module", part: "audit",
    shownBy: ["tests/host/audit_module.test.js", "tests/host/audit_cli.test.js"],
    enhancements: [
      { id: "RE1", title: "Programmatic access to audit logs", sl: 3 },
    ],
  },
  {
    id: "CR 6.2", fr: "FR6", title: "Continuous monitoring", sl: 2, scope: "host", part: "audit",
    shownBy: ["tests/host/syslog_rsyslog.test.js"],
    enhancements: [],
  },
];
