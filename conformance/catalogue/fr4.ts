// FR4: Data confidentiality. The project's own catalogue of the in-scope IEC 62443-4-2
// requirements of this family: ids, paraphrased titles, the lowest SL at which
// each applies, scope, the part of iacsec that serves it, and the host tests
// that show it (the conformance checks that show it are in conformance/checks/).
// Integrator-scope items name what the product vendor must supply.

import type { CatalogueRequirement } from './_types.js';

export const FR4: readonly CatalogueRequirement[] = [
  {
    id: "CR 4.1", fr: "FR4", title: "Information confidentiality", sl: 1, scope: "host", part: "gateway",
    shownBy: ["tests/host/gateway.test.js", "tests/host/gateway_cli.test.js", "tests/host/gateway_security.test.js"],
    enhancements: [],
  },
  {
    id: "CR 4.2", fr: "FR4", title: "Information persistence", sl: 2, scope: "module", part: "core",
    shownBy: ["tests/host/hash.test.js"],
    enhancements: [],
  },
  {
    id: "CR 4.3", fr: "FR4", title: "Use of cryptography", sl: 1, scope: "module", part: "core",
    shownBy: ["tests/host/hash.test.js", "tests/host/ed25519.test.js", "tests/host/p256.test.js", "tests/host/cose.test.js"],
    enhancements: [],
  },
];
