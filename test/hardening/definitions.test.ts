/**
 * Definitions that would render but not deploy: names as Snowflake resolves them, privileges a
 * manifest may request (Snowflake's documented list), and the override lint — what it refuses,
 * what it warns about, and what it must leave alone.
 */
import { describe, expect, it } from "vitest";
import { MANIFEST_PRIVILEGES, resolveDefinition } from "../../generators/definition";
import { lintOverride, isInternalProcedure } from "../../generators/override-lint";
import { splitStatements } from "../../sql/lexer";
import { readStatement } from "../../sql/statements";

const base = { name: "ORDERS_CONNECTOR" };

describe("connector names and versions", () => {
  it.each([
    [{ name: "orders" }, '[name] "orders" is not upper case: Snowflake reads an unquoted identifier as upper case (ORDERS)'],
    [{ name: "Orders_Connector" }, 'Write "ORDERS_CONNECTOR"'],
    [{ name: "A".repeat(252) }, "[name] is 252 characters long; Snowflake identifiers have at most 255 characters and the default package name adds _PKG, so it may have 251"],
    [{ name: "TABLE" }, '[name] "TABLE" is a reserved keyword'],
    [{ name: "1X" }, "[name] must be an identifier"],
    [{ name: "X-Y" }, "[name] must be an identifier"],
    [{ ...base, version: "v2" }, '[version] "v2" is not upper case'],
  ])("refuses %j", (definition, message) => {
    expect(() => resolveDefinition(definition)).toThrow(message);
  });

  it("accepts the longest name that still fits the package name, and names with $ and _", () => {
    expect(resolveDefinition({ name: "A".repeat(251) }).name).toHaveLength(251);
    expect(resolveDefinition({ name: "_MY$CONNECTOR_2" }).name).toBe("_MY$CONNECTOR_2");
  });
});

describe("manifest privileges", () => {
  it("accepts every privilege Snowflake lets a manifest request", () => {
    expect(resolveDefinition({ ...base, privileges: [...MANIFEST_PRIVILEGES] }).privileges).toEqual(MANIFEST_PRIVILEGES);
    expect(MANIFEST_PRIVILEGES).toContain("EXECUTE TASK");
    expect(MANIFEST_PRIVILEGES).toContain("IMPORTED PRIVILEGES ON SNOWFLAKE DB");
  });

  it.each(["LAUNCH MISSILES", "OWNERSHIP", "CREATE USER", "ALL PRIVILEGES"])("refuses %s", (privilege) => {
    expect(() => resolveDefinition({ ...base, privileges: [privilege] })).toThrow(`[privileges] "${privilege}" is not a privilege a Native App manifest can request`);
  });
});

function lint(sql: string) {
  const statements = splitStatements(sql).map((part) => ({ text: part.text, start: part.start, tokens: part.tokens, statement: readStatement(part.text, part.tokens) }));
  return lintOverride("/p/override.sql", sql, statements, "override.sql");
}

describe("the override lint", () => {
  it("refuses dropping or replacing STATE and what is in it, wherever the statement is", () => {
    for (const sql of [
      "DROP TABLE STATE.APP_STATE;",
      "drop table if exists state.app_config;",
      'DROP VIEW "STATE".CONNECTOR_STATUS;',
      "DROP SCHEMA IF EXISTS STATE CASCADE;",
      "DROP TABLE MY_APP.STATE.APP_STATE;",
      "CREATE OR REPLACE TABLE STATE.APP_STATE (KEY STRING);",
      "CREATE OR REPLACE TRANSIENT TABLE STATE.APP_CONFIG (KEY STRING);",
      "CREATE OR REPLACE SCHEMA STATE;",
    ]) {
      const result = lint(`SELECT 1;\n${sql}`);
      expect(result.errors.map((e) => `${e.line}:${e.column}`), sql).toEqual(["2:1"]);
    }
  });

  it("warns on grants of internal procedures and on TRUNCATE / DELETE of state", () => {
    const result = lint(
      [
        "GRANT USAGE ON PROCEDURE PUBLIC.RESUME_CONNECTOR_INTERNAL() TO APPLICATION ROLE ADMIN;",
        "GRANT USAGE ON PROCEDURE PUBLIC.TEST_CONNECTION(VARIANT) TO APPLICATION ROLE VIEWER;",
        "TRUNCATE TABLE IF EXISTS STATE.APP_CONFIG;",
        "DELETE FROM STATE.APP_STATE WHERE KEY = 'x';",
      ].join("\n"),
    );
    expect(result.errors).toEqual([]);
    expect(result.warnings.map((w) => w.split(":").slice(0, 2).join(":"))).toEqual(["override.sql:1", "override.sql:2", "override.sql:3", "override.sql:4"]);
  });

  it("leaves ordinary statements alone", () => {
    const result = lint(
      [
        "GRANT USAGE ON PROCEDURE PUBLIC.GET_CONNECTOR_STATUS() TO APPLICATION ROLE VIEWER;",
        "DROP TABLE IF EXISTS PUBLIC.SCRATCH;",
        "CREATE OR REPLACE TABLE PUBLIC.STATE_COPY (X INT);",
        "CREATE TABLE IF NOT EXISTS STATE.EXTRA (X INT);",
        "DELETE FROM PUBLIC.STATE;",
        "INSERT INTO STATE.APP_CONFIG (KEY) SELECT 'k';",
      ].join("\n"),
    );
    expect(result).toEqual({ errors: [], warnings: [] });
  });

  it("knows the internal procedures by floe's catalog and the SDK's names", () => {
    for (const name of ["RESUME_CONNECTOR_VALIDATE", "PAUSE_CONNECTOR_INTERNAL", "FINALIZE_CONNECTOR_CONFIGURATION_VALIDATE", "TEST_CONNECTION", "VALIDATE_SOURCE"]) {
      expect(isInternalProcedure(name), name).toBe(true);
    }
    for (const name of ["RESUME_CONNECTOR", "GET_CONNECTOR_STATUS", "CONFIGURE_CONNECTOR"]) expect(isInternalProcedure(name), name).toBe(false);
  });
});
