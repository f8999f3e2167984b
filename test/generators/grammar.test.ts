/**
 * The grammar judges every statement floe renders: every feature combination and every hooks
 * fixture is rendered and each statement is read against its documented form. Mis-ordered
 * clauses — the reversed COMMENT / EXECUTE AS of every rendered procedure first — are refused
 * with the documented form and its reference page in the message.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { statements as facade } from "../../snowflake/statements";
import { renderConnector, type RenderedApp } from "../../generators/pipeline";
import { checkStatement, loadSqlParser } from "../../generators/sql-check";
import { FORMS } from "../../sql/grammar/forms";
import { splitStatements } from "../../sql/lexer";
import { SqlReadError } from "../../errors";
import { readStatement, type CatalogStatement } from "../../sql/statements";
import type { LoginRequest } from "../../sandbox/protocol/backend";
import { Sandbox, type Session } from "../../sandbox/sandbox";

const ROOT = path.resolve(__dirname, "..", "..");
const OPTIONAL_FEATURES = ["pause", "finalize", "prerequisites", "connector_configuration", "connection_configuration", "task_reactor"] as const;
/** Rendered with every hooks fixture; scheduler.sql holds no statement, so it doubles no combination. */
const WITH_HOOKS = { task_reactor: true, scheduler: true };
const HOOKS_FIXTURES = [
  "hooks/resume.ts",
  "hooks/configure.ts",
  "hooks/connection.ts",
  "hooks/finalize.ts",
  "test/e2e/fixtures/flow-hooks.ts",
  "test/fixtures/hooks/scripted.ts",
  "test/fixtures/hooks/hostile.ts",
  "test/fixtures/plan/base/hooks.ts",
  "test/fixtures/plan/body-change/hooks.ts",
  "test/fixtures/plan/new-hook/hooks.ts",
  "test/fixtures/plan/removed-hook/hooks.ts",
];

/** Every combination of the optional features: 2^6 definitions. */
const COMBINATIONS = Array.from({ length: 1 << OPTIONAL_FEATURES.length }, (_, mask) =>
  Object.fromEntries(OPTIONAL_FEATURES.map((f, i) => [f, (mask & (1 << i)) !== 0])),
);

interface ReadStatement {
  readonly file: string;
  readonly text: string;
  readonly statement: CatalogStatement | null;
}

function readBundle(app: RenderedApp): ReadStatement[] {
  const read: ReadStatement[] = [];
  for (const [file, content] of app.bundle) {
    if (!file.endsWith(".sql")) continue;
    for (const part of splitStatements(content)) read.push({ file, text: part.text, statement: readStatement(part.text, part.tokens) });
  }
  return read;
}

/** The clause keywords of a procedure header, in the order they appear before AS. */
function headerClauses(text: string): string[] {
  const header = text.slice(0, text.search(/\nAS\n/));
  return [...header.matchAll(/^\s*(RETURNS|LANGUAGE|COMMENT|EXECUTE AS)\b/gm)].map((m) => m[1]);
}

function refusal(text: string): string {
  try {
    readStatement(text);
  } catch (e) {
    if (e instanceof SqlReadError) return e.message;
    throw e;
  }
  throw new Error(`the grammar accepted: ${text}`);
}

const rendered: RenderedApp[] = [];
beforeAll(async () => {
  await loadSqlParser();
  for (const [i, features] of COMBINATIONS.entries()) rendered.push(await renderConnector({ name: `COMBINATION_${i}`, root: ROOT, features }));
  for (const hooks of HOOKS_FIXTURES) {
    rendered.push(await renderConnector({ name: "HOOKS", root: ROOT, hooks: [path.join(ROOT, hooks)], features: WITH_HOOKS }));
  }
}, 120_000);

