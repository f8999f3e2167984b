import * as fs from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { DEFAULT_TEMPLATES_DIR } from "../../generators/definition";
import { selectFeatures } from "../../generators/features";
import { buildModel } from "../../generators/model";
import { renderBundle } from "../../generators/render";
import { tempDir, writeFile } from "../helpers/tmp";

const ROOT = path.resolve(__dirname, "..", "..");
const names = (requested: Record<string, boolean>) => selectFeatures(requested, DEFAULT_TEMPLATES_DIR).features.map((f) => f.name);

describe("feature selection", () => {
  it("includes the required, recommended and default features in dependency order", () => {
    expect(names({})).toEqual([
      "core",
      "app_config",
      "prerequisites",
      "connector_configuration",
      "connection_configuration",
      "finalize",
      "resume",
      "pause",
    ]);
    expect(selectFeatures({}, DEFAULT_TEMPLATES_DIR).warnings).toEqual([]);
  });

  it("adds what a feature requires and orders it first", () => {
    const selected = names({ task_reactor: true, prerequisites: false, connector_configuration: false, connection_configuration: false, finalize: false, pause: false });
    expect(selected).toEqual(["core", "app_config", "task_reactor", "resume"]);
  });

  it("warns when a recommended file is left out", () => {
    const { warnings } = selectFeatures({ pause: false, finalize: false }, DEFAULT_TEMPLATES_DIR);
    expect(warnings).toEqual([
      "configuration/finalize_configuration.sql is recommended but left out: the wizard cannot finish: nothing moves the connector from CONFIGURING to STARTED.",
      "lifecycle/pause.sql is recommended but left out: a started connector cannot be paused (PAUSE_CONNECTOR does not exist).",
    ]);
  });

  it("refuses to turn off what resume requires, or what another feature requires", () => {
    expect(() => names({ app_config: false })).toThrow("[features] cannot turn off 'app_config': resume requires configuration/app_config.sql.");
    expect(() => names({ core: false })).toThrow("[features] cannot turn off 'core'");
    expect(() => names({ bogus: true })).toThrow("[features] has an unknown feature 'bogus'");
  });

  it("names the missing file when a feature's template is absent", () => {
    const dir = tempDir("floe-templates-");
    fs.cpSync(DEFAULT_TEMPLATES_DIR, dir, { recursive: true });
    fs.rmSync(path.join(dir, "lifecycle", "pause.sql"));
    expect(() => selectFeatures({}, dir)).toThrow(`feature 'pause' requires lifecycle/pause.sql, which is missing from ${dir}.`);
    expect(selectFeatures({ pause: false }, dir).features.map((f) => f.name)).not.toContain("pause");
  });

  it("renders only the selected files and procedures", () => {
    const model = buildModel({ name: "SMALL", features: { pause: false, finalize: false, prerequisites: false, connector_configuration: false, connection_configuration: false }, root: ROOT });
    const bundle = renderBundle(model);
    expect([...bundle.keys()]).toEqual(["README.md", "configuration/app_config.sql", "core.sql", "lifecycle/resume.sql", "manifest.yml", "setup.sql"]);
    expect(model.procedures.map((p) => p.name)).toEqual([
      "GET_CONNECTOR_STATUS",
      "RECOVER_CONNECTOR_STATE",
      "RESUME_CONNECTOR",
      "RESUME_CONNECTOR_VALIDATE",
      "RESUME_CONNECTOR_INTERNAL",
    ]);
    expect(model.warnings).toHaveLength(2);
  });

  it("refuses pause hooks when the pause feature is left out", () => {
    expect(() => buildModel({ name: "X", hooks: ["hooks/resume.ts"], features: { pause: false }, root: ROOT })).toThrow(/pause hooks are defined, but the 'pause' feature they belong to is left out/);
  });
});

