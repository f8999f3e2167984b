/**
 * The rendered app installed and run for real, through snowflake-sdk: in the embedded sandbox,
 * and on a real account when SNOWFLAKE_* settings are present (skipped otherwise). Tests that
 * stage a status or configuration through the sandbox's back door run in the sandbox only.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import example from "../../connector";
import { renderConnector, type RenderedApp } from "../../generators/pipeline";
import { ACCOUNT_SKIP_REASON } from "../helpers/account";
import { install, TARGETS, type InstalledApp } from "../helpers/targets";
import { tempDir } from "../helpers/tmp";

const ROOT = path.resolve(__dirname, "..", "..");
const SCRIPTED = path.join(ROOT, "test", "fixtures", "hooks", "scripted.ts");

let exampleApp: RenderedApp;
let scriptedApp: RenderedApp;
beforeAll(async () => {
  exampleApp = await renderConnector(example);
  scriptedApp = await renderConnector({ name: "SCRIPTED", hooks: [SCRIPTED], root: ROOT });
});

const STATUS = (status: string, configurationStatus = "FINALIZED") => ({ status, configurationStatus });

describe.each(TARGETS)("on $name", ({ name: target, available }) => {
  describe.skipIf(!available)(available ? "the example connector" : `the example connector (${ACCOUNT_SKIP_REASON})`, () => {
    let app: InstalledApp;
    beforeAll(async () => {
      app = await install(target, exampleApp, []);
    });
    afterAll(() => app?.close());

    const status = () => app.call("GET_CONNECTOR_STATUS");

    it("is deployed from the package: version V1, patch 0, every file staged, the procedures created", async () => {
      const apps = await app.query(`SHOW APPLICATIONS LIKE '${app.name}'`);
      expect(apps).toHaveLength(1);
      expect(apps[0]).toMatchObject({ name: app.name, version: "V1", patch: 0 });
      const procedures = (await app.query(`SHOW PROCEDURES IN APPLICATION ${app.name}`)).map((r) => r.name).sort();
      expect(procedures).toEqual(exampleApp.model.procedures.map((p) => p.name).sort());
      expect(await status()).toEqual({ response_code: "OK", ...STATUS("CONFIGURING", "INSTALLED") });
    });

    it("walks install → prerequisites → configure → connection → finalize → pause → resume", async () => {
      const ok = (message: string) => ({ response_code: "OK", message });
      const prerequisites = await app.query(`SELECT ID, IS_COMPLETED FROM ${app.name}.PUBLIC.PREREQUISITES`);
      expect(prerequisites).toEqual([
        { ID: "warehouse", IS_COMPLETED: false },
        { ID: "api_secret", IS_COMPLETED: false },
      ]);
      expect(await app.call("UPDATE_PREREQUISITE", "?, ?", ["warehouse", true])).toEqual(ok("Prerequisite 'warehouse' is now marked as completed."));
      expect(await app.call("MARK_ALL_PREREQUISITES_AS_DONE")).toEqual(ok("All prerequisites are marked as done."));
      expect(await status()).toEqual({ response_code: "OK", ...STATUS("CONFIGURING", "INSTALLED") });
      expect(await app.call("COMPLETE_PREREQUISITES_STEP")).toEqual(ok("Prerequisites step completed."));
      expect(await status()).toEqual({ response_code: "OK", ...STATUS("CONFIGURING", "PREREQUISITES_DONE") });

      // hooks/configure.ts refuses a configuration without a destination database.
      expect(await app.call("CONFIGURE_CONNECTOR", "PARSE_JSON(?)", ['{"warehouse":"WH"}'])).toEqual({
        response_code: "INVALID_CONFIGURATION",
        message: "Give destination_database as a Snowflake identifier (letters, digits and _).",
      });
      expect(await app.call("CONFIGURE_CONNECTOR", "PARSE_JSON(?)", ['{"warehouse":"WH","destination_database":"DB"}'])).toEqual(ok("Connector configured."));
      expect(await status()).toEqual({ response_code: "OK", ...STATUS("CONFIGURING", "CONFIGURED") });

      // hooks/connection.ts saves the configuration without the token, and TEST_CONNECTION answers.
      const connection = { endpoint: "https://x/", secret: "API_SECRET", token: "t0ken" };
      expect(await app.call("SET_CONNECTION_CONFIGURATION", "PARSE_JSON(?)", [JSON.stringify(connection)])).toEqual(ok("Connection to https://x checked."));
      expect(await status()).toEqual({ response_code: "OK", ...STATUS("CONFIGURING", "CONNECTED") });
      expect(await app.call("GET_CONNECTION_CONFIGURATION")).toEqual({ response_code: "OK", endpoint: "https://x", secret: "API_SECRET" });

      // hooks/finalize.ts: VALIDATE_SOURCE refuses, then the internal hook's answer is FINALIZE's.
      expect(await app.call("FINALIZE_CONNECTOR_CONFIGURATION", "PARSE_JSON(?)", ['{"resources":["acme/orders","Bad"]}'])).toEqual({
        response_code: "UNKNOWN_RESOURCES",
        message: "These are not owner/name resources: Bad.",
      });
      expect(await app.call("FINALIZE_CONNECTOR_CONFIGURATION", "PARSE_JSON(?)", ['{"resources":["acme/orders"]}'])).toEqual(ok("Ingestion of 1 resources is set up."));
      expect(await status()).toEqual({ response_code: "OK", ...STATUS("STARTED") });

      // Without EXECUTE TASK neither pause nor resume may run.
      expect(await app.call("PAUSE_CONNECTOR")).toEqual({
        response_code: "REQUIRED_PRIVILEGES_MISSING",
        message:
          "The application lacks account privileges this operation needs: EXECUTE TASK. The consumer grants them with GRANT <privilege> ON ACCOUNT TO APPLICATION <application>.",
      });
      await app.query(`GRANT EXECUTE TASK ON ACCOUNT TO APPLICATION ${app.name}`);
      expect(await app.call("RESUME_CONNECTOR")).toEqual({
        response_code: "INVALID_CONNECTOR_STATUS",
        message: "RESUME_CONNECTOR needs the connector status to be one of [PAUSED, STARTING]; it is STARTED.",
      });
      expect(await app.call("PAUSE_CONNECTOR")).toEqual(ok("Connector successfully paused."));
      expect(await status()).toEqual({ response_code: "OK", ...STATUS("PAUSED") });
      expect(await app.call("RESUME_CONNECTOR")).toEqual(ok("Connector successfully resumed."));
      expect(await status()).toEqual({ response_code: "OK", ...STATUS("STARTED") });
      const config = await app.query(`SELECT CONFIG_GROUP, CONFIG_KEY, VALUE FROM ${app.name}.PUBLIC.CONNECTOR_CONFIGURATION ORDER BY CONFIG_GROUP, CONFIG_KEY`);
      expect(config).toEqual([
        { CONFIG_GROUP: "connection_configuration", CONFIG_KEY: "endpoint", VALUE: "https://x" },
        { CONFIG_GROUP: "connection_configuration", CONFIG_KEY: "secret", VALUE: "API_SECRET" },
        { CONFIG_GROUP: "connector_configuration", CONFIG_KEY: "destination_database", VALUE: "DB" },
        { CONFIG_GROUP: "connector_configuration", CONFIG_KEY: "warehouse", VALUE: "WH" },
        { CONFIG_GROUP: "ingestion_scope", CONFIG_KEY: "resources", VALUE: '["acme/orders"]' },
      ]);
    });

    it("keeps the hooks to itself: RESUME_CONNECTOR_VALIDATE cannot be called from outside", async () => {
      await expect(app.query(`CALL ${app.name}.PUBLIC.RESUME_CONNECTOR_VALIDATE()`)).rejects.toThrow(/Unknown function|does not exist/);
    });

    it("upgrades to a new patch and keeps the status and the configuration", async () => {
      const dir = tempDir("floe-upgrade-");
      fs.mkdirSync(path.join(dir, "hooks"));
      for (const file of example.hooks ?? []) fs.copyFileSync(path.join(ROOT, file), path.join(dir, file));
      fs.writeFileSync(path.join(dir, "hooks", "resume.ts"), fs.readFileSync(path.join(ROOT, "hooks", "resume.ts"), "utf8").replace('ok("Ingestion resumed.")', 'ok("Ingestion resumed, patched.")'));
      const patched = await renderConnector({ ...example, root: dir });
      const changed = [...patched.bundle.keys()].filter((f) => patched.bundle.get(f) !== exampleApp.bundle.get(f));
      expect(changed).toEqual(["setup.sql"]);
      const before = await status();
      expect(await app.redeploy(patched)).toEqual({ patch: 1 });
      expect((await app.query(`SHOW APPLICATIONS LIKE '${app.name}'`))[0]).toMatchObject({ version: "V1", patch: 1 });
      expect(await status()).toEqual(before);
      expect((await app.query(`SELECT COUNT(*) AS N FROM ${app.name}.PUBLIC.CONNECTOR_CONFIGURATION`))[0].N).toBe(5);
      // The consumer's ticks survive the upgrade's reseeding of the prerequisites.
      expect(await app.query(`SELECT ID, IS_COMPLETED FROM ${app.name}.PUBLIC.PREREQUISITES`)).toEqual([
        { ID: "warehouse", IS_COMPLETED: true },
        { ID: "api_secret", IS_COMPLETED: true },
      ]);
      expect(await app.call("PAUSE_CONNECTOR")).toMatchObject({ response_code: "OK" });
      expect(await app.call("RESUME_CONNECTOR")).toEqual({ response_code: "OK", message: "Connector successfully resumed." });
    });
  });

  describe.skipIf(!available)(available ? "every response code" : `every response code (${ACCOUNT_SKIP_REASON})`, () => {
    let app: InstalledApp;
    beforeAll(async () => {
      app = await install(target, scriptedApp);
    });
    afterAll(() => app?.close());
    const sandboxOnly = target !== "sandbox";

    /** Stages status and hook modes through the sandbox's back door. */
    function stage(status: unknown, modes: string[] = []): void {
      const sandbox = app.sandbox!;
      sandbox.writeStatus(status);
      sandbox.inspect("DELETE FROM STATE.APP_CONFIG");
      for (const mode of modes) sandbox.writeConfig(mode, {});
    }
    const raw = () => app.sandbox!.readStatus();

    it.skipIf(sandboxOnly)("succeeds in 5 statements and records them", async () => {
      stage(STATUS("PAUSED"));
      expect(await app.call("RESUME_CONNECTOR")).toEqual({ response_code: "OK", message: "Connector successfully resumed." });
      expect(raw()).toEqual(STATUS("STARTED"));
      expect(app.sandbox!.lastCall("RESUME_CONNECTOR")!.statements).toHaveLength(5);
      expect(await app.call("PAUSE_CONNECTOR")).toEqual({ response_code: "OK", message: "Connector successfully paused." });
      expect(app.sandbox!.lastCall("PAUSE_CONNECTOR")!.statements).toHaveLength(5);
    });

    it.skipIf(sandboxOnly)("CONNECTOR_STATUS_NOT_FOUND without a status row", async () => {
      stage(undefined);
      expect(await app.call("RESUME_CONNECTOR")).toEqual({
        response_code: "CONNECTOR_STATUS_NOT_FOUND",
        message: "Connector status not found: STATE.APP_STATE has no 'connector_status' row.",
      });
    });

    it.skipIf(sandboxOnly)("INTERNAL_ERROR for an unreadable status value", async () => {
      stage({ status: "SLEEPING" });
      expect(await app.call("PAUSE_CONNECTOR")).toEqual({
        response_code: "INTERNAL_ERROR",
        message: 'The connector status stored in STATE.APP_STATE cannot be read: {"status":"SLEEPING"}',
      });
    });

    it.skipIf(sandboxOnly)("the validator's own error, unchanged", async () => {
      stage(STATUS("PAUSED"), ["validate_error"]);
      expect(await app.call("RESUME_CONNECTOR")).toEqual({ response_code: "WAREHOUSE_MISSING", message: "Configure a warehouse before resuming." });
      expect(raw()).toEqual(STATUS("PAUSED"));
    });

    it.skipIf(sandboxOnly)("UNKNOWN_SQL_ERROR when the validator fails with an SQL error", async () => {
      stage(STATUS("PAUSED"), ["validate_sql_error"]);
      const answer = (await app.call("RESUME_CONNECTOR")) as { response_code: string; message: string };
      expect(answer.response_code).toBe("UNKNOWN_SQL_ERROR");
      expect(answer.message).toContain("Calling PUBLIC.RESUME_CONNECTOR_VALIDATE() failed with an SQL error:");
      expect(answer.message).toContain("STATE.DOES_NOT_EXIST");
      expect(raw()).toEqual(STATUS("PAUSED"));
    });

    it.skipIf(sandboxOnly)("ROLLBACK restores the status", async () => {
      stage(STATUS("PAUSED"), ["internal_rollback"]);
      expect(await app.call("RESUME_CONNECTOR")).toEqual({ response_code: "ROLLBACK", message: "Could not start the tasks; undone." });
      expect(raw()).toEqual(STATUS("PAUSED"));
      stage(STATUS("STARTED"), ["internal_rollback"]);
      expect(await app.call("PAUSE_CONNECTOR")).toEqual({ response_code: "ROLLBACK", message: "Could not start the tasks; undone." });
      expect(raw()).toEqual(STATUS("STARTED"));
    });

    it.skipIf(sandboxOnly)("UNKNOWN_ERROR and status ERROR on a callback error code or exception", async () => {
      stage(STATUS("PAUSED"), ["internal_error"]);
      expect(await app.call("RESUME_CONNECTOR")).toMatchObject({
        response_code: "UNKNOWN_ERROR",
        message: expect.stringContaining("(PUBLIC.RESUME_CONNECTOR_INTERNAL() answered TASK_FAILED: Task INGEST is missing.)"),
      });
      expect(raw()).toEqual(STATUS("ERROR"));
      stage(STATUS("PAUSED"), ["internal_exception"]);
      const answer = (await app.call("RESUME_CONNECTOR")) as { response_code: string; message: string };
      expect(answer.response_code).toBe("UNKNOWN_ERROR");
      expect(answer.message).toContain("PUBLIC.RESUME_CONNECTOR_INTERNAL() answered UNKNOWN_SQL_ERROR: Calling PUBLIC.RESUME_CONNECTOR_INTERNAL() failed with an SQL error: JavaScript execution error: Uncaught Division by zero");
      expect(raw()).toEqual(STATUS("ERROR"));
      // RECOVER_CONNECTOR_STATE is the way out.
      expect(await app.call("RECOVER_CONNECTOR_STATE", "?", ["PAUSED"])).toEqual({ response_code: "OK", message: "Connector status recovered: it is now PAUSED." });
      expect(raw()).toEqual(STATUS("PAUSED"));
    });

    it.skipIf(sandboxOnly)("resumes again from STARTING, and GET_CONNECTOR_STATUS reports STARTING as PAUSED", async () => {
      stage(STATUS("STARTING"));
      expect(await app.call("GET_CONNECTOR_STATUS")).toEqual({ response_code: "OK", ...STATUS("PAUSED") });
      expect(await app.call("RESUME_CONNECTOR")).toEqual({ response_code: "OK", message: "Connector successfully resumed." });
      expect(raw()).toEqual(STATUS("STARTED"));
      stage(STATUS("PAUSING"));
      expect(await app.call("GET_CONNECTOR_STATUS")).toEqual({ response_code: "OK", ...STATUS("STARTED") });
    });

    it("REQUIRED_PRIVILEGES_MISSING once EXECUTE TASK is revoked, and INVALID_CONNECTOR_STATUS for a wrong status", async () => {
      if (app.sandbox !== undefined) stage(STATUS("STARTED"));
      else {
        await app.call("MARK_ALL_PREREQUISITES_AS_DONE");
        await app.call("CONFIGURE_CONNECTOR", "PARSE_JSON('{}')");
        await app.call("SET_CONNECTION_CONFIGURATION", "PARSE_JSON('{}')");
        await app.call("FINALIZE_CONNECTOR_CONFIGURATION", "PARSE_JSON('{}')");
      }
      expect(await app.call("RESUME_CONNECTOR")).toMatchObject({ response_code: "INVALID_CONNECTOR_STATUS" });
      await app.query(`REVOKE EXECUTE TASK ON ACCOUNT FROM APPLICATION ${app.name}`);
      expect(await app.call("PAUSE_CONNECTOR")).toMatchObject({ response_code: "REQUIRED_PRIVILEGES_MISSING" });
      await app.query(`GRANT EXECUTE TASK ON ACCOUNT TO APPLICATION ${app.name}`);
      expect(await app.call("PAUSE_CONNECTOR")).toMatchObject({ response_code: "OK" });
    });
  });
});
