/**
 * Every flow hook kind — configure, connection, finalize — through snowflake-sdk in the sandbox:
 * what each hook receives, what its refusal does (returned unchanged, nothing saved or moved,
 * the later hooks not called), what a failing or malformed hook answers, and the outcome when
 * it agrees. The hooks (fixtures/flow-hooks.ts) pick their behaviour from the configuration they
 * are given, and record it in STATE.APP_STATE. Statuses are staged through the sandbox's back
 * door; the conformance table runs the codes on a real account too.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { renderConnector } from "../../generators/pipeline";
import { SandboxApp } from "../../sandbox/app";
import { tempDir } from "../helpers/tmp";

const ROOT = path.resolve(__dirname, "..", "..");
const S = (status: string, configurationStatus: string) => ({ status, configurationStatus });

let app: SandboxApp;
beforeAll(async () => {
  app = await SandboxApp.start(await renderConnector({ name: "FLOW", hooks: [path.join(__dirname, "fixtures", "flow-hooks.ts")], root: ROOT }));
}, 60_000);
afterAll(() => app?.close());

function stage(status: { status: string; configurationStatus: string }): void {
  app.writeStatus(status);
  app.inspect("DELETE FROM STATE.APP_CONFIG");
  app.inspect("DELETE FROM STATE.APP_STATE WHERE KEY LIKE 'seen_%'");
}

/** What each hook recorded, by hook: only the hooks that ran. */
function seen(): Record<string, unknown> {
  const rows = app.inspect("SELECT KEY, VALUE FROM STATE.APP_STATE WHERE KEY LIKE 'seen_%' ORDER BY KEY");
  return Object.fromEntries(rows.map((r) => [String(r[0]).slice("seen_".length), (r[1] as { value: unknown }).value]));
}

function config(key: string): unknown {
  const rows = app.inspect("SELECT VALUE FROM STATE.APP_CONFIG WHERE KEY = ?", [key]);
  return rows.length === 0 ? undefined : rows[0][0];
}

const call = (procedure: string, argument: unknown) => app.call(procedure, "PARSE_JSON(?)", [JSON.stringify(argument)]);

