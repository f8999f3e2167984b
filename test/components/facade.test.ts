import * as fs from "node:fs";
import * as path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { checkStatement, loadSqlParser } from "../../generators/sql-check";
import { redact } from "../../errors/redact";
import { classifyError, isFacadeError, type SnowflakeFacadeError } from "../../snowflake/errors";
import { SnowflakeFacade, stagedPath, type Row, type SnowflakeRunner } from "../../snowflake/facade";
import { statements } from "../../snowflake/statements";
import { DriverLikeError, FakeAccount } from "./fake-account";

beforeAll(async () => {
  await loadSqlParser();
});

/**
 * The parser gate the renderers use (generators/sql-check.ts): floe's strict statement reader for
 * the shapes the Snowflake-dialect parser does not know (application DDL, PUT), the parser for
 * the rest. Returns which accepted the statement, or why it was refused.
 */
function accepted(sql: string): "sqlparser" | "shape" | string {
  const result = checkStatement(sql);
  if ("error" in result) return `refused: ${result.error}`;
  return result.checker === "floe" ? "shape" : "sqlparser";
}

function everyStatement(names: { pkg: string; app: string; version: string; comment: string; path: string; role: string }): string[] {
  const location = statements.stageLocation(names.pkg);
  return [
    statements.createApplicationPackage(names.pkg, names.comment, "INTERNAL"),
    statements.createPackageSchema(names.pkg),
    statements.createPackageStage(names.pkg),
    statements.setPackageComment(names.pkg, names.comment),
    statements.setPackageDistribution(names.pkg, "EXTERNAL"),
    statements.showApplicationPackages(names.pkg),
    statements.dropApplicationPackage(names.pkg),
    statements.put(`file:///tmp/x/${names.path}`, `${location}/dir`),
    statements.list(location),
    statements.remove(`${location}/${names.path}`),
    statements.showVersions(names.pkg),
    statements.addVersion(names.pkg, names.version, location),
    statements.addPatch(names.pkg, names.version, location),
    statements.createApplication(names.app, names.pkg, names.version, 3),
    statements.upgradeApplication(names.app, names.version, 4),
    statements.showApplications(names.app),
    statements.dropApplication(names.app),
    statements.grantToApplication("EXECUTE TASK", names.app),
    statements.revokeFromApplication("EXECUTE TASK", names.app),
    statements.showGrantsToApplication(names.app),
    statements.grantApplicationRole(names.app, "ADMIN", names.role),
    statements.revokeApplicationRole(names.app, "ADMIN", names.role),
    statements.showGrantsOfApplicationRole(names.app, "ADMIN"),
    statements.showProceduresInApplication(names.app),
  ];
}

