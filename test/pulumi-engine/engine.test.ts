/**
 * The real Pulumi engine deploying the example connector into floe's sandbox: `pulumi up`,
 * `preview --diff`, `refresh`, `destroy` and `stack export`, run by the Pulumi CLI (a `pulumi`
 * on PATH, else the one scripts/install-pulumi builds) against a sandbox served over HTTP and
 * reached by the providers through snowflake-sdk. One stack, one scenario, step by step: each
 * test starts from the state the previous one left. Skipped when no Pulumi CLI can be found.
 *
 * What the engine adds over the provider tests: its own diffing of serialized dynamic
 * providers, preview before update, replaceWith/deletedWith, secrets in state, refresh through
 * the providers' read(), and destroy order.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connect, destroy, execute, type Connection } from "../../snowflake/driver";
import { findPulumi } from "../helpers/pulumi-cli";
import { EngineStack, newKeyPair } from "./stack";

const cli = findPulumi();
const APP = "EXAMPLE_CONNECTOR";
const PKG = "EXAMPLE_CONNECTOR_PKG";

/** The steps of a `--json` preview: operation and resource name, without those that stay the same. */
interface PreviewStep {
  readonly op: string;
  readonly urn: string;
  readonly newState?: { readonly type: string; readonly inputs?: Record<string, unknown> };
}

function changes(preview: { steps: PreviewStep[] }): string[] {
  return preview.steps.filter((s) => s.op !== "same").map((s) => `${s.op} ${s.urn.split("::").pop()}`);
}

// Each step runs the CLI two to five times (each run starts node, renders the connector and
// starts the dynamic-provider host): seconds each alone, much longer on a loaded 2-core machine.
const STEP_TIMEOUT_MS = 600_000;