describe("every rendered statement", () => {
  it("reads with the grammar, in every feature combination and with every hooks fixture", () => {
    expect(rendered).toHaveLength(COMBINATIONS.length + HOOKS_FIXTURES.length);
    const kinds = new Set<string>();
    let procedures = 0;
    for (const app of rendered) {
      for (const { file, text, statement } of readBundle(app)) {
        expect(checkStatement(text), `${app.model.name} ${file}: ${text.slice(0, 80)}`).not.toHaveProperty("error");
        if (statement === null) continue;
        kinds.add(statement.kind);
        if (statement.kind !== "create_procedure") continue;
        procedures++;
        expect(statement.executeAs).toBe("OWNER");
        expect(headerClauses(text), text.slice(0, 200)).toEqual(["RETURNS", "LANGUAGE", "COMMENT", "EXECUTE AS"]);
      }
    }
    expect([...kinds].sort()).toEqual(["create_application_role", "create_procedure", "create_schema", "execute_immediate_from", "grant"]);
    expect(procedures).toBeGreaterThan(COMBINATIONS.length * 10);
  });

  it("refuses every rendered procedure with COMMENT and EXECUTE AS swapped, naming the documented order", () => {
    let refused = 0;
    for (const { text, statement } of readBundle(rendered[COMBINATIONS.length - 1])) {
      if (statement?.kind !== "create_procedure") continue;
      const reversed = text.replace(/(\n {2}COMMENT = '[^\n]*')(\n {2}EXECUTE AS OWNER)/, "$2$1");
      expect(reversed).not.toBe(text);
      const message = refusal(reversed);
      expect(message).toMatch(/^COMMENT is out of place at line 5, column 3 \(expected AS\): Snowflake takes these clauses only in the documented order\./);
      expect(message).toContain("[ COMMENT = '<string_literal>' ] [ EXECUTE AS { OWNER | CALLER | RESTRICTED CALLER } ] AS");
      expect(message).toContain("(https://docs.snowflake.com/en/sql-reference/sql/create-procedure)");
      expect(checkStatement(reversed)).toHaveProperty("error");
      refused++;
    }
    expect(refused).toBeGreaterThan(5);
  });

  it("reads every statement the Snowflake facade issues", () => {
    const pkg = "EXAMPLE_PKG";
    const texts = [
      facade.createApplicationPackage(pkg, "it's a test", "INTERNAL"),
      facade.createPackageSchema(pkg),
      facade.createPackageStage(pkg),
      facade.setPackageComment(pkg, "c"),
      facade.setPackageDistribution(pkg, "EXTERNAL"),
      facade.showApplicationPackages(pkg),
      facade.dropApplicationPackage(pkg),
      facade.put("file:///tmp/bundle/setup.sql", facade.stageLocation(pkg)),
      facade.list(facade.stageLocation(pkg)),
      facade.remove(facade.stageLocation(pkg) + "/setup.sql"),
      facade.showVersions(pkg),
      facade.addVersion(pkg, "V1", facade.stageLocation(pkg)),
      facade.addPatch(pkg, "V1", facade.stageLocation(pkg)),
      facade.createApplication("APP", pkg, "V1", 0),
      facade.upgradeApplication("APP", "V1", 1),
      facade.showApplications("APP"),
      facade.dropApplication("APP"),
      facade.grantToApplication("EXECUTE TASK", "APP"),
      facade.grantToApplication("IMPORTED PRIVILEGES ON SNOWFLAKE DB", "APP"),
      facade.revokeFromApplication("EXECUTE TASK", "APP"),
      facade.showGrantsToApplication("APP"),
      facade.showProceduresInApplication("APP"),
      facade.grantApplicationRole("APP", "ADMIN", "CONNECTOR_ADMINS"),
      facade.revokeApplicationRole("APP", "ADMIN", "CONNECTOR_ADMINS"),
      facade.showGrantsOfApplicationRole("APP", "ADMIN"),
    ];
    for (const text of texts) {
      const statement = readStatement(text);
      expect(statement, text).not.toBeNull();
      expect(statement!.extras, text).toBeUndefined();
    }
  });
});