describe("the statements", () => {
  it("are exactly these for plain names", () => {
    expect(everyStatement({ pkg: "EXAMPLE_PKG", app: "EXAMPLE_CONNECTOR", version: "V1", comment: "An app.", path: "setup.sql", role: "CONNECTOR_ADMIN" })).toEqual([
      "CREATE APPLICATION PACKAGE EXAMPLE_PKG COMMENT = 'An app.' DISTRIBUTION = INTERNAL",
      "CREATE SCHEMA EXAMPLE_PKG.FLOE",
      "CREATE STAGE EXAMPLE_PKG.FLOE.BUNDLE",
      "ALTER APPLICATION PACKAGE EXAMPLE_PKG SET COMMENT = 'An app.'",
      "ALTER APPLICATION PACKAGE EXAMPLE_PKG SET DISTRIBUTION = EXTERNAL",
      "SHOW APPLICATION PACKAGES LIKE 'EXAMPLE_PKG'",
      "DROP APPLICATION PACKAGE IF EXISTS EXAMPLE_PKG",
      "PUT 'file:///tmp/x/setup.sql' '@EXAMPLE_PKG.FLOE.BUNDLE/app/dir' AUTO_COMPRESS = FALSE OVERWRITE = TRUE",
      "LIST '@EXAMPLE_PKG.FLOE.BUNDLE/app/'",
      "REMOVE '@EXAMPLE_PKG.FLOE.BUNDLE/app/setup.sql'",
      "SHOW VERSIONS IN APPLICATION PACKAGE EXAMPLE_PKG",
      "ALTER APPLICATION PACKAGE EXAMPLE_PKG ADD VERSION V1 USING '@EXAMPLE_PKG.FLOE.BUNDLE/app'",
      "ALTER APPLICATION PACKAGE EXAMPLE_PKG ADD PATCH FOR VERSION V1 USING '@EXAMPLE_PKG.FLOE.BUNDLE/app'",
      "CREATE APPLICATION EXAMPLE_CONNECTOR FROM APPLICATION PACKAGE EXAMPLE_PKG USING VERSION V1 PATCH 3",
      "ALTER APPLICATION EXAMPLE_CONNECTOR UPGRADE USING VERSION V1 PATCH 4",
      "SHOW APPLICATIONS LIKE 'EXAMPLE_CONNECTOR'",
      "DROP APPLICATION IF EXISTS EXAMPLE_CONNECTOR",
      "GRANT EXECUTE TASK ON ACCOUNT TO APPLICATION EXAMPLE_CONNECTOR",
      "REVOKE EXECUTE TASK ON ACCOUNT FROM APPLICATION EXAMPLE_CONNECTOR",
      "SHOW GRANTS TO APPLICATION EXAMPLE_CONNECTOR",
      "GRANT APPLICATION ROLE EXAMPLE_CONNECTOR.ADMIN TO ROLE CONNECTOR_ADMIN",
      "REVOKE APPLICATION ROLE EXAMPLE_CONNECTOR.ADMIN FROM ROLE CONNECTOR_ADMIN",
      "SHOW GRANTS OF APPLICATION ROLE EXAMPLE_CONNECTOR.ADMIN",
      "SHOW PROCEDURES IN APPLICATION EXAMPLE_CONNECTOR",
    ]);
  });

  it("each passes the parser gate: the Snowflake-dialect parser, or floe's strict reader for the shapes it lacks", () => {
    const checkers = everyStatement({ pkg: "EXAMPLE_PKG", app: "EXAMPLE_CONNECTOR", version: "V1", comment: "An app.", path: "setup.sql", role: "CONNECTOR_ADMIN" }).map(accepted);
    for (const c of checkers) expect(["sqlparser", "shape"]).toContain(c);
    // The parser covers what it can: schema, stage, LIST/REMOVE, SHOW and the grants.
    expect(checkers.filter((c) => c === "sqlparser").length).toBeGreaterThanOrEqual(10);
  });

  it("keep hostile names and texts inside their quotes", () => {
    const hostile = {
      pkg: 'pkg"; DROP DATABASE PROD; --',
      app: "app'; DROP TABLE T; --",
      version: 'v1" PATCH 9; --',
      comment: "it's a \\'test\\' ; DROP $$ ☃",
      path: "it's.sql",
      role: 'role"; DROP ROLE ACCOUNTADMIN; --',
    };
    const all = everyStatement(hostile);
    for (const sql of all) {
      expect(["sqlparser", "shape"], sql).toContain(accepted(sql));
      // Outside quoted identifiers and strings nothing of the hostile text is left.
      const outside = sql.replace(/"(?:[^"]|"")*"/g, "").replace(/'(?:[^'\\]|\\.)*'/g, "");
      expect(outside, sql).not.toMatch(/DROP (DATABASE|TABLE)|;|--|PATCH 9/);
    }
    expect(statements.createApplicationPackage(hostile.pkg, hostile.comment, "INTERNAL")).toBe(
      `CREATE APPLICATION PACKAGE "pkg""; DROP DATABASE PROD; --" COMMENT = 'it\\'s a \\\\\\'test\\\\\\' ; DROP $$ ☃' DISTRIBUTION = INTERNAL`,
    );
  });

  it("refuse privilege names that are not upper-case words, and odd patch numbers", () => {
    expect(statements.grantToApplication("IMPORTED PRIVILEGES ON SNOWFLAKE DB", "A")).toBe("GRANT IMPORTED PRIVILEGES ON DATABASE SNOWFLAKE TO APPLICATION A");
    expect(() => statements.grantToApplication("EXECUTE TASK; DROP DATABASE X", "A")).toThrow(/is not a privilege name/);
    expect(() => statements.grantToApplication("execute task", "A")).toThrow(/is not a privilege name/);
    expect(() => statements.createApplication("A", "P", "V1", -1)).toThrow(/whole number/);
    expect(() => statements.upgradeApplication("A", "V1", 1.5)).toThrow(/whole number/);
  });

  it("reads bundle paths back from LIST names", () => {
    expect(stagedPath("bundle/app/lifecycle/resume.sql")).toBe("lifecycle/resume.sql");
    expect(stagedPath("bundle/app/setup.sql")).toBe("setup.sql");
    expect(stagedPath("bundle/other/setup.sql")).toBeUndefined();
  });
});

