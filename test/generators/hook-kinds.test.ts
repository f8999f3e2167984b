/**
 * The hooks reader over the flow's hook kinds — configure, connection, finalize — with the same
 * checks as resume and pause: each kind's hooks compile into their procedures with the
 * procedure's argument passed after the context, and each kind refuses what it refuses for
 * resume and pause, plus hooks another kind has. How the hooks behave inside the procedures is
 * tested through the driver in test/e2e/flow-hooks.test.ts.
 */
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { readHooksFile } from "../../generators/hooks";
import { buildModel } from "../../generators/model";
import { FloeError, SourceError } from "../../errors";
import { tempDir, writeFile } from "../helpers/tmp";

const ROOT = path.resolve(__dirname, "..", "..");
const dir = tempDir("floe-hook-kinds-");
const hooksFile = (source: string) => writeFile(dir, "kinds-{n}.ts", source);
const HEADER =
  'import { defineConfigureHooks, defineConnectionHooks, defineFinalizeHooks, ok, okWithConfig, error, type HookContext } from "floe";\n';

function refusal(source: string): SourceError {
  const file = hooksFile(source);
  try {
    readHooksFile(file);
  } catch (e) {
    if (e instanceof SourceError) return e;
    throw e;
  }
  throw new Error("the hooks file was accepted:\n" + source);
}

function expectRefusal(source: string, line: number, message: string | RegExp): void {
  const error = refusal(source);
  const found = error.diagnostics.find((d) => d.line === line && (typeof message === "string" ? d.message.includes(message) : message.test(d.message)));
  expect(found, `no diagnostic on line ${line} matching ${message}; got:\n${error.message}`).toBeDefined();
}

