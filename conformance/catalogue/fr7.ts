// FR7: Resource availability. The project's own catalogue of the in-scope IEC 62443-4-2
// requirements of this family: ids, paraphrased titles, the lowest SL at which
// each applies, scope, the part of iacsec that serves it, and the host tests
// that show it (the conformance checks that show it are in conformance/checks/).
// Integrator-scope items name what the product vendor must supply.

import type { CatalogueRequirement } from './_types.js';

export const FR7: readonly CatalogueRequirement[] = [
  {
    id: "CR 7.1", fr: "FR7", title: "Denial of service protection", sl: 1, scope: "module", part: "access",
    shownBy: ["tests/host/ratelimit.test.js", "tests/host/ratelimit_gcra.test.js"],
    enhancements: [
      { id: "RE1", title: "Manage communication load from component", sl: 2 },
    ],
  },
  {
    id: "CR 7.2", fr: "FR7", title: "Resource management", sl: 1, scope: "module", part: "access",
    shownBy: ["tests/host/ratelimit.test.js"],
    enhancements: [],
  },
  {
    id: "CR 7.3", fr: "FR7", title: "Control system backup", sl: 1, scope: "host", part: "state",
    shownBy: ["tests/host/state_store.test.js", "tests/host/cli_state.test.js"],
    enhancements: [
      { id: "RE1", title: "Backup integrity verification", sl: 2 },
    ],
  },
  {
    id: "CR 7.4", fr: "FR7", title: "Control system recovery and reconstitution", sl: 1, scope: "host", part: "state",
    shownBy: ["tests/host/state_store.test.js", "tests/host/cli_state.test.js", "tests/host/state_crash.test.js", "tests/host/state_lock.test.js"],
    enhancements: [],
  },
  {
    id: "CR 7.6", fr: "FR7", title: "Network and security configuration settings", sl: 1, scope: "module", part: "config",
    shownBy: ["tests/host/config_report.test.js", "tests/host/cli_state.test.js"],
    enhancements: [
      { id: "RE1", title: "Machine-readable reporting of current security settings", sl: 3 },
    ],
  },
  {
    id: "CR 7.7", fr: "FR7", title: "Least functionality", sl: 1, scope: "host", part: "core",
    shownBy: ["tests/host/abi.test.js"],
    enhancements: [],
  },
  {
    id: "CR 7.8", fr: "FR7", title: "Control system component inventory", sl: 2, scope: "module", part: "core",
    shownBy: ["tests/host/cli.test.js"],
    enhancements: [],
  },
];