describe.skipIf(cli === null)(`the Pulumi engine (${cli === null ? "no pulumi CLI: run npm run pulumi:install" : `${cli.version} from ${cli.source}`}) against the sandbox`, { timeout: STEP_TIMEOUT_MS }, () => {
  const passphrase = "the key's passphrase, a secret too";
  const key = newKeyPair(passphrase);
  let stack: EngineStack;
  let driver: Connection;

  /** A procedure of the app through snowflake-sdk, as a consumer calls it. */
  async function call(procedure: string, args = "", binds: unknown[] = []): Promise<Record<string, unknown>> {
    const rows = (await execute(driver, `CALL ${APP}.PUBLIC.${procedure}(${args})`, { binds })).rows;
    return rows[0][procedure] as Record<string, unknown>;
  }

  async function connectorStatus(): Promise<string> {
    const status = await call("GET_CONNECTOR_STATUS");
    return `${String(status.status)} / ${String(status.configurationStatus)}`;
  }

  /** The COMMENT of a procedure of the app (floe writes the content hash there). */
  async function procedureComment(name: string): Promise<string> {
    const rows = (await execute(driver, `SHOW PROCEDURES LIKE '${name}' IN APPLICATION ${APP}`)).rows;
    expect(rows).toHaveLength(1);
    return String(rows[0].description);
  }

  /** STATE.APP_CONFIG through the sandbox's back door: a consumer cannot read an app's internal tables. */
  function configRows(): string[] {
    return stack.sandbox.tables
      .execute("SELECT KEY, TO_JSON(VALUE) FROM STATE.APP_CONFIG ORDER BY KEY", [], { database: APP }, { systemFunction: () => { throw new Error("no functions here"); } })
      .rows.map((r) => `${String(r[0])}=${String(r[1])}`);
  }

  beforeAll(async () => {
    stack = await EngineStack.create(cli!, { credentials: { privateKey: key.privateKey, privateKeyPassphrase: passphrase } });
    driver = await connect({ ...stack.server.connectionOptions() });
  }, STEP_TIMEOUT_MS);

  afterAll(async () => {
    if (driver !== undefined) await destroy(driver);
    await stack?.close();
  });

  it("pulumi up from nothing creates the package, staged files, version, application and both grants", async () => {
    const mark = stack.received.length;
    const up = await stack.run(["up", "--yes", "--non-interactive"]);
    expect(up.code, up.stdout + up.stderr).toBe(0);
    expect(up.stdout).toContain("+ 18 created");

    const statements = stack.statementsSince(mark);
    const puts = statements.filter((s) => s.startsWith("PUT "));
    expect(puts.map((s) => /'@[^']*\/app([^']*)'/.exec(s)?.[1] + "/" + /'file:\/\/[^']*\/([^'/]+)'/.exec(s)?.[1]).sort()).toEqual([
      "/README.md",
      "/configuration/app_config.sql",
      "/configuration/connection_configuration.sql",
      "/configuration/connector_configuration.sql",
      "/configuration/finalize_configuration.sql",
      "/configuration/prerequisites.sql",
      "/core.sql",
      "/lifecycle/pause.sql",
      "/lifecycle/resume.sql",
      "/manifest.yml",
      "/setup.sql",
    ]);
    // Dependency order: the package, its files, the version, the application, then both grants
    // (in parallel, so in either order).
    const others = statements.filter((s) => !s.startsWith("PUT "));
    expect(others.slice(0, 7)).toEqual([
      `CREATE APPLICATION PACKAGE ${PKG} COMMENT = 'An example connector built on the Native SDK for Connectors lifecycle, provisioned with floe.' DISTRIBUTION = INTERNAL`,
      `CREATE SCHEMA ${PKG}.FLOE`,
      `CREATE STAGE ${PKG}.FLOE.BUNDLE`,
      `LIST '@${PKG}.FLOE.BUNDLE/app/'`,
      `SHOW VERSIONS IN APPLICATION PACKAGE ${PKG}`,
      `ALTER APPLICATION PACKAGE ${PKG} ADD VERSION V1 USING '@${PKG}.FLOE.BUNDLE/app'`,
      `CREATE APPLICATION ${APP} FROM APPLICATION PACKAGE ${PKG} USING VERSION V1 PATCH 0`,
    ]);
    expect(others.slice(7).sort()).toEqual([`GRANT APPLICATION ROLE ${APP}.ADMIN TO ROLE CONNECTOR_ADMIN`, `GRANT EXECUTE TASK ON ACCOUNT TO APPLICATION ${APP}`]);
    expect(statements.indexOf(puts[puts.length - 1])).toBeLessThan(statements.indexOf(others[3]));
    expect(statements.indexOf(others[2])).toBeLessThan(statements.indexOf(puts[0]));
    // The 16 creates share one session of the provider process: one login with the key pair.
    expect(stack.loginsSince(mark)).toBe(1);

    const outputs = await stack.outputs();
    expect(outputs).toMatchObject({ applicationName: APP, packageName: PKG, version: "V1", patch: 0 });
    expect((await execute(driver, `SHOW GRANTS TO APPLICATION ${APP}`)).rows.map((r) => r.privilege)).toEqual(["EXECUTE TASK"]);
    expect((await execute(driver, `SHOW GRANTS OF APPLICATION ROLE ${APP}.ADMIN`)).rows.map((r) => `${String(r.granted_to)} ${String(r.grantee_name)}`)).toEqual(["ROLE CONNECTOR_ADMIN"]);
  });

  it("the deployed app walks to STARTED through the driver", async () => {
    expect(await connectorStatus()).toBe("CONFIGURING / INSTALLED");
    expect(await call("MARK_ALL_PREREQUISITES_AS_DONE")).toMatchObject({ response_code: "OK" });
    expect(await call("CONFIGURE_CONNECTOR", "PARSE_JSON(?)", [JSON.stringify({ warehouse: "CONNECTOR_WH", destination_database: "ORDERS_DB" })])).toMatchObject({ response_code: "OK" });
    expect(await call("SET_CONNECTION_CONFIGURATION", "PARSE_JSON(?)", [JSON.stringify({ endpoint: "https://api.example.com" })])).toMatchObject({ response_code: "OK" });
    expect(await call("FINALIZE_CONNECTOR_CONFIGURATION", "PARSE_JSON(?)", ["{}"])).toMatchObject({ response_code: "OK" });
    expect(await connectorStatus()).toBe("STARTED / FINALIZED");
    // PAUSE and RESUME need the EXECUTE TASK that Pulumi granted.
    expect(await call("PAUSE_CONNECTOR")).toMatchObject({ response_code: "OK" });
    expect(await call("RESUME_CONNECTOR")).toMatchObject({ response_code: "OK" });
    expect(await connectorStatus()).toBe("STARTED / FINALIZED");
  });

  let configBefore: string[];

  it("a hook change previews as exactly setup.sql, a new patch and an upgrade, and applies as that", async () => {
    configBefore = configRows();
    expect(configBefore.map((r) => r.split("=")[0])).toEqual(expect.arrayContaining(["connection_configuration", "connector_configuration"]));
    stack.editProject("hooks/resume.ts", (text) => text.replace('return ok("Ingestion resumed.");', 'return ok("Ingestion resumed, upgraded by Pulumi.");'));

    const mark = stack.received.length;
    const preview = await stack.run(["preview", "--diff", "--json", "--non-interactive"]);
    expect(preview.code, preview.stdout + preview.stderr).toBe(0);
    const plan = JSON.parse(preview.stdout) as { steps: PreviewStep[]; changeSummary: Record<string, number> };
    expect(changes(plan)).toEqual(["update example-file-setup.sql", "update example-version", "update example-app"]);
    expect(plan.changeSummary).toEqual({ same: 15, update: 3 });
    const app = plan.steps.find((s) => s.urn.endsWith("::example-app"))!;
    expect(app.newState?.inputs).toMatchObject({ name: APP, version: "V1" });
    // The human form of the same preview shows the changed line of the hook.
    const text = await stack.run(["preview", "--diff", "--non-interactive"]);
    expect(text.code, text.stdout + text.stderr).toBe(0);
    expect(text.stdout).toMatch(/-\s+return ok\("Ingestion resumed\."\);/);
    expect(text.stdout).toMatch(/\+\s+return ok\("Ingestion resumed, upgraded by Pulumi\."\);/);
    expect(text.stdout).toContain("~ 3 to update");
    expect(text.stdout).not.toMatch(/replace|to create|to delete/);
    // A preview runs nothing against Snowflake.
    expect(stack.statementsSince(mark)).toEqual([]);

    const upMark = stack.received.length;
    const up = await stack.run(["up", "--yes", "--non-interactive"]);
    expect(up.code, up.stdout + up.stderr).toBe(0);
    expect(stack.statementsSince(upMark).map((s) => s.replace(/'file:\/\/[^']*\//, "'file://…/"))).toEqual([
      `PUT 'file://…/setup.sql' '@${PKG}.FLOE.BUNDLE/app' AUTO_COMPRESS = FALSE OVERWRITE = TRUE`,
      `LIST '@${PKG}.FLOE.BUNDLE/app/'`,
      `SHOW VERSIONS IN APPLICATION PACKAGE ${PKG}`,
      `ALTER APPLICATION PACKAGE ${PKG} ADD PATCH FOR VERSION V1 USING '@${PKG}.FLOE.BUNDLE/app'`,
      `ALTER APPLICATION ${APP} UPGRADE USING VERSION V1 PATCH 1`,
    ]);
    expect(await stack.outputs()).toMatchObject({ patch: 1 });

    expect(await connectorStatus()).toBe("STARTED / FINALIZED");
    expect(configRows()).toEqual(configBefore);
    // The application runs the new hook body: its procedure carries the new content hash.
    const hash = ((await stack.outputs()).procedures as { signature: string; hash: string }[]).find((p) => p.signature === "PUBLIC.RESUME_CONNECTOR_INTERNAL()")!.hash;
    expect(await procedureComment("RESUME_CONNECTOR_INTERNAL")).toContain(`sha256:${hash}`);
    expect(await call("PAUSE_CONNECTOR")).toMatchObject({ response_code: "OK" });
    expect(await call("RESUME_CONNECTOR")).toMatchObject({ response_code: "OK" });
  });

  it("a renamed application fails the preview with the refusal, and nothing runs", async () => {
    await stack.config("floe:applicationName", "RENAMED_CONNECTOR");
    const mark = stack.received.length;
    for (const args of [["preview", "--non-interactive"], ["up", "--yes", "--non-interactive"]]) {
      const run = await stack.run(args);
      expect(run.code).not.toBe(0);
      expect(run.stdout + run.stderr).toContain(`Refusing to replace application ${APP}: the change of name ${APP} -> RENAMED_CONNECTOR cannot be made to an existing application`);
    }
    expect(stack.received.slice(mark)).toEqual([]);
    await stack.must(["config", "rm", "floe:applicationName"]);
    expect(await connectorStatus()).toBe("STARTED / FINALIZED");
  });

  it("drift: a procedure replaced out of band is found by pulumi refresh and repaired by the next up", async () => {
    const original = await procedureComment("RESUME_CONNECTOR_INTERNAL");
    expect(original).toMatch(/sha256:[0-9a-f]{16}/);
    // No consumer can replace an application's procedure (the sandbox refuses it, as Snowflake
    // does): the change out of band is made inside the application, through the back door.
    stack.sandbox.runAsApplication(
      APP,
      `CREATE OR REPLACE PROCEDURE PUBLIC.RESUME_CONNECTOR_INTERNAL() RETURNS VARIANT LANGUAGE JAVASCRIPT EXECUTE AS OWNER AS $$ return { response_code: "OK", message: "replaced out of band" }; $$`,
    );
    expect(await procedureComment("RESUME_CONNECTOR_INTERNAL")).toBe("");

    // What the refresh would record, then the refresh itself.
    const check = await stack.run(["refresh", "--preview-only", "--diff", "--non-interactive"]);
    expect(check.code, check.stdout + check.stderr).toBe(0);
    expect(check.stdout).toMatch(/~ pulumi-nodejs:dynamic\/floe:Application: \(update\)/);
    expect(check.stdout).toMatch(/~ PUBLIC\.RESUME_CONNECTOR_INTERNAL\(\)\s*: "[0-9a-f]{16}" => "replaced out of band"/);
    expect(check.stdout).toContain("~ 1 to update");
    const mark = stack.received.length;
    const refresh = await stack.run(["refresh", "--yes", "--non-interactive", "--json"]);
    expect(refresh.code, refresh.stdout + refresh.stderr).toBe(0);
    // Refresh reads, never writes.
    expect(stack.statementsSince(mark).every((s) => /^(SHOW|LIST) /.test(s))).toBe(true);
    const state = await stack.exportState();
    const app = state.deployment.resources!.find((r) => r.urn.endsWith("::example-app"))!;
    expect((app.outputs!.procedures as Record<string, string>)["PUBLIC.RESUME_CONNECTOR_INTERNAL()"]).toBe("replaced out of band");

    const preview = JSON.parse((await stack.must(["preview", "--json", "--non-interactive"])).stdout) as { steps: PreviewStep[] };
    expect(changes(preview)).toEqual(["update example-app"]);
    const upMark = stack.received.length;
    await stack.must(["up", "--yes", "--non-interactive"]);
    expect(stack.statementsSince(upMark)).toEqual([`ALTER APPLICATION ${APP} UPGRADE USING VERSION V1 PATCH 1`]);
    expect(await procedureComment("RESUME_CONNECTOR_INTERNAL")).toBe(original);
    expect(await connectorStatus()).toBe("STARTED / FINALIZED");
    expect(configRows()).toEqual(configBefore);
    // Nothing left to change.
    const after = JSON.parse((await stack.must(["preview", "--json", "--non-interactive"])).stdout) as { steps: PreviewStep[] };
    expect(changes(after)).toEqual([]);
  });

  it("pulumi stack export, and every file of the backend, hold no plaintext secret", async () => {
    const exported = (await stack.must(["stack", "export"])).stdout;
    const lines = key.privateKey.split("\n").filter((l) => l.length > 20 && !l.startsWith("-----"));
    expect(lines.length).toBeGreaterThan(10);
    const texts = [exported, ...stack.backendFiles().values(), (await stack.must(["stack", "output", "--json"])).stdout];
    for (const text of texts) {
      for (const line of lines) expect(text).not.toContain(line);
      expect(text).not.toContain(passphrase);
      expect(text).not.toContain("ENCRYPTED PRIVATE KEY");
    }
    // The connection is there, as a secret.
    const state = JSON.parse(exported) as { deployment: { resources: { type: string; inputs?: Record<string, unknown>; outputs?: Record<string, unknown> }[] } };
    const dynamic = state.deployment.resources.filter((r) => r.type.startsWith("pulumi-nodejs:dynamic/floe:"));
    expect(dynamic).toHaveLength(16);
    for (const r of dynamic) {
      expect(r.inputs!.connection).toMatchObject({ "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270" });
      expect(r.outputs!.connection).toMatchObject({ "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270" });
    }
  });

  it("rotating to a password updates every resource's recorded connection, runs no SQL, and keeps the password out of the state", async () => {
    const password = "a rotated password, also secret";
    await stack.must(["config", "rm", "snowflake:privateKey"]);
    await stack.must(["config", "rm", "snowflake:privateKeyPassphrase"]);
    await stack.config("snowflake:password", password, { secret: true });
    const mark = stack.received.length;
    const up = await stack.must(["up", "--yes", "--non-interactive"]);
    expect(up.stdout).toContain("16 updated");
    expect(stack.statementsSince(mark)).toEqual([]);
    for (const text of [(await stack.must(["stack", "export"])).stdout, ...stack.backendFiles().values()]) expect(text).not.toContain(password);
  });

  it("pulumi destroy removes everything in dependency order, and nothing of the app remains", async () => {
    const mark = stack.received.length;
    const run = await stack.must(["destroy", "--yes", "--non-interactive"]);
    expect(run.stdout).toContain("18 deleted");
    const statements = stack.statementsSince(mark);
    // Grants and staged files are deletedWith what contains them: no REVOKE, no REMOVE.
    expect(statements).toEqual([`DROP APPLICATION IF EXISTS ${APP}`, `DROP APPLICATION PACKAGE IF EXISTS ${PKG}`]);
    expect((await execute(driver, `SHOW APPLICATIONS LIKE '${APP}'`)).rows).toEqual([]);
    expect((await execute(driver, `SHOW APPLICATION PACKAGES LIKE '${PKG}'`)).rows).toEqual([]);
    const state = await stack.exportState();
    expect(state.deployment.resources ?? []).toEqual([]);
  });
});
