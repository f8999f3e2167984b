/**
 * Application roles enforced as Snowflake enforces them, through the real driver: a consumer
 * session sees only what the application granted to the application roles it holds (granted
 * with GRANT APPLICATION ROLE, or held as the application's owner); nobody outside the
 * application reads, writes or replaces its internal objects; RESUME and PAUSE need ADMIN, and
 * a VIEWER gets Snowflake's insufficient-privileges error (003001, SQL state 42501).
 */
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { statements } from "../../snowflake/statements";
import { renderConnector } from "../../generators/pipeline";
import { SandboxApp } from "../../sandbox/app";
import { connect, destroy, execute, type Connection, type DriverError } from "../../snowflake/driver";
import { executeError } from "../helpers/driver";
import { privateTmpdir } from "./helpers";

privateTmpdir();
const ROOT = path.resolve(__dirname, "..", "..");
const STATUS = (status: string) => ({ status, configurationStatus: "FINALIZED" });

let app: SandboxApp;
const sessions: Record<string, Connection> = {};
const connections: Connection[] = [];

async function as(role: string): Promise<Connection> {
  const c = await connect({ ...app.server.connectionOptions(), role });
  connections.push(c);
  return c;
}

beforeAll(async () => {
  const rendered = await renderConnector({ name: "GUARDED", hooks: [path.join(ROOT, "test", "fixtures", "hooks", "scripted.ts")], root: ROOT });
  app = await SandboxApp.start(rendered, { privileges: ["EXECUTE TASK"] });
  for (const role of ["OPERATOR", "WATCHER", "OUTSIDER"]) await app.query(`CREATE ROLE ${role}`);
  await app.query(`GRANT APPLICATION ROLE ${app.name}.ADMIN TO ROLE OPERATOR`);
  await app.query(`GRANT APPLICATION ROLE ${app.name}.VIEWER TO ROLE WATCHER`);
  sessions.owner = app.connection;
  sessions.admin = await as("OPERATOR");
  sessions.viewer = await as("WATCHER");
  sessions.outsider = await as("OUTSIDER");
});
afterAll(async () => {
  for (const c of connections) await destroy(c).catch(() => undefined);
  await app?.close();
});

const call = (session: string, procedure: string, args = "") => execute(sessions[session], `CALL ${app.name}.PUBLIC.${procedure}(${args})`).then((r) => r.rows[0]?.[procedure]);
const fails = (session: string, sql: string): Promise<DriverError> => executeError(sessions[session], sql);

function expectAccessDenied(error: DriverError, what: string): void {
  expect(String(error.code)).toBe("003001");
  expect(error.sqlState).toBe("42501");
  expect(error.message).toBe(`SQL access control error:\nInsufficient privileges to operate on ${what}.`);
}

function expectInvisible(error: DriverError, pattern: RegExp): void {
  expect(["002003", "002140"]).toContain(String(error.code));
  expect(error.message).toMatch(pattern);
}

