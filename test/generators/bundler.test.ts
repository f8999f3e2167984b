/**
 * The bundler thread (generators/compile/bundle.ts): started early by a render, it must build
 * exactly the bytes esbuild's own synchronous API builds, and report a failed build the same way.
 */
import { describe, expect, it } from "vitest";
import { FloeError } from "../../errors";
import { bundleModule, bundleStats, prefetchBundles, startBundler } from "../../generators/compile/bundle";

const HOOK = `import { ok, error } from "./lifecycle/hook-api";
import { runHook as __floe_runHook } from "./lifecycle/hook-runner";
const LIMIT = 3;
const __floe_hooks = { validate(ctx: { sql(text: string): unknown[] }) { return ctx.sql("SELECT 1").length > LIMIT ? error("TOO_MANY", "too many") : ok(); } };
export { __floe_hooks, __floe_runHook };
`;
const OTHER = HOOK.replace("LIMIT = 3", "LIMIT = 4").replace('"TOO_MANY"', '"OVER_LIMIT"');
const BROKEN = `import { nothing } from "./lifecycle/no-such-module";\nexport { nothing };\n`;

function failure(source: string): string {
  try {
    bundleModule(source, "the broken entry", "hook.ts");
  } catch (e) {
    expect(e).toBeInstanceOf(FloeError);
    return (e as Error).message;
  }
  throw new Error("the broken entry was bundled");
}

describe("the bundler thread", { timeout: 60_000 }, () => {
  it("builds the same bytes as esbuild's buildSync, and fails the same way", () => {
    // This file runs in a process of its own: nothing has started the thread yet.
    const direct = bundleModule(HOOK, "a hook", "hook.ts");
    const directFailure = failure(BROKEN);
    startBundler();
    const threaded = bundleModule(HOOK, "a hook", "hook.ts");
    expect(threaded).toEqual(direct);
    expect(threaded.code).toContain("TOO_MANY");
    expect(failure(BROKEN)).toBe(directFailure);
    expect(directFailure).toMatch(/could not bundle the broken entry: .*no-such-module/);
  });

  it("builds a batch of bundles, each the bytes of its own build; a failed batch leaves each to be built alone", () => {
    startBundler();
    const alone = [bundleModule(HOOK, "a hook", "hook.ts"), bundleModule(OTHER, "another hook", "hook.ts")];
    const before = { ...bundleStats };
    prefetchBundles([HOOK, OTHER].map((source) => ({ source, sourcefile: "hook.ts" })));
    expect(bundleModule(OTHER, "another hook", "hook.ts")).toEqual(alone[1]);
    expect(bundleModule(HOOK, "a hook", "hook.ts")).toEqual(alone[0]);
    expect(bundleStats.batched - before.batched).toBe(2);
    expect(alone[1].code).toContain("OVER_LIMIT");

    const broken = failure(BROKEN);
    const again = { ...bundleStats };
    prefetchBundles([HOOK, BROKEN].map((source) => ({ source, sourcefile: "hook.ts" })));
    expect(bundleModule(HOOK, "a hook", "hook.ts")).toEqual(alone[0]);
    expect(failure(BROKEN)).toBe(broken);
    expect(bundleStats.batched - again.batched).toBe(0);
    expect(bundleStats.threaded - again.threaded).toBe(1);
  });
});
