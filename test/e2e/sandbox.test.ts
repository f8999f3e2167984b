/**
 * The sandbox's own promises, through snowflake-sdk: custom hooks running, strictness (a test
 * per class of unsupported statement), and setup failures naming file and line. Statement counts
 * with Task Reactor and a scheduler are in task-reactor.test.ts.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import example from "../../connector";
import { renderConnector } from "../../generators/pipeline";
import { SandboxApp } from "../../sandbox/app";
import { deployBundle } from "../../snowflake/deploy";
import { runnerOf } from "../../snowflake/driver";
import { SnowflakeFacade } from "../../snowflake/facade";
import { executeError } from "../helpers/driver";

describe("the example connector's hooks", () => {
  let app: SandboxApp;
  beforeAll(async () => {
    app = await SandboxApp.start(await renderConnector(example));
  });
  afterAll(() => app?.close());

  it("run inside the procedures: the validator reads the configuration, the callback writes a row", async () => {
    app.writeStatus({ status: "PAUSED", configurationStatus: "FINALIZED" });
    expect(await app.call("RESUME_CONNECTOR")).toEqual({
      response_code: "CONFIGURATION_MISSING",
      message: "Configure the connector before resuming it; missing: connector_configuration, connection_configuration.",
    });
    app.writeConfig("connector_configuration", { warehouse: "WH" });
    app.writeConfig("connection_configuration", { url: "https://x" });
    expect(await app.call("RESUME_CONNECTOR")).toEqual({ response_code: "OK", message: "Connector successfully resumed." });
    const event = app.inspect("SELECT VALUE FROM STATE.APP_STATE WHERE KEY = 'last_lifecycle_event'");
    expect(event).toEqual([[{ event: "resumed" }]]);
  });

  it.each([
    ["a warehouse", "CREATE WAREHOUSE WH", "the statement CREATE WAREHOUSE WH ..."],
    ["COPY INTO", "COPY INTO T FROM @S", "the statement COPY INTO T ..."],
    ["ALTER TABLE", "ALTER TABLE T ADD COLUMN C INT", "the statement ALTER TABLE T ..."],
    ["a Python procedure", "CREATE PROCEDURE SANDBOX_DB.PUBLIC.P() RETURNS STRING LANGUAGE PYTHON RUNTIME_VERSION = '3.11' PACKAGES = ('snowflake-snowpark-python') HANDLER = 'h' AS $$x$$", "LANGUAGE PYTHON procedures"],
    ["a window function", "SELECT ROW_NUMBER() OVER (ORDER BY 1) AS R", "window"],
    ["an unknown function", "SELECT REGEXP_REPLACE('a', 'b', 'c') AS R", "REGEXP_REPLACE"],
    ["a FLATTEN option", "SELECT F.VALUE FROM TABLE(FLATTEN(INPUT => PARSE_JSON('[1]'), RECURSIVE => TRUE)) F", "FLATTEN argument RECURSIVE"],
    ["a stage option", "CREATE STAGE SANDBOX_DB.PUBLIC.S FILE_FORMAT = (TYPE = CSV)", "the CREATE STAGE option FILE_FORMAT"],
    ["SHOW WAREHOUSES", "SHOW WAREHOUSES", "SHOW WAREHOUSES"],
    ["GET", "GET @SANDBOX_DB.PUBLIC.S file:///tmp/x", "the statement GET"],
    ["an application from a stage", "CREATE APPLICATION DEV FROM APPLICATION PACKAGE EXAMPLE_CONNECTOR_PKG", "applications without USING VERSION"],
  ])("refuses %s loudly", async (_label, sql, detail) => {
    await app.query("CREATE DATABASE IF NOT EXISTS SANDBOX_DB");
    const error = await executeError(app.connection, sql);
    expect(error.message).toMatch(/^(SQL compilation error:\n)?unsupported by the floe sandbox: /);
    expect(error.message).toContain(detail);
    expect(String(error.code)).toBe("000002");
  });

  it("installs a bundle in one round trip per statement and one PUT per stage directory, and stages every file", async () => {
    const rendered = await renderConnector(example);
    const sent: string[] = [];
    const runner = runnerOf(app.connection);
    const counting = new SnowflakeFacade({ execute: (sql, binds) => (sent.push(sql), runner.execute(sql, binds)), close: () => runner.close() }, { role: "ACCOUNTADMIN" });
    const target = { packageName: "COUNTED_PKG", applicationName: "COUNTED_APP", version: "V1", privileges: ["EXECUTE TASK"] };
    await deployBundle(counting, rendered.bundle, target);
    const directories = new Set([...rendered.bundle.keys()].map((f) => (f.includes("/") ? f.slice(0, f.lastIndexOf("/")) : "")));
    expect(rendered.bundle.size).toBeGreaterThan(directories.size);
    const puts = sent.filter((s) => s.startsWith("PUT "));
    expect(puts).toHaveLength(directories.size);
    // Lookups (package, staged files, versions, application), the package with its schema and
    // stage, the PUTs, the version, the application and one grant per privilege.
    expect(sent).toHaveLength(4 + 3 + directories.size + 1 + 1 + target.privileges.length);
    const staged = (await app.query("LIST '@COUNTED_PKG.FLOE.BUNDLE/app/'")).map((r) => String(r.name).replace(/^bundle\/app\//, ""));
    expect(staged.sort()).toEqual([...rendered.bundle.keys()].sort());
    expect(await app.query("SHOW APPLICATIONS LIKE 'COUNTED_APP'")).toHaveLength(1);
  });

  it("fails the install with the file and line of a failing setup statement, and creates nothing", async () => {
    const broken = await renderConnector(example);
    const bundle = new Map(broken.bundle);
    bundle.set("configuration/app_config.sql", bundle.get("configuration/app_config.sql")!.replace("FROM STATE.APP_CONFIG AS C,", "FROM STATE.NO_SUCH_TABLE AS C,"));
    const target = { packageName: "BROKEN_PKG", applicationName: "BROKEN_APP", version: "V1", privileges: [] };
    await expect(deployBundle(app.facade, bundle, target)).rejects.toThrow(
      /Setup script of application BROKEN_APP failed: configuration\/app_config\.sql:\d+: SQL compilation error:\sObject 'BROKEN_APP\.STATE\.NO_SUCH_TABLE' does not exist or not authorized\./,
    );
    expect(await app.query("SHOW APPLICATIONS LIKE 'BROKEN_APP'")).toEqual([]);
    expect(await app.query("SHOW SCHEMAS IN DATABASE BROKEN_APP").catch((e: Error) => e.message)).toMatch(/does not exist/);
  });
});
