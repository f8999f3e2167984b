/**
 * The options hooks are compiled with, as plain data: the type check (project.ts turns them into
 * TypeScript's) and the bundle (bundle.ts). They are part of the key of every compiled hook in
 * the cache, so a change to them is never answered with a hook compiled under the old ones.
 * This module loads no compiler.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { FLOE_ROOT, FROM_DIST } from "../floe-root";

export const LIFECYCLE_DIR = path.join(FLOE_ROOT, "lifecycle");
/** The hook API's source: what a hook's procedure body is bundled from. */
export const HOOK_API_FILE = path.join(LIFECYCLE_DIR, "hook-api.ts");
/** Its declarations, as the package build emits them. */
export const HOOK_API_TYPES = path.join(FLOE_ROOT, "dist", "lifecycle", "hook-api.d.ts");

/**
 * What `"floe"` means when a hooks file is type-checked: the hook API's declarations in the
 * installed package (nothing of floe's own is checked again), its source in a checkout.
 */
export function hookApiModule(): string {
  return FROM_DIST && fs.existsSync(HOOK_API_TYPES) ? HOOK_API_TYPES : HOOK_API_FILE;
}

/**
 * Snowflake's JavaScript runtime, not Node: ECMAScript 2019 library only, no `@types/node`,
 * strict, and `noImplicitReturns` so a hook that can end without an answer is caught.
 */
export const HOOK_CHECK_OPTIONS = {
  strict: true,
  noImplicitReturns: true,
  noFallthroughCasesInSwitch: true,
  target: "ES2019",
  lib: ["lib.es2019.d.ts"],
  types: [] as string[],
  skipLibCheck: true,
  module: "ESNext",
  moduleResolution: "Bundler",
  noEmit: true,
  allowJs: false,
} as const;