describe("error classification", () => {
  const op = { what: "Creating application package P", needs: "CREATE APPLICATION PACKAGE ON ACCOUNT", argument: "[packageName]" };
  const context = { role: "DEPLOYER", secrets: ["hunter2-password"] };

  it("tells not-found, missing privileges, existing objects and failed logins apart, and says what to do", () => {
    const notFound = classifyError(new DriverLikeError("002003", "02000", "SQL compilation error:\nDatabase 'P' does not exist or not authorized."), op, context);
    expect(notFound.kind).toBe("not_found");
    expect(notFound.message).toMatch(/^Creating application package P failed: an object it uses does not exist, or role DEPLOYER is not allowed to see it/);
    expect(notFound.message).toContain("Check the names");

    const privileges = classifyError(new DriverLikeError("003001", "42501", "Insufficient privileges to operate on account 'X'"), op, context);
    expect(privileges.kind).toBe("insufficient_privileges");
    expect(privileges.message).toContain("It needs CREATE APPLICATION PACKAGE ON ACCOUNT: grant it to role DEPLOYER, or set snowflake:role");

    const exists = classifyError(new DriverLikeError("002002", "42710", "Object 'P' already exists."), op, context);
    expect(exists.kind).toBe("already_exists");
    expect(exists.message).toContain("floe does not take over existing objects silently: drop it, or choose another name with [packageName].");

    const login = classifyError(Object.assign(new Error("Incorrect username or password was specified."), { code: 390100 }), op, context);
    expect(login.kind).toBe("login");
    expect(login.code).toBe("390100");
    expect(login.message).toContain("Check snowflake:account, snowflake:user");
  });

  it("pads numeric codes and reports anything else as unexpected, with code, SQL state and message", () => {
    expect(classifyError(Object.assign(new Error("x"), { code: 2003 }), op, context).kind).toBe("not_found");
    const other = classifyError(new DriverLikeError("000603", "XX000", "SQL execution internal error:\nProcessing aborted."), op, {});
    expect(other.kind).toBe("unexpected");
    expect(other.message).toBe("Creating application package P failed with Snowflake error 000603 (SQL state XX000): SQL execution internal error: Processing aborted.");
    expect(other.message).not.toContain("role");
    expect(classifyError("boom", op, {}).message).toBe("Creating application package P failed with Snowflake error (no code): boom");
  });

  it("never lets a secret through, whole or a line of a private key", () => {
    const pem = "-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC\nBKcwggSjAgEAAoIBAQC7VJTUt9Us8cKj\n-----END PRIVATE KEY-----\n";
    const error = new DriverLikeError("000603", "XX000", `could not use hunter2-password or key line BKcwggSjAgEAAoIBAQC7VJTUt9Us8cKj; whole key ${pem}`);
    const classified = classifyError(error, op, { secrets: ["hunter2-password", pem] });
    expect(classified.message).not.toContain("hunter2-password");
    expect(classified.message).not.toContain("BKcwggSjAgEAAoIBAQC7VJTUt9Us8cKj");
    expect(classified.message).not.toContain("MIIEvQIBADANBgkqhkiG9w0BAQEFAASC");
    expect(classified.message).toContain("[redacted]");
    expect(redact("a hunter2-password b", ["hunter2-password", undefined, ""])).toBe("a [redacted] b");
  });
});

