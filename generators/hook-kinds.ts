/**
 * The kinds of hooks and what a compiled hook is: plain data, shared by the hooks reader
 * (hooks.ts, which loads the TypeScript compiler) and everything that uses compiled hooks
 * without compiling them (the cache, the model).
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { FloeError } from "../errors";
import { hookSpec, qualifiedName, type ProcedureSpec } from "./procedures";

export type HookKind = "resume" | "pause" | "configure" | "connection" | "finalize";
export type HookStep = "validate" | "internal" | "testConnection" | "validateSource";

/**
 * Every kind of hooks: the definer a hooks file calls and the hooks it takes. The procedure
 * each hook becomes, and its arguments, are rows of generators/procedures.ts.
 */
export const HOOK_KINDS: Record<HookKind, { readonly definer: string; readonly steps: readonly HookStep[] }> = {
  resume: { definer: "defineResumeHooks", steps: ["validate", "internal"] },
  pause: { definer: "definePauseHooks", steps: ["validate", "internal"] },
  configure: { definer: "defineConfigureHooks", steps: ["validate", "internal"] },
  connection: { definer: "defineConnectionHooks", steps: ["validate", "internal", "testConnection"] },
  finalize: { definer: "defineFinalizeHooks", steps: ["validate", "validateSource", "internal"] },
};

/** One compiled hook: plain data, no ts-morph nodes. */
export interface CompiledHook {
  readonly kind: HookKind;
  readonly step: HookStep;
  /** The procedure it becomes, e.g. `PUBLIC.RESUME_CONNECTOR_VALIDATE`. */
  readonly procedure: string;
  /** Absolute path of the hooks file. */
  readonly file: string;
  readonly line: number;
  /** The JavaScript procedure body. */
  readonly body: string;
}

/** The procedure a hook becomes, e.g. `PUBLIC.RESUME_CONNECTOR_VALIDATE`. */
export function hookProcedureSpec(kind: HookKind, step: HookStep): ProcedureSpec {
  const spec = hookSpec(kind, step);
  if (spec === undefined) throw new FloeError(`internal error: no procedure for the ${kind} hook '${step}'`);
  return spec;
}

export function hookProcedure(kind: HookKind, step: HookStep): string {
  return qualifiedName(hookProcedureSpec(kind, step));
}

/** Checks that a hooks path is a readable file; FloeError naming it otherwise. */
export function checkHooksPath(hooksFile: string, file: string): void {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(file);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === "ENOENT" || code === "ENOTDIR") throw new FloeError(`hooks file ${hooksFile} does not exist.`);
    throw new FloeError(`hooks file ${hooksFile} cannot be read: ${(e as Error).message}`);
  }
  if (stat.isDirectory()) throw new FloeError(`hooks file ${hooksFile} is a folder; give the .ts file with the hooks.`);
  if (!stat.isFile()) throw new FloeError(`hooks file ${hooksFile} is not a regular file.`);
  if (!/\.(ts|mts|cts)$/.test(file)) throw new FloeError(`hooks file ${hooksFile} must be a TypeScript file (.ts).`);
  if (path.sep === "/" && file.includes("\\")) {
    // TypeScript reads every backslash of a path as a folder separator and would not find the file.
    throw new FloeError(`hooks file ${JSON.stringify(hooksFile)} has a backslash in its path, which TypeScript reads as a folder separator; rename it.`);
  }
  try {
    fs.closeSync(fs.openSync(file, "r"));
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new FloeError(`hooks file ${hooksFile} cannot be read: ${code === "EACCES" ? "permission denied (EACCES)" : (e as Error).message}.`);
  }
}