describe("RESUME and PAUSE", () => {
  it("are refused to a VIEWER with 003001, and the status stays", async () => {
    app.writeStatus(STATUS("PAUSED"));
    expectAccessDenied(await fails("viewer", `CALL ${app.name}.PUBLIC.RESUME_CONNECTOR()`), "procedure 'RESUME_CONNECTOR'");
    expect(app.readStatus()).toEqual(STATUS("PAUSED"));
    app.writeStatus(STATUS("STARTED"));
    expectAccessDenied(await fails("viewer", `CALL ${app.name}.PUBLIC.PAUSE_CONNECTOR()`), "procedure 'PAUSE_CONNECTOR'");
    expect(app.readStatus()).toEqual(STATUS("STARTED"));
    // What VIEWER was granted still works.
    expect(await call("viewer", "GET_CONNECTOR_STATUS")).toEqual({ response_code: "OK", ...STATUS("STARTED") });
    expect((await execute(sessions.viewer, `SELECT COUNT(*) AS N FROM ${app.name}.PUBLIC.CONNECTOR_CONFIGURATION`)).rows).toEqual([{ N: 0 }]);
  });

  it("run for a role granted ADMIN, and for the application's owner", async () => {
    app.writeStatus(STATUS("STARTED"));
    expect(await call("admin", "PAUSE_CONNECTOR")).toEqual({ response_code: "OK", message: "Connector successfully paused." });
    expect(await call("owner", "RESUME_CONNECTOR")).toEqual({ response_code: "OK", message: "Connector successfully resumed." });
    expect(app.readStatus()).toEqual(STATUS("STARTED"));
  });

  it("are unknown to a role holding no application role, as is everything of the application", async () => {
    expectInvisible(await fails("outsider", `CALL ${app.name}.PUBLIC.GET_CONNECTOR_STATUS()`), /Unknown function/);
    expectInvisible(await fails("outsider", `SELECT * FROM ${app.name}.PUBLIC.CONNECTOR_CONFIGURATION`), /does not exist or not authorized/);
    expectInvisible(await fails("outsider", `USE DATABASE ${app.name}`), /Application '.*' does not exist or not authorized/);
    expect((await execute(sessions.outsider, "SHOW APPLICATIONS")).rows).toEqual([]);
    expect((await execute(sessions.viewer, "SHOW APPLICATIONS")).rows.map((r) => r.name)).toEqual([app.name]);
  });

  it("follow the grants: a revoked application role takes its rights with it", async () => {
    await app.query(`REVOKE APPLICATION ROLE ${app.name}.VIEWER FROM ROLE WATCHER`);
    expectInvisible(await fails("viewer", `CALL ${app.name}.PUBLIC.GET_CONNECTOR_STATUS()`), /Unknown function/);
    await app.query(`GRANT APPLICATION ROLE ${app.name}.VIEWER TO ROLE WATCHER`);
    expect(await call("viewer", "GET_CONNECTOR_STATUS")).toMatchObject({ response_code: "OK" });
  });
});

describe("the application's internal objects, from outside", () => {
  const statements = () => {
    const a = app.name;
    return [
      ["read STATE.APP_STATE", `SELECT * FROM ${a}.STATE.APP_STATE`, "invisible"],
      ["change STATE.APP_STATE", `UPDATE ${a}.STATE.APP_STATE SET VALUE = PARSE_JSON('{"status":"STARTED"}')`, "invisible"],
      ["insert into STATE.APP_CONFIG", `INSERT INTO ${a}.STATE.APP_CONFIG (KEY, VALUE) SELECT 'internal_error', PARSE_JSON('{}')`, "invisible"],
      ["empty STATE.APP_STATE", `DELETE FROM ${a}.STATE.APP_STATE`, "invisible"],
      ["truncate STATE.APP_STATE", `TRUNCATE TABLE ${a}.STATE.APP_STATE`, "invisible"],
      ["drop STATE.APP_STATE", `DROP TABLE ${a}.STATE.APP_STATE`, "invisible"],
      ["replace STATE.APP_STATE", `CREATE OR REPLACE TABLE ${a}.STATE.APP_STATE (KEY STRING, VALUE VARIANT)`, "invisible"],
      ["create a table in STATE", `CREATE TABLE ${a}.STATE.EXTRA (X NUMBER)`, "invisible"],
      ["read through a view of its own", `CREATE VIEW ${a}.PUBLIC.PEEK AS SELECT * FROM ${a}.STATE.APP_STATE`, "schema 'PUBLIC'"],
      ["replace a granted view", `CREATE OR REPLACE VIEW ${a}.PUBLIC.CONNECTOR_CONFIGURATION AS SELECT 1 AS X`, "view 'CONNECTOR_CONFIGURATION'"],
      ["drop a granted view", `DROP VIEW ${a}.PUBLIC.CONNECTOR_CONFIGURATION`, "view 'CONNECTOR_CONFIGURATION'"],
      ["create a table in PUBLIC", `CREATE TABLE ${a}.PUBLIC.EXTRA (X NUMBER)`, "schema 'PUBLIC'"],
      [
        "replace a hook procedure",
        `CREATE OR REPLACE PROCEDURE ${a}.PUBLIC.RESUME_CONNECTOR_VALIDATE() RETURNS VARIANT LANGUAGE JAVASCRIPT AS $$ return { response_code: "OK" }; $$`,
        "schema 'PUBLIC'",
      ],
      ["replace an entry procedure", `CREATE OR REPLACE PROCEDURE ${a}.PUBLIC.RESUME_CONNECTOR() RETURNS VARIANT LANGUAGE JAVASCRIPT AS $$ return 1; $$`, "schema 'PUBLIC'"],
      ["drop a procedure", `DROP PROCEDURE ${a}.PUBLIC.RESUME_CONNECTOR()`, "schema 'PUBLIC'"],
      ["create a stage", `CREATE STAGE ${a}.PUBLIC.S`, "schema 'PUBLIC'"],
      ["create a task", `CREATE TASK ${a}.PUBLIC.T SCHEDULE = '1 MINUTE' AS SELECT 1`, "schema 'PUBLIC'"],
      ["create a schema", `CREATE SCHEMA ${a}.EXTRA`, `application '${a}'`],
      ["drop a schema", `DROP SCHEMA ${a}.STATE`, `application '${a}'`],
      ["call an internal hook", `CALL ${a}.PUBLIC.RESUME_CONNECTOR_VALIDATE()`, "invisible"],
    ] as const;
  };

  it.each(["owner", "admin", "viewer"])("are closed to the %s", async (session) => {
    const before = app.readStatus();
    for (const [what, sql, expected] of statements()) {
      const error = await fails(session, sql);
      if (expected === "invisible") expectInvisible(error, /does not exist or not authorized|Unknown function/);
      else expect(`${what}: ${String(error.code)} ${error.message}`).toBe(`${what}: 003001 SQL access control error:\nInsufficient privileges to operate on ${expected}.`);
    }
    // Nothing changed: the status, the procedures and what they answer.
    expect(app.readStatus()).toEqual(before);
    const procedures = (await app.query(`SHOW PROCEDURES IN APPLICATION ${app.name}`)).map((r) => r.name);
    expect(procedures).toContain("RESUME_CONNECTOR_VALIDATE");
    expect(procedures).toContain("RESUME_CONNECTOR");
    expect(app.inspect("SELECT COUNT(*) FROM STATE.APP_CONFIG")).toEqual([[0]]);
  });

  it("still run for the application itself: a resume after all those attempts works", async () => {
    app.writeStatus(STATUS("PAUSED"));
    expect(await call("admin", "RESUME_CONNECTOR")).toEqual({ response_code: "OK", message: "Connector successfully resumed." });
    expect(app.lastCall("RESUME_CONNECTOR")!.statements).toHaveLength(5);
  });
});

