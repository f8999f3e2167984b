/**
 * The V8 flags floe sets in its own process. They are set in one place, before the first module
 * that floe's code cache (cache/code-cache.ts) compiles: V8 keys cached code by the flags in
 * force, so code cached under other flags than a later run's would be refused every time.
 */
import * as v8 from "node:v8";

let applied = false;

/**
 * `--no-wasm-tier-up`: the SQL parser is a 3.5 MB WASM module of which floe runs a few
 * statements per process; V8 would compile it a second time, optimised, in the background, and
 * a short process would spend its last second waiting for that.
 */
export function applyV8Flags(): void {
  if (applied) return;
  applied = true;
  v8.setFlagsFromString("--no-wasm-tier-up");
}