describe("the connector definition", () => {
  it.each([
    [{ name: "bad name" }, "[name] must be an identifier"],
    [{ name: "X", version: "1.0" }, "[version] must be an identifier such as V1"],
    [{ name: "X", privileges: ["execute task"] }, '[privileges] must hold privilege names in upper case such as "EXECUTE TASK"'],
    [{ name: "X", privileges: ["EXECUTE TASK", "EXECUTE TASK"] }, "[privileges] lists a privilege twice."],
    [{ name: "X", manifestVersion: 3 }, "[manifestVersion] must be 1 or 2"],
    [{ name: "X", features: { pause: "yes" } }, "[features] pause must be true or false"],
    [{ name: "X", overrides: [{ procedure: "PUBLIC.X" }] }, "[overrides] entry 1 must be"],
    [{ name: "X", templatesDir: "/nonexistent" }, "[templatesDir] /nonexistent is not a directory."],
  ])("refuses %j", (definition, message) => {
    expect(() => buildModel({ root: ROOT, ...(definition as { name: string }) })).toThrow(message);
  });
});

describe("overrides", () => {
  const dir = tempDir("floe-overrides-");
  const override = (sql: string) => writeFile(dir, "override-{n}.sql", sql);
  const build = (file: string, procedure = "PUBLIC.RESUME_CONNECTOR_VALIDATE", hooks: string[] = []) =>
    buildModel({ name: "X", root: ROOT, hooks, overrides: [{ procedure, file }] });
  const VALID = `-- My own validator
CREATE OR REPLACE PROCEDURE PUBLIC.RESUME_CONNECTOR_VALIDATE()
  RETURNS VARIANT
  LANGUAGE JAVASCRIPT
  EXECUTE AS OWNER
AS
$$
return { response_code: "OK", message: "checked in SQL" };
$$;
`;

  it("places an override after the defaults and the hooks, and re-grants a granted procedure", () => {
    const file = override(VALID);
    const model = build(file);
    const bundle = renderBundle(model);
    const setup = bundle.get("setup.sql")!;
    expect(setup.trimEnd().split("\n").slice(-1)[0]).toBe("EXECUTE IMMEDIATE FROM 'overrides/resume_connector_validate.sql';");
    expect(bundle.get("overrides/resume_connector_validate.sql")).toBe(`-- Copied by floe render from ${path.relative(ROOT, file)}; edit that file, not this copy.\n${VALID}`);
    const validate = model.procedures.find((p) => p.name === "RESUME_CONNECTOR_VALIDATE")!;
    expect(validate.origin).toEqual({ kind: "override", file: path.relative(ROOT, file) });
    expect(validate.body).toContain("checked in SQL");

    const resume = override(VALID.replace(/RESUME_CONNECTOR_VALIDATE/g, "RESUME_CONNECTOR"));
    const setup2 = renderBundle(build(resume, "PUBLIC.RESUME_CONNECTOR")).get("setup.sql")!;
    expect(setup2.trimEnd().split("\n").slice(-2)).toEqual([
      "EXECUTE IMMEDIATE FROM 'overrides/resume_connector.sql';",
      "GRANT USAGE ON PROCEDURE PUBLIC.RESUME_CONNECTOR() TO APPLICATION ROLE ADMIN;",
    ]);
  });

  it("warns when an override replaces a hook", () => {
    const model = build(override(VALID), "PUBLIC.RESUME_CONNECTOR_VALIDATE", ["hooks/resume.ts"]);
    expect(model.warnings.join("\n")).toMatch(/PUBLIC\.RESUME_CONNECTOR_VALIDATE is defined by a hook \(hooks\/resume\.ts:\d+\) and by the override .*override-\d+\.sql; the override runs later in setup\.sql and replaces the hook\./);
  });

  it.each([
    ["a different procedure", VALID.replace("PUBLIC.RESUME_CONNECTOR_VALIDATE()", "PUBLIC.OTHER()"), "this file overrides PUBLIC.RESUME_CONNECTOR_VALIDATE, but the procedure it creates is PUBLIC.OTHER."],
    ["no OR REPLACE", VALID.replace("CREATE OR REPLACE", "CREATE"), "use CREATE OR REPLACE PROCEDURE"],
    ["a wrong signature", VALID.replace("VALIDATE()", "VALIDATE(X STRING)"), "PUBLIC.RESUME_CONNECTOR_VALIDATE must take () to replace floe's procedure; this one takes (STRING)."],
    ["a wrong return type", VALID.replace("RETURNS VARIANT", "RETURNS STRING"), "must RETURN VARIANT"],
    ["no procedure", "SELECT 1;", "an override file must hold exactly one CREATE OR REPLACE PROCEDURE PUBLIC.RESUME_CONNECTOR_VALIDATE; found 0."],
    ["a syntax error", VALID.replace("RETURNS VARIANT", "RETURNS VARIANT LANGUAGE"), 'unexpected "LANGUAGE"; expected JAVASCRIPT, SQL, JAVA, SCALA or PYTHON'],
    ["EXECUTE AS before COMMENT", VALID.replace("  EXECUTE AS OWNER\n", "  EXECUTE AS OWNER\n  COMMENT = 'mine'\n"), "COMMENT is out of place (expected AS)"],
    ["EXECUTE AS CALLER", VALID.replace("EXECUTE AS OWNER", "EXECUTE AS CALLER"), "a setup script may not create a procedure with EXECUTE AS CALLER"],
    ["EXECUTE AS RESTRICTED CALLER", VALID.replace("EXECUTE AS OWNER", "EXECUTE AS RESTRICTED CALLER"), "EXECUTE AS RESTRICTED CALLER"],
    ["a USE statement", "USE SCHEMA STATE;\n" + VALID, "may not contain USE statements (USE SCHEMA)"],
    ["a Snowflake Scripting body that does not read", VALID.replace(/LANGUAGE JAVASCRIPT[\s\S]*$/, "LANGUAGE SQL\nAS\nBEGIN\n  IF (1 = 1) RETURN 1; END IF;\nEND;\n"), "Snowflake Scripting: expected THEN"],
  ])("refuses %s, naming the file and line", (_label, sql, message) => {
    const file = override(sql);
    expect(() => build(file)).toThrow(message);
    expect(() => build(file)).toThrow(new RegExp(`${path.basename(file)}:\\d+:\\d+ - error: `));
  });

  it("points at the EXECUTE AS clause of a caller's-rights override", () => {
    const file = override(VALID.replace("EXECUTE AS OWNER", "EXECUTE AS CALLER"));
    expect(() => build(file)).toThrow(new RegExp(`${path.basename(file)}:5:3 - error: a setup script may not create a procedure with EXECUTE AS CALLER`));
  });

  it("accepts a Snowflake Scripting body written without $$, as the reference's own SQL files do", () => {
    const scripting = `CREATE OR REPLACE PROCEDURE PUBLIC.RESUME_CONNECTOR_VALIDATE()
    RETURNS VARIANT
    LANGUAGE SQL
    EXECUTE AS OWNER
    AS
    DECLARE
        n NUMBER;
    BEGIN
        SELECT COUNT(*) INTO :n FROM STATE.APP_CONFIG;
        IF (n = 0) THEN
            RETURN OBJECT_CONSTRUCT('response_code', 'NOT_CONFIGURED', 'message', 'Configure the connector first.');
        END IF;
        RETURN OBJECT_CONSTRUCT('response_code', 'OK');
    END;
`;
    const delimited = scripting.replace("    AS\n", () => "    AS\n$$\n").replace(/END;\n$/, () => "END;\n$$;\n");
    for (const text of [scripting, delimited]) {
      const model = build(override(text));
      const validate = model.procedures.find((p) => p.name === "RESUME_CONNECTOR_VALIDATE")!;
      expect(validate.language).toBe("SQL");
      expect(validate.body).toMatch(/^\s*DECLARE[\s\S]*END;?\s*$/);
      expect(validate.body).toContain("SELECT COUNT(*) INTO :n FROM STATE.APP_CONFIG;");
    }
  });

  it("refuses unknown, excluded and doubled overrides", () => {
    const file = override(VALID);
    expect(() => build(file, "PUBLIC.NOPE")).toThrow("[overrides] PUBLIC.NOPE is not a procedure floe defines");
    expect(() => buildModel({ name: "X", root: ROOT, features: { pause: false }, overrides: [{ procedure: "PUBLIC.PAUSE_CONNECTOR", file }] })).toThrow(
      "[overrides] PUBLIC.PAUSE_CONNECTOR belongs to the 'pause' feature, which is left out.",
    );
    expect(() => buildModel({ name: "X", root: ROOT, overrides: [{ procedure: "PUBLIC.RESUME_CONNECTOR_VALIDATE", file }, { procedure: "PUBLIC.RESUME_CONNECTOR_VALIDATE", file }] })).toThrow(
      "[overrides] PUBLIC.RESUME_CONNECTOR_VALIDATE is overridden twice.",
    );
    expect(() => build(path.join(dir, "missing.sql"))).toThrow(/does not exist/);
  });
});