describe("the flow's hook kinds", () => {
  it("compile into the SDK's procedures, passing the configuration argument after the context", () => {
    const file = hooksFile(
      HEADER +
        `export const configure = defineConfigureHooks({
  validate(_ctx, config) { return config.warehouse === undefined ? error("NO_WAREHOUSE", "Name a warehouse.") : ok(); },
  internal: () => ok(),
});
export const connection = defineConnectionHooks<{ url: string }>({
  validate(_ctx, config) { return okWithConfig({ url: config.url.trim() }); },
  internal() { return ok(); },
  testConnection(ctx: HookContext) { return ctx.readConfig("connection_configuration") === null ? error("NONE", "nothing saved") : ok("reached"); },
});
export default defineFinalizeHooks({
  validate() { return ok(); },
  validateSource(_ctx, config) { return Object.keys(config).length > 0 ? ok() : error("EMPTY", "Give a source."); },
  internal() { return ok("Finalized by the hook."); },
});
`,
    );
    const hooks = readHooksFile(file);
    expect(hooks.map((h) => [h.kind, h.step, h.procedure])).toEqual([
      ["configure", "validate", "PUBLIC.CONFIGURE_CONNECTOR_VALIDATE"],
      ["configure", "internal", "PUBLIC.CONFIGURE_CONNECTOR_INTERNAL"],
      ["connection", "validate", "PUBLIC.SET_CONNECTION_CONFIGURATION_VALIDATE"],
      ["connection", "internal", "PUBLIC.SET_CONNECTION_CONFIGURATION_INTERNAL"],
      ["connection", "testConnection", "PUBLIC.TEST_CONNECTION"],
      ["finalize", "validate", "PUBLIC.FINALIZE_CONNECTOR_CONFIGURATION_VALIDATE"],
      ["finalize", "validateSource", "PUBLIC.VALIDATE_SOURCE"],
      ["finalize", "internal", "PUBLIC.FINALIZE_CONNECTOR_CONFIGURATION_INTERNAL"],
    ]);
    const body = (procedure: string) => hooks.find((h) => h.procedure === procedure)!.body;
    expect(body("PUBLIC.CONFIGURE_CONNECTOR_VALIDATE")).toContain('return runHook(snowflake, __floe_hooks, "validate", [CONFIG]);');
    expect(body("PUBLIC.SET_CONNECTION_CONFIGURATION_VALIDATE")).toContain('return runHook(snowflake, __floe_hooks, "validate", [CONNECTION_CONFIGURATION]);');
    expect(body("PUBLIC.SET_CONNECTION_CONFIGURATION_VALIDATE")).toContain("function okWithConfig");
    expect(body("PUBLIC.TEST_CONNECTION")).toContain('return runHook(snowflake, __floe_hooks, "testConnection");');
    expect(body("PUBLIC.VALIDATE_SOURCE")).toContain('return runHook(snowflake, __floe_hooks, "validateSource", [CUSTOM_CONFIGURATION]);');
  });

  it("refuses hooks that belong to another kind, naming the kind's hooks", () => {
    expectRefusal(HEADER + `export const c = defineConfigureHooks({ testConnection() { return ok(); } } as never);\n`, 2, "as an object literal");
    expectRefusal(HEADER + `export const c = defineConfigureHooks({\n  validate() { return ok(); },\n  testConnection() { return ok(); },\n});\n`, 4, "unknown configure hook 'testConnection'; the configure hooks are 'validate' and 'internal'.");
    expectRefusal(HEADER + `export const c = defineConnectionHooks({\n  validateSource() { return ok(); },\n});\n`, 3, "unknown connection hook 'validateSource'; the connection hooks are 'validate', 'internal' and 'testConnection'.");
    expectRefusal(HEADER + `export const c = defineFinalizeHooks({\n  testConnection() { return ok(); },\n});\n`, 3, "unknown finalize hook 'testConnection'; the finalize hooks are 'validate', 'validateSource' and 'internal'.");
  });

  it("type-checks the configuration argument: the connector configuration's keys, the connection's declared shape", () => {
    expectRefusal(HEADER + `export const c = defineConfigureHooks({\n  validate(_ctx, config) { return config.warehous === undefined ? ok() : ok(); },\n});\n`, 3, "Property 'warehous' does not exist on type 'ConnectorConfiguration'");
    expectRefusal(
      HEADER + `export const c = defineConnectionHooks<{ url: string }>({\n  validate(_ctx, config) { return okWithConfig({ address: config.url }); },\n});\n`,
      3,
      /'address' does not exist in type '\{ url: string; \}'|is not assignable/,
    );
  });

  it("refuses what resume and pause hooks may not do: no answer on every path, async code, Node globals, outer state", () => {
    expectRefusal(HEADER + `export const f = defineFinalizeHooks({\n  validateSource(ctx) {\n    if (ctx.sql("SELECT 1").length > 0) return ok();\n  },\n});\n`, 3, "hook 'validateSource' does not return an answer on every path");
    expectRefusal(HEADER + `export const f = defineConnectionHooks({\n  validate(ctx, config) {\n    if (config.x) return okWithConfig(config);\n  },\n});\n`, 3, "hook 'validate' does not return an answer on every path");
    expectRefusal(HEADER + `export const f = defineFinalizeHooks({\n  async internal() {\n    return ok();\n  },\n});\n`, 3, "uses an async function");
    expectRefusal(HEADER + `export const f = defineConnectionHooks({\n  testConnection() {\n    return ok(process.env.TOKEN ?? "");\n  },\n});\n`, 4, "uses 'process', a Node.js global");
    expectRefusal(HEADER + `let tested = false;\nexport const f = defineConnectionHooks({\n  testConnection() {\n    tested = true;\n    return ok();\n  },\n});\n`, 5, "reads 'tested', mutable outer state");
  });

  it("refuses a top-level name that would hide the procedure's argument", () => {
    const file = hooksFile(HEADER + `const CONFIG = { warehouse: "X" };\nexport const c = defineConfigureHooks({ validate() { return ok(CONFIG.warehouse); } });\n`);
    expect(() => readHooksFile(file)).toThrow(/'CONFIG' \(declared in .*\) has the name of a global Snowflake gives the procedure/);
  });

  it("refuses flow hooks whose feature is left out", () => {
    const file = hooksFile(HEADER + `export const c = defineConnectionHooks({ testConnection() { return ok(); } });\n`);
    expect(() => buildModel({ name: "NO_CONNECTION", hooks: [file], features: { connection_configuration: false }, root: ROOT })).toThrow(FloeError);
    expect(() => buildModel({ name: "NO_CONNECTION", hooks: [file], features: { connection_configuration: false }, root: ROOT })).toThrow(
      /connection hooks are defined, but the 'connection_configuration' feature they belong to is left out/,
    );
  });
});