describe("clauses out of the documented order, or outside the documented set", () => {
  const JS = "CREATE OR REPLACE PROCEDURE PUBLIC.P()";
  const BODY = "AS $$ return 1; $$";
  it.each([
    ["LANGUAGE before RETURNS", `${JS} LANGUAGE JAVASCRIPT RETURNS VARIANT ${BODY}`, "create-procedure", 'unexpected "LANGUAGE"'],
    ["COPY GRANTS after RETURNS", `${JS} RETURNS VARIANT COPY GRANTS LANGUAGE JAVASCRIPT ${BODY}`, "create-procedure", "COPY is out of place"],
    ["VOLATILE after COMMENT", `${JS} RETURNS VARIANT LANGUAGE JAVASCRIPT COMMENT = 'c' VOLATILE ${BODY}`, "create-procedure", "VOLATILE is out of place"],
    ["STRICT after EXECUTE AS", `${JS} RETURNS VARIANT LANGUAGE JAVASCRIPT EXECUTE AS OWNER STRICT ${BODY}`, "create-procedure", "STRICT is out of place"],
    ["a handler option in a JavaScript procedure", `${JS} RETURNS VARIANT LANGUAGE JAVASCRIPT HANDLER = 'h' ${BODY}`, "create-procedure", 'unexpected "HANDLER"'],
    ["a body without $$ in a JavaScript procedure", `${JS} RETURNS VARIANT LANGUAGE JAVASCRIPT AS BEGIN RETURN 1; END`, "create-procedure", "expected '<procedure_definition>'"],
    ["HANDLER before PACKAGES", `${JS} RETURNS VARIANT LANGUAGE PYTHON RUNTIME_VERSION = '3.11' HANDLER = 'h' PACKAGES = ('snowflake-snowpark-python')`, "create-procedure", "expected PACKAGES"],
    ["IF NOT EXISTS after the name", "CREATE APPLICATION ROLE ADMIN IF NOT EXISTS", "create-application-role", "IF is out of place"],
    ["OR REPLACE with IF NOT EXISTS", "CREATE OR REPLACE APPLICATION ROLE IF NOT EXISTS ADMIN", "create-application-role", "OR REPLACE and IF NOT EXISTS cannot be used together"],
    ["a versioned schema with IF NOT EXISTS", "CREATE OR ALTER VERSIONED SCHEMA IF NOT EXISTS PUBLIC", "create-versioned-schema", 'unexpected "NOT"'],
    ["DISTRIBUTION before COMMENT", "CREATE APPLICATION PACKAGE P DISTRIBUTION = INTERNAL COMMENT = 'c'", "create-application-package", "COMMENT is out of place"],
    ["LABEL before USING", "ALTER APPLICATION PACKAGE P ADD VERSION V1 LABEL = 'l' USING '@P.S.ST/v1'", "alter-application-package-version", "LABEL is out of place"],
    ["PATCH before VERSION", "CREATE APPLICATION A FROM APPLICATION PACKAGE P USING PATCH 0 VERSION V1", "create-application", "PATCH is out of place"],
    ["WITH GRANT OPTION before TO", "GRANT USAGE ON SCHEMA PUBLIC WITH GRANT OPTION TO APPLICATION ROLE ADMIN", "grant-privilege-application-role", "WITH is out of place"],
    ["a procedure grant without its signature", "GRANT USAGE ON PROCEDURE PUBLIC.P TO APPLICATION ROLE ADMIN", "grant-privilege-application-role", "expected '('"],
    ["WITH GRANT OPTION to an application", "GRANT EXECUTE TASK ON ACCOUNT TO APPLICATION APP WITH GRANT OPTION", "grant-privilege-application", 'unexpected "WITH"'],
    ["SCHEDULE before WAREHOUSE", "CREATE TASK T SCHEDULE = '1 MINUTE' WAREHOUSE = WH AS SELECT 1", "create-task", "WAREHOUSE is out of place"],
    ["COMMENT before ENCRYPTION", "CREATE STAGE S COMMENT = 'c' ENCRYPTION = (TYPE = 'SNOWFLAKE_SSE')", "create-stage", "ENCRYPTION is out of place"],
    ["COMMENT before the column list of a view", "CREATE VIEW V COMMENT = 'c' (A) AS SELECT 1 AS A", "create-view", 'unexpected "("'],
    ["COPY GRANTS after COMMENT in a view", "CREATE OR REPLACE VIEW V COMMENT = 'c' COPY GRANTS AS SELECT 1 AS A", "create-view", "COPY is out of place"],
    ["a table comment before the columns", "CREATE TABLE IF NOT EXISTS T COMMENT = 'c' (A STRING)", "create-table", "COMMENT is out of place"],
    ["NOT NULL before DEFAULT in a column", "CREATE TABLE T (A STRING NOT NULL DEFAULT 'x')", "create-table", "DEFAULT is out of place"],
    ["DRY_RUN before USING", "EXECUTE IMMEDIATE FROM 'a.sql' DRY_RUN = TRUE USING (X => 1)", "execute-immediate-from", "USING is out of place"],
    ["an unquoted relative path", "EXECUTE IMMEDIATE FROM core.sql", "execute-immediate-from", 'unexpected "core"'],
    ["OVERWRITE before AUTO_COMPRESS", "PUT 'file:///tmp/a' '@S' OVERWRITE = TRUE AUTO_COMPRESS = FALSE", "put", "AUTO_COMPRESS is out of place"],
    ["LIKE after IN", "SHOW PROCEDURES IN APPLICATION A LIKE 'X%'", "show-procedures", "LIKE is out of place"],
    ["an unknown grantee kind", "GRANT APPLICATION ROLE APP.ADMIN TO SHARE S", "grant-application-role", 'unexpected "SHARE"'],
  ])("refuses %s, quoting the documented form", (_label, text, page, problem) => {
    const message = refusal(text);
    expect(message).toContain(problem);
    expect(message).toContain(`(https://docs.snowflake.com/en/sql-reference/sql/${page})`);
    expect(message).toMatch(/ is documented as: /);
  });

  it("leaves statements of no catalog form to the table engine and the general parser", () => {
    for (const text of ["SELECT 1", "INSERT INTO T (A) VALUES (1)", "MERGE INTO T USING S ON T.A = S.A WHEN MATCHED THEN DELETE", "BEGIN TRANSACTION", "COMMIT"]) {
      expect(readStatement(text), text).toBeNull();
    }
  });

  it("reads documented clauses it does not represent into extras, for the sandbox to refuse", () => {
    expect(readStatement("CREATE OR REPLACE SECURE PROCEDURE P() COPY GRANTS RETURNS VARIANT LANGUAGE JAVASCRIPT STRICT VOLATILE AS $$ return 1; $$")?.extras).toEqual([
      "SECURE",
      "COPY GRANTS",
      "null-input behaviour (CALLED ON NULL INPUT / STRICT)",
      "VOLATILE / IMMUTABLE",
    ]);
    expect(readStatement("GRANT USAGE ON SCHEMA PUBLIC TO APPLICATION ROLE ADMIN WITH GRANT OPTION")?.extras).toEqual(["WITH GRANT OPTION"]);
  });
});