describe("the facade", () => {
  it("uploads through a temporary file named like the staged one, removed afterwards, also on failure", async () => {
    const seen: { sql: string; content: string; file: string }[] = [];
    const runner: SnowflakeRunner = {
      async execute(sql) {
        const file = /^PUT 'file:\/\/([^']+)'/.exec(sql)![1];
        seen.push({ sql, content: fs.readFileSync(file, "utf8"), file });
        if (seen.length === 2) throw new DriverLikeError("003001", "42501", "Insufficient privileges to operate on stage 'BUNDLE'");
        return [];
      },
      async close() {},
    };
    const facade = new SnowflakeFacade(runner, { role: "R" });
    await facade.putFile("@P.FLOE.BUNDLE/app", "lifecycle/resume.sql", "CREATE x;\n");
    expect(seen[0].sql).toMatch(/^PUT 'file:\/\/\/[^']*\/floe-put-[^/']+\/resume\.sql' '@P\.FLOE\.BUNDLE\/app\/lifecycle' AUTO_COMPRESS = FALSE OVERWRITE = TRUE$/);
    expect(seen[0].content).toBe("CREATE x;\n");
    expect(fs.existsSync(seen[0].file)).toBe(false);
    const failed = await facade.putFile("@P.FLOE.BUNDLE/app", "setup.sql", "y").catch((e: unknown) => e);
    expect(isFacadeError(failed)).toBe(true);
    expect((failed as SnowflakeFacadeError).message).toBe(
      "Uploading setup.sql to @P.FLOE.BUNDLE/app failed: role R lacks a privilege (Snowflake 003001: Insufficient privileges to operate on stage 'BUNDLE'). " +
        "It needs ownership of the stage P.FLOE.BUNDLE (or READ and WRITE on it): grant it to role R, or set snowflake:role to a role that has it.",
    );
    expect(seen[1].sql).toMatch(/\/setup\.sql' '@P\.FLOE\.BUNDLE\/app' /);
    expect(fs.existsSync(seen[1].file)).toBe(false);
  });

  it("uploads the files of one stage directory with one wildcard PUT from a folder holding only them, then removes it", async () => {
    const seen: { sql: string; files: Record<string, string>; folder: string }[] = [];
    const runner: SnowflakeRunner = {
      async execute(sql) {
        const folder = /^PUT 'file:\/\/([^']+)\/\*' /.exec(sql)?.[1] ?? path.dirname(/^PUT 'file:\/\/([^']+)'/.exec(sql)![1]);
        const files = Object.fromEntries(fs.readdirSync(folder).map((f) => [f, fs.readFileSync(path.join(folder, f), "utf8")]));
        seen.push({ sql, files, folder });
        return [];
      },
      async close() {},
    };
    const facade = new SnowflakeFacade(runner, { role: "R" });
    await facade.putFiles("@P.FLOE.BUNDLE/app", [["setup.sql", "s"], ["lifecycle/resume.sql", "r"], ["manifest.yml", "m"], ["lifecycle/pause.sql", "p"], ["README.md", "x"], ["config/one.sql", "o"]]);
    expect(seen.map((s) => s.sql.replace(/'file:\/\/[^']*\/floe-put-[^/']+\//, "'file://TMP/"))).toEqual([
      "PUT 'file://TMP/*' '@P.FLOE.BUNDLE/app' AUTO_COMPRESS = FALSE OVERWRITE = TRUE",
      "PUT 'file://TMP/*' '@P.FLOE.BUNDLE/app/lifecycle' AUTO_COMPRESS = FALSE OVERWRITE = TRUE",
      "PUT 'file://TMP/one.sql' '@P.FLOE.BUNDLE/app/config' AUTO_COMPRESS = FALSE OVERWRITE = TRUE",
    ]);
    expect(seen.map((s) => s.files)).toEqual([{ "setup.sql": "s", "manifest.yml": "m", "README.md": "x" }, { "resume.sql": "r", "pause.sql": "p" }, { "one.sql": "o" }]);
    for (const { folder } of seen) expect(fs.existsSync(folder)).toBe(false);
  });

  it("adds the version first, then patches, and finds the patch number when Snowflake does not answer it", async () => {
    for (const answersPatch of [true, false]) {
      const account = new FakeAccount({ answersPatch });
      const facade = new SnowflakeFacade(await account.open({ account: "O-A", user: "U" }));
      await facade.createApplicationPackage("P", "c", "INTERNAL");
      await facade.putFile(statements.stageLocation("P"), "manifest.yml", "m");
      await facade.putFile(statements.stageLocation("P"), "setup.sql", "s");
      account.take();
      expect(await facade.addVersionOrPatch("P", "V1", statements.stageLocation("P"))).toEqual({ added: "version", patch: 0 });
      expect(await facade.addVersionOrPatch("P", "V1", statements.stageLocation("P"))).toEqual({ added: "patch", patch: 1 });
      const show = "SHOW VERSIONS IN APPLICATION PACKAGE P";
      const addVersion = "ALTER APPLICATION PACKAGE P ADD VERSION V1 USING '@P.FLOE.BUNDLE/app'";
      const addPatch = "ALTER APPLICATION PACKAGE P ADD PATCH FOR VERSION V1 USING '@P.FLOE.BUNDLE/app'";
      expect(account.take()).toEqual(answersPatch ? [show, addVersion, show, addPatch] : [show, addVersion, show, show, addPatch, show]);
    }
  });

  it("lists staged bundle paths whatever case the columns come in", async () => {
    const rows: Row[] = [{ NAME: "bundle/app/setup.sql" }, { name: "bundle/app/lifecycle/resume.sql" }, { name: "bundle/elsewhere/x" }];
    const facade = new SnowflakeFacade({ execute: async () => rows, close: async () => {} });
    expect(await facade.listFiles("@P.FLOE.BUNDLE/app")).toEqual(["lifecycle/resume.sql", "setup.sql"]);
  });
});
