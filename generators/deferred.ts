/**
 * floe's heavy modules that a render needs only sometimes, loaded on first use: the hooks
 * compiler (ts-morph, for a hooks file the cache does not know) and the lifecycle builder (for
 * a floe whose lifecycle procedures were not built ahead of time).
 *
 * Node's `require` loads them both in the package (compiled JavaScript) and in a checkout (tsx
 * registers `.ts`). A host that runs floe's TypeScript through a module system of its own — the
 * test runner — cannot `require` a `.ts` file; it hands the same modules over with
 * provideDeferred() before they are needed.
 */
import * as path from "node:path";
import { requireWithCodeCache } from "./cache/code-cache";
import type * as HooksModule from "./hooks";
import type * as LifecycleBuildModule from "./compile/lifecycle-build";

export interface DeferredModules {
  readonly hooks: typeof HooksModule;
  readonly lifecycleBuild: typeof LifecycleBuildModule;
}

const provided: { -readonly [K in keyof DeferredModules]?: DeferredModules[K] } = {};

/** Supplies modules for hosts where `require` cannot load floe's sources. */
export function provideDeferred(modules: Partial<DeferredModules>): void {
  Object.assign(provided, modules);
}

/**
 * The hooks compiler (loads ts-morph). `cacheDir`: the project's cache folder, whose V8 code
 * cache (cache/code-cache.ts) spares compiling the TypeScript compiler's JavaScript again.
 */
export function hooksCompiler(cacheDir: string | null = null): DeferredModules["hooks"] {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return (provided.hooks ??= requireWithCodeCache(cacheDir === null ? null : path.join(cacheDir, "v8"), () => require("./hooks") as DeferredModules["hooks"]));
}

/** The lifecycle builder (loads ts-morph, esbuild and the renderers). */
export function lifecycleBuilder(): DeferredModules["lifecycleBuild"] {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return (provided.lifecycleBuild ??= require("./compile/lifecycle-build") as DeferredModules["lifecycleBuild"]);
}