describe("what only the owner or ACCOUNTADMIN may do", () => {
  it("refuses to grant the application's roles, grant it account privileges, upgrade or drop it", async () => {
    const a = app.name;
    expectAccessDenied(await fails("admin", `GRANT APPLICATION ROLE ${a}.ADMIN TO ROLE OUTSIDER`), `application '${a}'`);
    expectAccessDenied(await fails("admin", `ALTER APPLICATION ${a} UPGRADE USING VERSION V1`), `application '${a}'`);
    expectAccessDenied(await fails("admin", `DROP APPLICATION ${a}`), `application '${a}'`);
    const grant = await fails("admin", `GRANT EXECUTE TASK ON ACCOUNT TO APPLICATION ${a}`);
    expect(String(grant.code)).toBe("003001");
    expect(grant.message).toContain("granting account privileges needs ACCOUNTADMIN");
    expect((await app.query(`SHOW APPLICATIONS LIKE '${a}'`)).length).toBe(1);
  });

  it("keeps the application package to its owner", async () => {
    const pkg = app.deployed.packageName;
    const stage = statements.stageLocation(pkg);
    for (const session of ["admin", "outsider"]) {
      expectInvisible(await fails(session, `LIST ${stage}`), /does not exist or not authorized/);
      expectInvisible(await fails(session, `ALTER APPLICATION PACKAGE ${pkg} ADD PATCH FOR VERSION V1 USING '${stage}'`), /does not exist or not authorized/);
      expectInvisible(await fails(session, `CREATE APPLICATION COPY_OF_IT FROM APPLICATION PACKAGE ${pkg} USING VERSION V1`), /does not exist or not authorized/);
      expect((await execute(sessions[session], "SHOW APPLICATION PACKAGES")).rows).toEqual([]);
    }
    expect((await app.query(`LIST ${stage}`)).length).toBeGreaterThan(0);
  });

  it("refuses a login with a role that does not exist", async () => {
    const error = (await connect({ ...app.server.connectionOptions(), role: "NO_SUCH_ROLE" }).then(
      () => undefined,
      (e: unknown) => e,
    )) as DriverError | undefined;
    expect(error?.message).toContain("Role 'NO_SUCH_ROLE' specified in the connect string does not exist or not authorized");
  });
});
