/**
 * Generated inputs for the benchmarks: N distinct hooks files (each a variant of the example
 * hooks) and a tsconfig that type-checks them the way floe does, for the `tsc --noEmit` baseline.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { HOOK_API_FILE } from "../generators/compile/project";

export function hooksSource(i: number): string {
  return `import { defineResumeHooks, definePauseHooks, ok, error, type HookContext } from "floe";

const REQUIRED_KEYS_${i} = ["connector_configuration", "connection_configuration", "key_${i}"];

function missing${i}(ctx: HookContext): string[] {
  const rows = ctx.sql<{ KEY: string }>("SELECT KEY FROM STATE.APP_CONFIG WHERE KEY <> ?", ["ignored_${i}"]);
  const present = rows.map((row) => row.KEY);
  return REQUIRED_KEYS_${i}.filter((key) => present.indexOf(key) < 0);
}

export default defineResumeHooks({
  validate(ctx) {
    const absent = missing${i}(ctx);
    return absent.length > 0 ? error("CONFIGURATION_MISSING", "missing: " + absent.join(", ")) : ok();
  },
  internal(ctx) {
    ctx.sql("ALTER TASK IF EXISTS TASKS.INGEST_${i} RESUME");
    return ok("resumed ${i}");
  },
});

export const pause = definePauseHooks({
  internal(ctx) {
    ctx.sql("ALTER TASK IF EXISTS TASKS.INGEST_${i} SUSPEND");
    return ok();
  },
});
`;
}

/**
 * A tsconfig that checks files as floe checks hooks: ES2019 library, no Node types, `floe` = the
 * hook API — its source (`hookApi` default), as floe run from a checkout checks against, or its
 * declarations (HOOK_API_TYPES), as the installed package does.
 */
export function writeTsconfig(dir: string, files: readonly string[], hookApi: string = HOOK_API_FILE): string {
  const file = path.join(dir, "tsconfig.json");
  const compilerOptions = {
    strict: true,
    noImplicitReturns: true,
    target: "ES2019",
    lib: ["es2019"],
    types: [],
    skipLibCheck: true,
    module: "ESNext",
    moduleResolution: "Bundler",
    noEmit: true,
    paths: { floe: [hookApi] },
  };
  fs.writeFileSync(file, JSON.stringify({ compilerOptions, files }, null, 2));
  return file;
}

/** Writes N hooks files and a tsconfig for them (tsconfig.json) into a new temporary directory. */
export function writeHooksFiles(count: number): { dir: string; files: string[] } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `floe-bench-${count}-`));
  const files: string[] = [];
  for (let i = 0; i < count; i++) {
    const file = path.join(dir, `hooks_${i}.ts`);
    fs.writeFileSync(file, hooksSource(i));
    files.push(file);
  }
  writeTsconfig(dir, files);
  return { dir, files };
}
