/**
 * Snowflake Scripting: how scripts split around blocks written without $$, how a block reads,
 * and how the sandbox runs LANGUAGE SQL procedures and anonymous blocks. The conformance table
 * runs Scripting hooks through the driver; these cases pin the constructs one by one.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { splitStatements } from "../../sql/lexer";
import { parseScriptingBlock, ScriptingSyntaxError } from "../../sql/scripting";
import { readStatement } from "../../sql/statements";
import * as path from "node:path";
import { renderConnector } from "../../generators/pipeline";
import { SandboxApp } from "../../sandbox/app";
import { Sandbox, type Session } from "../../sandbox/sandbox";
import type { LoginRequest } from "../../sandbox/protocol/backend";
import type { BindValue, QueryResult } from "../../sandbox/types";

const ROOT = path.resolve(__dirname, "..", "..");

describe("splitting a script around Snowflake Scripting blocks", () => {
  it("keeps a procedure body written without $$ in one statement, semicolons inside included", () => {
    const script = `CREATE OR REPLACE PROCEDURE PUBLIC.P()
  RETURNS VARIANT
  LANGUAGE SQL
  AS
  DECLARE
    n NUMBER DEFAULT 0;
  BEGIN
    IF (n = 0) THEN
      n := 1;
    ELSE
      BEGIN
        n := 2;
      END;
    END IF;
    CASE WHEN n = 1 THEN RETURN 'one'; ELSE RETURN 'other'; END CASE;
  END;
GRANT USAGE ON PROCEDURE PUBLIC.P() TO APPLICATION ROLE ADMIN;
BEGIN TRANSACTION;
COMMIT;
BEGIN
  RETURN 1;
END;`;
    const parts = splitStatements(script);
    expect(parts.map((p) => p.text.split(/\s+/).slice(0, 3).join(" "))).toEqual([
      "CREATE OR REPLACE",
      "GRANT USAGE ON",
      "BEGIN TRANSACTION",
      "COMMIT",
      "BEGIN RETURN 1;",
    ]);
    const procedure = readStatement(parts[0].text, parts[0].tokens);
    expect(procedure).toMatchObject({ kind: "create_procedure", language: "SQL", delimited: false });
    expect(procedure?.kind === "create_procedure" && procedure.body.endsWith("END CASE;\n  END")).toBe(true);
    expect(readStatement(parts[4].text, parts[4].tokens)).toEqual({ kind: "block", body: "BEGIN\n  RETURN 1;\nEND" });
  });

  it("names the place of an unterminated block", () => {
    expect(() => splitStatements("SELECT 1;\nBEGIN\n  RETURN 1;\n")).toThrow("unterminated block: BEGIN without its END");
  });

  it.each([
    ["IF without THEN", "BEGIN IF (1 = 1) RETURN 1; END IF; END", "expected THEN"],
    ["IF without parentheses", "BEGIN IF 1 = 1 THEN RETURN 1; END IF; END", "expected '(' around the condition"],
    ["a statement without its semicolon", "BEGIN RETURN 1 END", "expected ';'"],
    ["EXCEPTION without WHEN", "BEGIN RETURN 1; EXCEPTION END", "expected WHEN after EXCEPTION"],
    ["a declaration without BEGIN", "DECLARE x NUMBER;", "expected BEGIN after the declarations"],
    ["text after END", "BEGIN RETURN 1; END; SELECT 1", "unexpected text after the block's END"],
  ])("refuses %s, with its offset", (_label, text, message) => {
    try {
      parseScriptingBlock(text);
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(ScriptingSyntaxError);
      expect((e as ScriptingSyntaxError).reason).toContain(message);
      expect((e as ScriptingSyntaxError).offset).toBeGreaterThanOrEqual(0);
    }
  });
});

describe("the sandbox runs Snowflake Scripting", () => {
  let sandbox: Sandbox;
  let session: Session;
  const run = (sql: string, binds: readonly BindValue[] = []) => sandbox.execute(session, sql, binds) as QueryResult;
  const value = (sql: string, binds: readonly BindValue[] = []) => run(sql, binds).rows[0][0];

  beforeAll(async () => {
    sandbox = await Sandbox.start();
    session = sandbox.login({ user: "tester", role: "ACCOUNTADMIN" } as LoginRequest);
    for (const sql of [
      "CREATE DATABASE SCRIPTS",
      "USE DATABASE SCRIPTS",
      "CREATE SCHEMA S",
      "USE SCHEMA SCRIPTS.S",
      "CREATE TABLE KV (K STRING NOT NULL, V VARIANT)",
      "INSERT INTO KV (K, V) SELECT 'a', PARSE_JSON('{\"n\":1,\"tag\":\"x\"}')",
      "INSERT INTO KV (K, V) SELECT 'b', PARSE_JSON('{\"n\":2,\"tag\":\"y\"}')",
    ]) {
      run(sql);
    }
  });
  afterAll(() => sandbox.close());

  it("evaluates variables, LET, assignment and VARIANT paths, and binds :name in statements", () => {
    expect(
      value(`DECLARE
        total NUMBER DEFAULT 0;
        row_value VARIANT;
      BEGIN
        SELECT V INTO :row_value FROM KV WHERE K = 'b';
        LET key STRING := 'a';
        SELECT V:n INTO :total FROM KV WHERE K = :key;
        total := total + row_value:n::NUMBER;
        RETURN OBJECT_CONSTRUCT('total', total, 'tag', row_value:tag::STRING);
      END`),
    ).toEqual({ total: 3, tag: "y" });
  });

  it("runs cursors, CASE (simple and searched) and nested blocks with their own scope", () => {
    expect(
      value(`DECLARE
        c CURSOR FOR SELECT K FROM KV ORDER BY K;
        first_key STRING;
        second_key STRING;
        outcome STRING DEFAULT 'none';
      BEGIN
        OPEN c;
        FETCH c INTO first_key;
        FETCH c INTO second_key;
        CLOSE c;
        CASE (second_key) WHEN 'a' THEN outcome := 'a'; WHEN 'b' THEN outcome := 'b'; END CASE;
        BEGIN
          LET inner_only := 'hidden';
          outcome := outcome || '-' || inner_only;
        END;
        CASE WHEN first_key = 'a' THEN RETURN outcome || '-' || first_key; ELSE RETURN 'wrong'; END;
      END`),
    ).toBe("b-hidden-a");
  });

  it("catches errors in handlers, with SQLCODE, SQLERRM and SQLSTATE, and declared exceptions", () => {
    expect(
      value(`BEGIN
        SELECT * FROM NO_SUCH_TABLE;
        RETURN 'not reached';
      EXCEPTION
        WHEN STATEMENT_ERROR THEN
          RETURN OBJECT_CONSTRUCT('code', SQLCODE, 'state', SQLSTATE, 'message', SQLERRM);
      END`),
    ).toEqual({ code: 2003, state: "02000", message: "SQL compilation error:\nObject 'SCRIPTS.S.NO_SUCH_TABLE' does not exist or not authorized." });
    expect(
      value(`DECLARE
        too_big EXCEPTION (-20002, 'The value is too big.');
      BEGIN
        RAISE too_big;
      EXCEPTION
        WHEN OTHER THEN
          RETURN SQLCODE || ': ' || SQLERRM;
      END`),
    ).toBe("-20002: The value is too big.");
  });

  it("fails the call with Snowflake's uncaught-exception message, keeping the error's code", () => {
    try {
      run("BEGIN\n  LET x := 1;\n  SELECT * FROM NO_SUCH_TABLE;\nEND");
      expect.unreachable();
    } catch (e) {
      expect((e as Error).message).toBe(
        "Uncaught exception of type 'STATEMENT_ERROR' on line 3 at position 2 : SQL compilation error:\nObject 'SCRIPTS.S.NO_SUCH_TABLE' does not exist or not authorized.",
      );
      expect((e as { code: string }).code).toBe("002003");
    }
  });

  it("runs a LANGUAGE SQL procedure written without $$, with its arguments as variables, and SQLROWCOUNT", () => {
    run(`CREATE OR REPLACE PROCEDURE S.RETAG(KEY_NAME STRING, NEW_TAG STRING)
      RETURNS VARIANT
      LANGUAGE SQL
      EXECUTE AS OWNER
      AS
      BEGIN
        UPDATE KV SET V = OBJECT_INSERT(V, 'tag', :new_tag, TRUE) WHERE K = :key_name;
        RETURN OBJECT_CONSTRUCT('updated', SQLROWCOUNT, 'found', SQLFOUND);
      END`);
    expect(value("CALL S.RETAG('a', 'z')")).toEqual({ updated: 1, found: true });
    expect(value("SELECT V:tag::STRING FROM KV WHERE K = 'a'")).toBe("z");
    expect(value("CALL S.RETAG('nope', 'z')")).toEqual({ updated: 0, found: false });
  });

  it("refuses loops and RESULTSETs as unsupported when it reaches them", () => {
    expect(() => run("BEGIN FOR i IN 1 TO 3 DO NULL; END FOR; RETURN 1; END")).toThrow("unsupported by the floe sandbox: FOR loops in Snowflake Scripting");
    expect(() => run("DECLARE r RESULTSET DEFAULT (SELECT 1); BEGIN RETURN 1; END")).toThrow("unsupported by the floe sandbox: RESULTSET variables in Snowflake Scripting");
    expect(value("BEGIN IF (1 = 2) THEN FOR i IN 1 TO 3 DO NULL; END FOR; END IF; RETURN 'skipped'; END")).toBe("skipped");
  });

  it("accepts a caller's-rights procedure outside a setup script", () => {
    expect(run("CREATE OR REPLACE PROCEDURE S.MINE() RETURNS VARIANT LANGUAGE SQL EXECUTE AS CALLER AS BEGIN RETURN 1; END").rows[0][0]).toBe("Function MINE successfully created.");
  });
});

describe("a setup script", () => {
  it.each([
    ["a caller's-rights procedure", "CREATE OR REPLACE PROCEDURE PUBLIC.MINE() RETURNS VARIANT LANGUAGE SQL EXECUTE AS CALLER AS BEGIN RETURN 1; END;", "may not create a procedure with EXECUTE AS CALLER"],
    ["a USE statement", "USE SCHEMA STATE;", "may not contain USE statements"],
  ])("with %s fails the install, naming setup.sql and the line, as Snowflake refuses it", async (_label, statement, message) => {
    const app = await renderConnector({ name: "SETUP_RULES", root: ROOT });
    const bundle = new Map(app.bundle);
    bundle.set("setup.sql", `${bundle.get("setup.sql")}
${statement}
`);
    const line = bundle.get("setup.sql")!.split("\n").length - 1;
    await expect(SandboxApp.start({ model: app.model, bundle })).rejects.toThrow(new RegExp(`setup\\.sql:${line}: [\\s\\S]*${message}`));
  });
});
