// as-pect: unit specs for the AssemblyScript module (tests/assembly/*.spec.ts).
export default {
  entries: ["tests/assembly/**/*.spec.ts"],
  include: ["tests/assembly/**/*.include.ts"],
  disclude: [/node_modules/],
  async instantiate(memory, createImports, instantiate, binary) {
    // The audit log reads the WASI real-time clock; the specs get a clock that answers ENOSYS (time 0).
    return instantiate(binary, createImports({ env: { memory }, wasi_snapshot_preview1: { clock_time_get: () => 52 } }));
  },
  outputBinary: false,
};