describe("the sandbox reads with the same grammar", () => {
  let sandbox: Sandbox;
  let session: Session;
  beforeAll(async () => {
    sandbox = await Sandbox.start();
    session = sandbox.login({ user: "tester", role: "ACCOUNTADMIN" } as LoginRequest);
    for (const sql of ["CREATE DATABASE GATE", "USE DATABASE GATE", "CREATE SCHEMA S"]) sandbox.execute(session, sql, []);
  });
  afterAll(() => sandbox.close());
  const error = (sql: string) => {
    try {
      sandbox.execute(session, sql, []);
    } catch (e) {
      return e as { code: string; message: string };
    }
    throw new Error(`the sandbox accepted: ${sql}`);
  };

  it("refuses a statement that breaks its form as a compilation error quoting the form", () => {
    const e = error("CREATE OR REPLACE PROCEDURE S.P() RETURNS VARIANT LANGUAGE JAVASCRIPT EXECUTE AS OWNER COMMENT = 'c' AS $$ return 1; $$");
    expect(e.code).toBe("001003");
    expect(e.message).toMatch(/^SQL compilation error:\nCOMMENT is out of place at line 1, column \d+ \(expected AS\)/);
    expect(e.message).toContain("https://docs.snowflake.com/en/sql-reference/sql/create-procedure");
  });

  it.each([
    ["COPY GRANTS", "CREATE OR REPLACE PROCEDURE S.P() COPY GRANTS RETURNS VARIANT LANGUAGE JAVASCRIPT AS $$ return 1; $$"],
    ["null-input behaviour", "CREATE OR REPLACE PROCEDURE S.P() RETURNS VARIANT LANGUAGE JAVASCRIPT STRICT AS $$ return 1; $$"],
    ["STARTS WITH", "SHOW APPLICATIONS STARTS WITH 'A'"],
    ["DRY_RUN", "EXECUTE IMMEDIATE FROM 'x.sql' DRY_RUN = TRUE"],
  ])("refuses the documented clause %s it does not implement, rather than ignore it", (clause, sql) => {
    const e = error(sql);
    expect(e.code).toBe("000002");
    expect(e.message).toContain(`unsupported by the floe sandbox: ${clause}`);
  });
});

describe("docs/sandbox.md", () => {
  it("lists every accepted form with the reference page it follows", () => {
    const docs = fs.readFileSync(path.join(ROOT, "docs", "sandbox.md"), "utf8");
    for (const form of FORMS) {
      expect(docs, form.title).toContain("`" + form.display + "`");
      expect(docs, form.title).toContain(form.url);
    }
  });
});