describe("configure hooks (CONFIGURE_CONNECTOR_VALIDATE / _INTERNAL)", () => {
  it("receive the configuration; on OK it is saved and the configuration status moves to CONFIGURED", async () => {
    stage(S("CONFIGURING", "PREREQUISITES_DONE"));
    const given = { warehouse: "WH", destination_database: "DB", global_schedule: { scheduleType: "CRON", scheduleDefinition: "0 * * * *" } };
    expect(await call("CONFIGURE_CONNECTOR", given)).toEqual({ response_code: "OK", message: "Connector configured." });
    expect(seen()).toEqual({ configure_validate: given, configure_internal: given });
    expect(config("connector_configuration")).toEqual(given);
    expect(app.readStatus()).toEqual(S("CONFIGURING", "CONFIGURED"));
  });

  it("a validator's refusal is returned unchanged: nothing saved, the internal hook not called, the status kept", async () => {
    stage(S("CONFIGURING", "INSTALLED"));
    expect(await call("CONFIGURE_CONNECTOR", { warehouse: "refuse_validate" })).toEqual({ response_code: "REFUSED_VALIDATE", message: "Refused by validate.", hint: "fix it" });
    expect(Object.keys(seen())).toEqual(["configure_validate"]);
    expect(config("connector_configuration")).toBeUndefined();
    expect(app.readStatus()).toEqual(S("CONFIGURING", "INSTALLED"));
  });

  it("an internal hook's refusal is returned after the configuration was saved; the status does not move", async () => {
    stage(S("CONFIGURING", "INSTALLED"));
    expect(await call("CONFIGURE_CONNECTOR", { warehouse: "refuse_internal" })).toEqual({ response_code: "REFUSED_INTERNAL", message: "Refused by internal.", hint: "fix it" });
    expect(config("connector_configuration")).toEqual({ warehouse: "refuse_internal" });
    expect(app.readStatus()).toEqual(S("CONFIGURING", "INSTALLED"));
  });

  it("a failing or malformed hook answers UNKNOWN_SQL_ERROR or INVALID_RESPONSE naming it", async () => {
    stage(S("CONFIGURING", "INSTALLED"));
    const failed = (await call("CONFIGURE_CONNECTOR", { warehouse: "sql_error_validate" })) as { response_code: string; message: string };
    expect(failed.response_code).toBe("UNKNOWN_SQL_ERROR");
    expect(failed.message).toMatch(/^Calling PUBLIC\.CONFIGURE_CONNECTOR_VALIDATE\(\) failed with an SQL error: [\s\S]*DOES_NOT_EXIST/);
    expect(await call("CONFIGURE_CONNECTOR", { warehouse: "no_message_internal" })).toEqual({
      response_code: "INVALID_RESPONSE",
      message: 'PUBLIC.CONFIGURE_CONNECTOR_INTERNAL() answered {"response_code":"NOT_READY"}, which is not a valid response: an answer other than OK must carry a message.',
    });
    expect(app.readStatus()).toEqual(S("CONFIGURING", "INSTALLED"));
  });

  it("a connector already CONNECTED stays CONNECTED when reconfigured", async () => {
    stage(S("CONFIGURING", "CONNECTED"));
    expect(await call("CONFIGURE_CONNECTOR", { warehouse: "WH2" })).toMatchObject({ response_code: "OK" });
    expect(app.readStatus()).toEqual(S("CONFIGURING", "CONNECTED"));
    expect(app.lastCall("CONFIGURE_CONNECTOR")!.statements).toHaveLength(4);
  });

  it("keys outside the connector configuration are refused before any hook runs", async () => {
    stage(S("CONFIGURING", "INSTALLED"));
    expect(await call("CONFIGURE_CONNECTOR", { warehouse: "WH", endpoint: "x", api_key: "y" })).toEqual({
      response_code: "CONNECTOR_CONFIGURATION_PARSING_ERROR",
      message:
        "The connector configuration does not accept the fields api_key, endpoint; its fields are warehouse, destination_database, destination_schema, data_owner_role, operational_warehouse, global_schedule, agent_username, agent_role, cortex_warehouse, cortex_user_role.",
    });
    expect(seen()).toEqual({});
  });
});

