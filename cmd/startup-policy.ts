// The executable starts with JavaScriptCore's tier-up thresholds scaled up (scripts/build.ts:
// --compile-jit-policy), so that code run once while starting (module bodies, schema
// and registry set-up, opening the PKI and the store) stays in the interpreter instead of
// being compiled. Commands restore the normal policy once they start their real work.

/** Restores the normal JIT policy (a no-op outside the executable, where it is normal already). */
export function normalJitPolicy(): void {
  Bun.unsafe.setJITPolicy(1);
}

/**
 * For a long-running process that has finished starting: the normal JIT policy, then a full
 * collection that also drops the code compiled for start-up (re-made from the embedded
 * bytecode if it runs again). An idle server keeps ~4 MB less resident.
 */
export function settleAfterStartup(): void {
  normalJitPolicy();
  // Bun.shrink (deprecated, kept in 1.4) also releases compiled code; a full GC is the fallback.
  if (typeof Bun.shrink === "function") Bun.shrink();
  else Bun.gc(true);
}
