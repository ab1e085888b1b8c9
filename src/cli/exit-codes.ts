// The command's exit codes (SPEC §2): 0 done; 1 input or policy invalid (nothing written);
// 2 usage; 3 internal. A module of its own: bin/assess.js needs them before the CLI is loaded.
export const EXIT = { ok: 0, invalid: 1, usage: 2, internal: 3 } as const;