describe("connection hooks (SET_CONNECTION_CONFIGURATION_VALIDATE / _INTERNAL, TEST_CONNECTION)", () => {
  it("on OK: saved, internal and TEST_CONNECTION called, TEST_CONNECTION's answer returned, CONNECTED", async () => {
    stage(S("CONFIGURING", "CONFIGURED"));
    const given = { mode: "plain", url: "https://x" };
    expect(await call("SET_CONNECTION_CONFIGURATION", given)).toEqual({ response_code: "OK", message: "Reached https://x." });
    expect(seen()).toEqual({ connection_validate: given, connection_internal: given, test_connection: given });
    expect(config("connection_configuration")).toEqual(given);
    expect(app.readStatus()).toEqual(S("CONFIGURING", "CONNECTED"));
    expect(await app.call("GET_CONNECTION_CONFIGURATION")).toEqual({ ...given, response_code: "OK" });
  });

  it("a validator may rewrite the configuration (okWithConfig): the rewritten one is saved and given to the internal hook", async () => {
    stage(S("CONFIGURING", "CONFIGURED"));
    expect(await call("SET_CONNECTION_CONFIGURATION", { mode: "rewrite", url: "https://x", token: "secret" })).toEqual({ response_code: "OK", message: "Reached https://x/v2." });
    const rewritten = { mode: "rewritten", url: "https://x/v2" };
    expect(config("connection_configuration")).toEqual(rewritten);
    expect(seen().connection_internal).toEqual(rewritten);
  });

  it("a rewritten configuration that is not an object is an INVALID_RESPONSE, and nothing is saved", async () => {
    stage(S("CONFIGURING", "CONFIGURED"));
    expect(await call("SET_CONNECTION_CONFIGURATION", { mode: "rewrite_to_text" })).toEqual({
      response_code: "INVALID_RESPONSE",
      message: expect.stringMatching(/^PUBLIC\.SET_CONNECTION_CONFIGURATION_VALIDATE\(\) answered \{.*"config":"not an object".*\}, which is not a valid response: the configuration it gives in config is not a JSON object\.$/),
    });
    expect(config("connection_configuration")).toBeUndefined();
  });

  it("a validator's refusal: nothing saved, nothing else called, the status kept", async () => {
    stage(S("CONFIGURING", "CONFIGURED"));
    expect(await call("SET_CONNECTION_CONFIGURATION", { mode: "refuse_validate" })).toEqual({ response_code: "REFUSED_VALIDATE", message: "Refused by validate.", hint: "fix it" });
    expect(Object.keys(seen())).toEqual(["connection_validate"]);
    expect(config("connection_configuration")).toBeUndefined();
    expect(app.readStatus()).toEqual(S("CONFIGURING", "CONFIGURED"));
  });

  it("an internal hook's refusal: saved, TEST_CONNECTION not called, the status kept", async () => {
    stage(S("CONFIGURING", "CONFIGURED"));
    expect(await call("SET_CONNECTION_CONFIGURATION", { mode: "refuse_internal" })).toMatchObject({ response_code: "REFUSED_INTERNAL" });
    expect(Object.keys(seen())).toEqual(["connection_internal", "connection_validate"]);
    expect(config("connection_configuration")).toEqual({ mode: "refuse_internal" });
    expect(app.readStatus()).toEqual(S("CONFIGURING", "CONFIGURED"));
  });

  it("a failed test keeps the saved configuration and the configuration status, and is returned as it answered", async () => {
    stage(S("CONFIGURING", "CONFIGURED"));
    expect(await call("SET_CONNECTION_CONFIGURATION", { mode: "refuse_test" })).toEqual({ response_code: "REFUSED_TEST", message: "Refused by test.", hint: "fix it" });
    expect(config("connection_configuration")).toEqual({ mode: "refuse_test" });
    expect(app.readStatus()).toEqual(S("CONFIGURING", "CONFIGURED"));
    // From CONNECTED a failed test does not move the connector back either.
    stage(S("CONFIGURING", "CONNECTED"));
    expect(await call("SET_CONNECTION_CONFIGURATION", { mode: "refuse_test" })).toMatchObject({ response_code: "REFUSED_TEST" });
    expect(app.readStatus()).toEqual(S("CONFIGURING", "CONNECTED"));
  });

  it("a test that fails with an SQL error answers UNKNOWN_SQL_ERROR naming TEST_CONNECTION", async () => {
    stage(S("CONFIGURING", "CONFIGURED"));
    const answer = (await call("SET_CONNECTION_CONFIGURATION", { mode: "sql_error_test" })) as { response_code: string; message: string };
    expect(answer.response_code).toBe("UNKNOWN_SQL_ERROR");
    expect(answer.message).toMatch(/^Calling PUBLIC\.TEST_CONNECTION\(\) failed with an SQL error:/);
    expect(app.readStatus()).toEqual(S("CONFIGURING", "CONFIGURED"));
  });
});

