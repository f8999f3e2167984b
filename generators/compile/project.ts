/**
 * The ts-morph project the generator type-checks hooks files (and, when the lifecycle artifact
 * is built, floe's lifecycle code) in, with the options of options.ts.
 *
 * The program is as small as a hooks file allows: the file, the hook API it imports as
 * `"floe"` (its declarations in the installed package, its source in a checkout) and the
 * ES2019 library. One project serves every hooks file of a process (a render, a watch): a
 * second file reuses the first one's program and checker.
 */
import { Project, ts } from "ts-morph";
import { FLOE_ROOT } from "../floe-root";
import { HOOK_API_FILE, HOOK_API_TYPES, HOOK_CHECK_OPTIONS, LIFECYCLE_DIR, hookApiModule } from "./options";

export { FLOE_ROOT, HOOK_API_FILE, HOOK_API_TYPES, LIFECYCLE_DIR };

export const PROCEDURE_TARGET = ts.ScriptTarget.ES2019;

export function createCompilerProject(): Project {
  const o = HOOK_CHECK_OPTIONS;
  return new Project({
    compilerOptions: {
      strict: o.strict,
      noImplicitReturns: o.noImplicitReturns,
      noFallthroughCasesInSwitch: o.noFallthroughCasesInSwitch,
      target: PROCEDURE_TARGET,
      lib: [...o.lib],
      types: [],
      skipLibCheck: o.skipLibCheck,
      module: ts.ModuleKind.ESNext,
      moduleResolution: ts.ModuleResolutionKind.Bundler,
      paths: { floe: [hookApiModule()] },
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
