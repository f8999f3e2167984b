/**
 * The ts-morph project the generator type-checks hooks files and lifecycle code in.
 *
 * The compiler options describe Snowflake's JavaScript runtime, not Node: ECMAScript 2019
 * library only, no `@types/node`, strict, and `noImplicitReturns` so a hook that can end
 * without an answer is caught. `"floe"` resolves to the hook API source itself, so a hooks file
 * anywhere in a repository type-checks against exactly the functions that are compiled into
 * its procedures. One project serves a whole render: checking a second file reuses the first
 * one's program (tens of milliseconds instead of a second).
 */
import * as path from "node:path";
import { Project, ts } from "ts-morph";
import { FLOE_ROOT } from "../floe-root";

export { FLOE_ROOT };
export const LIFECYCLE_DIR = path.join(FLOE_ROOT, "lifecycle");
export const HOOK_API_FILE = path.join(LIFECYCLE_DIR, "hook-api.ts");

export const PROCEDURE_TARGET = ts.ScriptTarget.ES2019;

export function createCompilerProject(): Project {
  return new Project({
    compilerOptions: {
      strict: true,
      noImplicitReturns: true,
      noFallthroughCasesInSwitch: true,
      target: PROCEDURE_TARGET,
      lib: ["lib.es2019.d.ts"],
      types: [],
      skipLibCheck: true,
      module: ts.ModuleKind.ESNext,
      moduleResolution: ts.ModuleResolutionKind.Bundler,
      paths: { floe: [HOOK_API_FILE] },
      noEmit: true,
      allowJs: false,
    },
    skipAddingFilesFromTsConfig: true,
  });
}

let shared: Project | undefined;

/** A project shared by everything rendered in this process. */
export function sharedProject(): Project {
  shared ??= createCompilerProject();
  return shared;
}