describe("finalize hooks (FINALIZE_CONNECTOR_CONFIGURATION_VALIDATE, VALIDATE_SOURCE, _INTERNAL)", () => {
  it("on OK: all three receive the custom configuration in order, the internal hook's whole answer is returned, STARTED / FINALIZED", async () => {
    stage(S("CONFIGURING", "CONNECTED"));
    const given = { mode: "plain", source: "acme" };
    expect(await call("FINALIZE_CONNECTOR_CONFIGURATION", given)).toEqual({ response_code: "OK", message: "Finalized acme.", tasks: ["INGEST"] });
    expect(seen()).toEqual({ finalize_validate: given, validate_source: given, finalize_internal: given });
    expect(app.readStatus()).toEqual(S("STARTED", "FINALIZED"));
    const calls = app.sandbox.calls.slice(app.sandbox.calls.lastIndexOf(app.lastCall("FINALIZE_CONNECTOR_CONFIGURATION")!) + 1).filter((c) => c.depth === 2);
    expect(calls.map((c) => c.procedure)).toEqual(["PUBLIC.FINALIZE_CONNECTOR_CONFIGURATION_VALIDATE", "PUBLIC.VALIDATE_SOURCE", "PUBLIC.FINALIZE_CONNECTOR_CONFIGURATION_INTERNAL"]);
  });

  it.each([
    ["the validator", "refuse_validate", "REFUSED_VALIDATE", ["finalize_validate"]],
    ["VALIDATE_SOURCE", "refuse_source", "REFUSED_SOURCE", ["finalize_validate", "validate_source"]],
    ["the internal hook", "refuse_internal", "REFUSED_INTERNAL", ["finalize_internal", "finalize_validate", "validate_source"]],
  ])("a refusal by %s is returned unchanged, the later hooks are not called and the status is kept", async (_label, mode, code, ran) => {
    stage(S("CONFIGURING", "CONNECTED"));
    expect(await call("FINALIZE_CONNECTOR_CONFIGURATION", { mode })).toEqual({ response_code: code, message: expect.stringMatching(/^Refused by /), hint: "fix it" });
    expect(Object.keys(seen()).sort()).toEqual(ran);
    expect(app.readStatus()).toEqual(S("CONFIGURING", "CONNECTED"));
  });

  it("a custom configuration that is not an object is INVALID_INPUT, before any hook", async () => {
    stage(S("CONFIGURING", "CONNECTED"));
    expect(await app.call("FINALIZE_CONNECTOR_CONFIGURATION", "NULL")).toEqual({
      response_code: "INVALID_INPUT",
      message: "FINALIZE_CONNECTOR_CONFIGURATION expects CUSTOM_CONFIGURATION to be a JSON object, got NULL.",
    });
    expect(seen()).toEqual({});
  });
});

describe("a flow hook replaced in SQL (an override in Snowflake Scripting, without $$)", () => {
  let scripted: SandboxApp;
  beforeAll(async () => {
    const dir = tempDir("floe-flow-override-");
    const file = path.join(dir, "validate_source.sql");
    fs.writeFileSync(
      file,
      `CREATE OR REPLACE PROCEDURE PUBLIC.VALIDATE_SOURCE(CUSTOM_CONFIGURATION VARIANT)
    RETURNS VARIANT
    LANGUAGE SQL
    EXECUTE AS OWNER
    AS
    BEGIN
        IF (CUSTOM_CONFIGURATION:source IS NULL) THEN
            RETURN OBJECT_CONSTRUCT('response_code', 'SOURCE_MISSING', 'message', 'Name the source.');
        END IF;
        RETURN OBJECT_CONSTRUCT('response_code', 'OK');
    END;
`,
    );
    scripted = await SandboxApp.start(await renderConnector({ name: "FLOW_SQL", root: ROOT, overrides: [{ procedure: "PUBLIC.VALIDATE_SOURCE", file }] }));
  }, 60_000);
  afterAll(() => scripted?.close());

  it("receives the custom configuration and its refusal is returned", async () => {
    scripted.writeStatus(S("CONFIGURING", "CONNECTED"));
    expect(await scripted.call("FINALIZE_CONNECTOR_CONFIGURATION", "PARSE_JSON(?)", ["{}"])).toEqual({ response_code: "SOURCE_MISSING", message: "Name the source." });
    expect(scripted.readStatus()).toEqual(S("CONFIGURING", "CONNECTED"));
    expect(await scripted.call("FINALIZE_CONNECTOR_CONFIGURATION", "PARSE_JSON(?)", ['{"source":"x"}'])).toEqual({ response_code: "OK" });
    expect(scripted.readStatus()).toEqual(S("STARTED", "FINALIZED"));
  });
});
