/**
 * ConnectorApp under Pulumi mocks: the resource graph it registers (types, names, inputs,
 * parents, dependencies, options), secrets kept secret, its outputs, every validation message,
 * and the minimality of a hook change (one staged file, one patch, one upgrade, no replacement),
 * proven on the registered inputs and by playing the engine's part with the providers; and the
 * example program (index.ts) run as `pulumi up` runs it. One file, so that ts-morph and the
 * providers' serialization warm up once.
 */
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type * as pulumi from "@pulumi/pulumi";
import * as snowflake from "@pulumi/snowflake";
import example from "../../connector";
import { renderConnector, type RenderedApp } from "../../generators/pipeline";
import { bundleHash, ConnectorApp, connectionFromConfig, makeProviders, snowflakeProviderArgs, leaseSession, openSession, closeSharedSessions, SnowflakeFacade, type ConnectorAppArgs, type OpenRunner, type SnowflakeConnection } from "../../components";
import { Sandbox } from "../../sandbox/sandbox";
import { tempDir } from "../helpers/tmp";

// One scratch directory for the file, removed after it (tempDir registers that at file level).
const scratch = tempDir("floe-components-");
const scratchDir = (prefix: string) => fs.mkdtempSync(path.join(scratch, prefix));
import { FakeAccount } from "./fake-account";
import { installMocks, TYPES, valueOf, type MockSession, type Registration } from "./mocks";

const PASSWORD = "s3cret-Password-42";
const PEM = "-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSj\nAgEAAoIBAQC7VJTUt9Us8cKjMzEfYyjiWA4R4\n-----END PRIVATE KEY-----\n";
const sha256 = (text: string) => createHash("sha256").update(text, "utf8").digest("hex");

let rendered: RenderedApp;
beforeAll(async () => {
  rendered = await renderConnector(example);
});

const explicit = { account: "MYORG-MYACCOUNT", user: "DEPLOYER", role: "DEPLOYER_ROLE", password: PASSWORD };

async function deploy(
  name: string,
  args: Omit<ConnectorAppArgs, "rendered">,
  mockOptions: Parameters<typeof installMocks>[0] = {},
  app_: RenderedApp = rendered,
): Promise<{ session: MockSession; app: ConnectorApp }> {
  const session = installMocks(mockOptions);
  const app = new ConnectorApp(name, { rendered: app_, ...args });
  await Promise.all([valueOf(app.urn), valueOf(app.patch), valueOf(app.applicationName), ...app.privilegeGrants.map((g) => valueOf(g.urn)), ...app.roleGrants.map((g) => valueOf(g.urn))]);
  await session.settle();
  return { session, app };
}

describe("the resource graph", () => {
  let session: MockSession;
  let app: ConnectorApp;
  beforeAll(async () => {
    ({ session, app } = await deploy("conn", { connection: explicit, roles: { ADMIN: ["CONNECTOR_ADMIN"], VIEWER: ["ANALYST", "auditor"] } }));
  });
  const dynamicTypes = [TYPES.package, TYPES.file, TYPES.version, TYPES.application, TYPES.privilege, TYPES.roleGrant];

  it("holds one resource per object, named after the component", () => {
    const files = [...rendered.bundle.keys()];
    expect(files.length).toBeGreaterThan(5);
    // Independent resources register in whatever order their inputs resolve: compare sets.
    const byName = (a: string[], b: string[]) => (a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0);
    expect(session.registrations[0].name).toBe("conn");
    expect(session.registrations.map((r) => [r.type, r.name]).sort(byName)).toEqual([
      [TYPES.component, "conn"],
      [TYPES.package, "conn-package"],
      ...files.map((f) => [TYPES.file, `conn-file-${f}`]),
      [TYPES.version, "conn-version"],
      [TYPES.application, "conn-app"],
      [TYPES.privilege, "conn-privilege-execute-task"],
      [TYPES.roleGrant, "conn-role-ADMIN-CONNECTOR_ADMIN"],
      [TYPES.roleGrant, "conn-role-VIEWER-ANALYST"],
      [TYPES.roleGrant, "conn-role-VIEWER-auditor"],
    ].sort(byName));
    const component = session.byName("conn");
    for (const r of session.registrations.slice(1)) expect(r.parent, r.name).toBe(component.urn);
  });

  it("gives each resource the inputs that define it", () => {
    const model = rendered.model;
    expect(session.byName("conn-package").inputs).toMatchObject({ name: "EXAMPLE_CONNECTOR_PKG", comment: model.description, distribution: "INTERNAL" });
    const hashes: Record<string, string> = {};
    for (const [path, content] of rendered.bundle) {
      const inputs = session.byName(`conn-file-${path}`).inputs;
      expect(inputs).toMatchObject({ location: "@EXAMPLE_CONNECTOR_PKG.FLOE.BUNDLE/app", path, content, hash: sha256(content) });
      hashes[path] = sha256(content);
    }
    expect(session.byName("conn-version").inputs).toMatchObject({
      packageName: "EXAMPLE_CONNECTOR_PKG",
      location: "@EXAMPLE_CONNECTOR_PKG.FLOE.BUNDLE/app",
      version: "V1",
      files: hashes,
      bundleHash: bundleHash(hashes),
    });
    expect(session.byName("conn-app").inputs).toMatchObject({ name: "EXAMPLE_CONNECTOR", packageName: "EXAMPLE_CONNECTOR_PKG", version: "V1", patch: 0, allowReplace: false });
    // What a refresh compares with the application's live procedures: signature (types as
    // SHOW PROCEDURES reports them) and content hash.
    const checked = session.byName("conn-app").inputs.procedures as Record<string, string>;
    expect(Object.keys(checked)).toHaveLength(model.procedures.length);
    expect(checked["PUBLIC.RECOVER_CONNECTOR_STATE(VARCHAR)"]).toBe(model.procedures.find((p) => p.signature === "PUBLIC.RECOVER_CONNECTOR_STATE(STRING)")!.hash);
    expect(session.byName("conn-privilege-execute-task").inputs).toMatchObject({ application: "EXAMPLE_CONNECTOR", privilege: "EXECUTE TASK" });
    expect(session.byName("conn-role-ADMIN-CONNECTOR_ADMIN").inputs).toMatchObject({ application: "EXAMPLE_CONNECTOR", applicationRole: "ADMIN", accountRole: "CONNECTOR_ADMIN" });
    expect(session.byName("conn-role-VIEWER-auditor").inputs).toMatchObject({ application: "EXAMPLE_CONNECTOR", applicationRole: "VIEWER", accountRole: "auditor" });
    for (const r of session.registrations.filter((r) => dynamicTypes.includes(r.type as never))) {
      expect(r.inputs.connection, r.name).toEqual(explicit);
    }
  });

  it("orders them: files after the package, the patch after every file, the application after the patch, grants after the application", () => {
    const urn = (name: string) => session.byName(name).urn;
    const files = session.byType(TYPES.file);
    for (const f of files) {
      expect(f.dependencies, f.name).toEqual([urn("conn-package")]);
      expect(f.deletedWith, f.name).toBe(urn("conn-package"));
    }
    expect([...session.byName("conn-version").dependencies].sort()).toEqual(files.map((f) => f.urn).sort());
    expect(session.byName("conn-app").dependencies).toEqual([urn("conn-version")]);
    for (const grant of [...session.byType(TYPES.privilege), ...session.byType(TYPES.roleGrant)]) {
      expect(grant.dependencies, grant.name).toEqual([urn("conn-app")]);
      // A re-created application has lost its grants: they are re-created with it, and not
      // revoked one by one when it is dropped anyway.
      expect(grant.replaceWith, grant.name).toEqual([urn("conn-app")]);
      expect(grant.deletedWith, grant.name).toBe(urn("conn-app"));
    }
    for (const grant of [...session.byType(TYPES.privilege), ...session.byType(TYPES.roleGrant)]) expect(grant.deleteBeforeReplace, grant.name).toBe(true);
    expect(session.byName("conn-app").replaceWith).toEqual([]);
  });

  it("keeps credentials secret: secret inputs, secret outputs, never in a provider's code or any other input", () => {
    for (const r of session.registrations.filter((r) => dynamicTypes.includes(r.type as never))) {
      expect(r.secretInputs, r.name).toEqual(["connection"]);
      expect(r.additionalSecretOutputs, r.name).toContain("connection");
      const code = String(r.inputs.__provider);
      expect(code, r.name).toContain("exports.handler");
      expect(code, r.name).not.toContain(PASSWORD);
    }
    for (const r of session.registrations) {
      const visible = Object.fromEntries(Object.entries(r.inputs).filter(([k]) => !r.secretInputs.includes(k)));
      expect(JSON.stringify(visible), r.name).not.toContain(PASSWORD);
    }
  });

  it("outputs the application, its version and patch, the procedures with their hashes, and the grants", async () => {
    expect(await valueOf(app.applicationName)).toBe("EXAMPLE_CONNECTOR");
    expect(await valueOf(app.packageName)).toBe("EXAMPLE_CONNECTOR_PKG");
    expect(await valueOf(app.stageLocation)).toBe("@EXAMPLE_CONNECTOR_PKG.FLOE.BUNDLE/app");
    expect(await valueOf(app.version)).toBe("V1");
    expect(await valueOf(app.patch)).toBe(0);
    const procedures = await valueOf(app.procedures);
    expect(procedures.map((p) => [p.signature, p.hash, p.file])).toEqual(rendered.model.procedures.map((p) => [p.signature, p.hash, p.file]));
    expect(procedures.find((p) => p.signature === "PUBLIC.RESUME_CONNECTOR_VALIDATE()")?.origin).toMatch(/^hook hooks\/resume\.ts:\d+$/);
    const grants = await valueOf(app.grants);
    expect(grants.filter((g) => g.by === "pulumi")).toEqual([
      { privilege: "EXECUTE TASK", on: "ACCOUNT", to: "APPLICATION EXAMPLE_CONNECTOR", by: "pulumi" },
      { privilege: "APPLICATION ROLE", on: "EXAMPLE_CONNECTOR.ADMIN", to: "ROLE CONNECTOR_ADMIN", by: "pulumi" },
      { privilege: "APPLICATION ROLE", on: "EXAMPLE_CONNECTOR.VIEWER", to: "ROLE ANALYST", by: "pulumi" },
      { privilege: "APPLICATION ROLE", on: "EXAMPLE_CONNECTOR.VIEWER", to: "ROLE auditor", by: "pulumi" },
    ]);
    expect(grants).toContainEqual({ privilege: "USAGE", on: "PROCEDURE PUBLIC.RESUME_CONNECTOR()", to: "APPLICATION ROLE ADMIN", by: "bundle" });
    expect(Object.keys(await valueOf(app.files))).toEqual([...rendered.bundle.keys()].sort());
  });
});

describe("connection settings from stack config", () => {
  it("reads snowflake:* with the private key as a secret", async () => {
    const { session } = await deploy(
      "cfg",
      { roles: { ADMIN: ["CONNECTOR_ADMIN"] } },
      {
        config: { "snowflake:account": "MYORG-MYACCOUNT", "snowflake:user": "DEPLOYER", "snowflake:role": "DEPLOYER_ROLE", "snowflake:privateKey": PEM, "floe:accessUrl": "http://127.0.0.1:8085" },
        secretKeys: ["snowflake:privateKey"],
      },
    );
    for (const name of ["cfg-app", "cfg-role-ADMIN-CONNECTOR_ADMIN"]) {
      const r = session.byName(name);
      expect(r.secretInputs).toEqual(["connection"]);
      expect(r.inputs.connection).toEqual({ account: "MYORG-MYACCOUNT", user: "DEPLOYER", role: "DEPLOYER_ROLE", privateKey: PEM, accessUrl: "http://127.0.0.1:8085" });
    }
    for (const r of session.registrations) {
      const visible = Object.fromEntries(Object.entries(r.inputs).filter(([k]) => !r.secretInputs.includes(k)));
      expect(JSON.stringify(visible), r.name).not.toContain("MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSj");
    }
  });

  it("splits the account for a @pulumi/snowflake provider of the same connection, the key kept secret", async () => {
    const session = installMocks({
      config: { "snowflake:account": "MYORG-MYACCOUNT", "snowflake:user": "DEPLOYER", "snowflake:privateKey": PEM, "floe:accessUrl": "http://127.0.0.1:8085" },
      secretKeys: ["snowflake:privateKey"],
    });
    const provider = new snowflake.Provider("cfg-snowflake", snowflakeProviderArgs(connectionFromConfig()));
    await valueOf(provider.urn);
    await session.settle();
    const registered = session.byName("cfg-snowflake");
    expect(registered.inputs).toMatchObject({ organizationName: "MYORG", accountName: "MYACCOUNT", authenticator: "SNOWFLAKE_JWT", privateKey: PEM, host: "127.0.0.1", port: "8085", protocol: "http" });
    // Provider inputs reach the engine as strings (port "8085"); the key stays secret.
    expect(registered.secretInputs).toEqual(["privateKey"]);
  });

  it("needs no @pulumi/snowflake provider: the role grants are floe's own resources", async () => {
    const { session } = await deploy("bare", { connection: explicit, roles: { ADMIN: ["CONNECTOR_ADMIN"] } });
    expect(session.registrations.filter((r) => r.type.startsWith("snowflake:") || r.type.startsWith("pulumi:providers:"))).toEqual([]);
    expect(session.byType(TYPES.roleGrant).map((r: Registration) => r.name)).toEqual(["bare-role-ADMIN-CONNECTOR_ADMIN"]);
  });

  it("takes the account roles and warehouse that @pulumi/snowflake manages as inputs", async () => {
    const session = installMocks();
    const admin = new snowflake.AccountRole("ops-admin", { name: "OPS_ADMIN" });
    const warehouse = new snowflake.Warehouse("deploy-wh", { name: "DEPLOY_WH" });
    const app = new ConnectorApp("sf", { rendered, connection: { ...explicit, warehouse: warehouse.name }, roles: { ADMIN: [admin, "CONNECTOR_ADMIN"] } });
    await Promise.all([valueOf(app.urn), ...app.roleGrants.map((g) => valueOf(g.urn))]);
    await session.settle();
    const grant = session.byName("sf-role-ADMIN-ops-admin");
    expect(grant.inputs).toMatchObject({ application: "EXAMPLE_CONNECTOR", applicationRole: "ADMIN", accountRole: "OPS_ADMIN" });
    // The grant waits for the role (its name is the role's output), and so does every
    // resource for the warehouse in its connection.
    expect(grant.dependencies).toEqual(expect.arrayContaining([session.byName("ops-admin").urn, session.byName("sf-app").urn]));
    expect(session.byName("sf-app").dependencies).toContain(session.byName("deploy-wh").urn);
    expect(session.byName("sf-app").inputs.connection).toMatchObject({ warehouse: "DEPLOY_WH" });
    expect(await valueOf(app.grants)).toContainEqual({ privilege: "APPLICATION ROLE", on: "EXAMPLE_CONNECTOR.ADMIN", to: "ROLE OPS_ADMIN", by: "pulumi" });
    expect(session.byName("sf-role-ADMIN-CONNECTOR_ADMIN").inputs).toMatchObject({ accountRole: "CONNECTOR_ADMIN" });
  });
});

const ROOT = path.resolve(__dirname, "..", "..");
const BEFORE = "Ingestion resumed.";
const AFTER = "Ingestion resumed, by the changed hook.";

describe("changing one hook body", () => {
  let before: RenderedApp;
  let after: RenderedApp;
  let registered: { before: Registration[]; after: Registration[] };
  let procedures: { before: { signature: string; hash: string }[]; after: { signature: string; hash: string }[] };

  async function register(rendered: RenderedApp) {
    const { session, app } = await deploy("example", { connection: explicit, roles: { ADMIN: ["CONNECTOR_ADMIN"] } }, {}, rendered);
    return { registrations: session.registrations, procedures: await valueOf(app.procedures) };
  }

  beforeAll(async () => {
    const dir = scratchDir("hook-change-");
    const source = fs.readFileSync(path.join(ROOT, "hooks", "resume.ts"), "utf8");
    expect(source.split(BEFORE).length).toBe(2);
    fs.mkdirSync(path.join(dir, "hooks"));
    // Every hooks file of the example, resume.ts changed in one message.
    for (const file of example.hooks ?? []) fs.copyFileSync(path.join(ROOT, file), path.join(dir, file));
    fs.writeFileSync(path.join(dir, "hooks", "resume.ts"), source.replace(BEFORE, AFTER));
    before = rendered;
    after = await renderConnector({ ...example, root: dir });
    const a = await register(before);
    const b = await register(after);
    registered = { before: a.registrations, after: b.registrations };
    procedures = { before: a.procedures, after: b.procedures };
  });

  it("changes one rendered file and one procedure hash", () => {
    const changed = [...before.bundle.keys()].filter((f) => before.bundle.get(f) !== after.bundle.get(f));
    expect(changed).toEqual(["setup.sql"]);
    expect([...after.bundle.keys()]).toEqual([...before.bundle.keys()]);
    const hashChanged = procedures.after.filter((p, i) => p.hash !== procedures.before[i].hash).map((p) => p.signature);
    expect(hashChanged).toEqual(["PUBLIC.RESUME_CONNECTOR_INTERNAL()"]);
  });

  it("registers the same resources, with new inputs only for that file and the version", () => {
    const key = (r: Registration) => `${r.type} ${r.name}`;
    expect(registered.after.map(key).sort()).toEqual(registered.before.map(key).sort());
    const differing: Record<string, string[]> = {};
    for (const old of registered.before) {
      const now = registered.after.find((r) => key(r) === key(old))!;
      const keys = [...new Set([...Object.keys(old.inputs), ...Object.keys(now.inputs)])].filter((k) => JSON.stringify(old.inputs[k]) !== JSON.stringify(now.inputs[k]));
      if (keys.length > 0) differing[old.name] = keys.sort();
    }
    // The application's inputs change by the procedure hash a refresh checks (its patch is the
    // version's output, unknown until the new patch exists).
    expect(differing).toEqual({ "example-file-setup.sql": ["content", "hash"], "example-version": ["bundleHash", "files"], "example-app": ["procedures"] });
  });

  /** Stage name, type → provider, in the order the engine meets them (dependencies first). */
  const RANK = [TYPES.package, TYPES.file, TYPES.version, TYPES.application, TYPES.privilege];

  /**
   * Plays the engine's part: creates every dynamic resource registered before the change, then
   * for every one registered after it calls diff with the recorded outputs and the new inputs,
   * and update where diff reports changes. Returns the diffs and the SQL of each update.
   */
  async function playDeployments(open: OpenRunner, connectionFor: (r: Registration) => SnowflakeConnection) {
    const log: string[] = [];
    const providers = makeProviders(async (c) => {
      const runner = await open(c);
      return { execute: (sql, binds) => (log.push(sql), runner.execute(sql, binds)), close: () => runner.close() };
    });
    const providerOf: Record<string, (typeof providers)[keyof typeof providers]> = {
      [TYPES.package]: providers.applicationPackage,
      [TYPES.file]: providers.stageFile,
      [TYPES.version]: providers.packageVersion,
      [TYPES.application]: providers.application,
      [TYPES.privilege]: providers.applicationPrivilege,
    };
    const inOrder = (rs: Registration[]) => rs.filter((r) => RANK.includes(r.type as never)).sort((x, y) => RANK.indexOf(x.type as never) - RANK.indexOf(y.type as never));
    const state = new Map<string, { id: string; outs: Record<string, unknown> }>();
    const inputsOf = (r: Registration) => {
      const { __provider: _, ...inputs } = r.inputs;
      inputs.connection = connectionFor(r);
      // The engine hands the application the patch its version resource reported.
      if (r.type === TYPES.application) inputs.patch = state.get("example-version")!.outs.patch;
      return inputs as never;
    };
    for (const r of inOrder(registered.before)) {
      const created = await providerOf[r.type].create(inputsOf(r));
      state.set(r.name, { id: created.id, outs: created.outs as unknown as Record<string, unknown> });
    }
    const first = log.splice(0, log.length);
    const diffs: Record<string, { changes?: boolean; replaces?: string[] }> = {};
    const sql: Record<string, string[]> = {};
    for (const r of inOrder(registered.after)) {
      const old = state.get(r.name)!;
      const news = inputsOf(r);
      const diff = await providerOf[r.type].diff(old.id, old.outs as never, news);
      diffs[r.name] = { changes: diff.changes, replaces: diff.replaces };
      if (diff.changes) {
        const updated = await providerOf[r.type].update(old.id, old.outs as never, news);
        state.set(r.name, { id: old.id, outs: updated.outs as unknown as Record<string, unknown> });
        sql[r.name] = log.splice(0, log.length);
      }
    }
    return { first, diffs, sql, state };
  }

  /** What every run of the change must show, whatever answers the statements. */
  function expectMinimalChange(result: Awaited<ReturnType<typeof playDeployments>>) {
    for (const [name, diff] of Object.entries(result.diffs)) expect(diff.replaces, name).toEqual([]);
    expect(Object.entries(result.diffs).filter(([, d]) => d.changes).map(([name]) => name)).toEqual(["example-file-setup.sql", "example-version", "example-app"]);
    expect(Object.keys(result.sql)).toEqual(["example-file-setup.sql", "example-version", "example-app"]);
    expect(result.sql["example-file-setup.sql"]).toEqual([expect.stringMatching(/^PUT 'file:\/\/\/[^']*\/setup\.sql' '@EXAMPLE_CONNECTOR_PKG\.FLOE\.BUNDLE\/app' AUTO_COMPRESS = FALSE OVERWRITE = TRUE$/)]);
    expect(result.sql["example-version"]).toEqual([
      "LIST '@EXAMPLE_CONNECTOR_PKG.FLOE.BUNDLE/app/'",
      "SHOW VERSIONS IN APPLICATION PACKAGE EXAMPLE_CONNECTOR_PKG",
      "ALTER APPLICATION PACKAGE EXAMPLE_CONNECTOR_PKG ADD PATCH FOR VERSION V1 USING '@EXAMPLE_CONNECTOR_PKG.FLOE.BUNDLE/app'",
    ]);
    expect(result.sql["example-app"]).toEqual(["ALTER APPLICATION EXAMPLE_CONNECTOR UPGRADE USING VERSION V1 PATCH 1"]);
    expect(result.state.get("example-app")!.outs).toMatchObject({ version: "V1", patch: 1 });
  }

  it("diffs to one staged file, one new patch and an application upgrade, replacing nothing", async () => {
    const account = new FakeAccount();
    const result = await playDeployments(account.open, (r) => r.inputs.connection as SnowflakeConnection);
    expect(result.first.filter((s) => /^(CREATE APPLICATION (?!PACKAGE)|GRANT )/.test(s))).toEqual([
      "CREATE APPLICATION EXAMPLE_CONNECTOR FROM APPLICATION PACKAGE EXAMPLE_CONNECTOR_PKG USING VERSION V1 PATCH 0",
      "GRANT EXECUTE TASK ON ACCOUNT TO APPLICATION EXAMPLE_CONNECTOR",
    ]);
    expectMinimalChange(result);
    // What the account now holds: patch 1 is the new bundle, patch 0 untouched, the app on patch 1.
    expect(account.patchFiles("EXAMPLE_CONNECTOR_PKG", "V1", 0)?.get("setup.sql")).toBe(before.bundle.get("setup.sql"));
    expect(account.patchFiles("EXAMPLE_CONNECTOR_PKG", "V1", 1)).toEqual(new Map([...after.bundle.entries()].sort()));
    expect(account.applications.get("EXAMPLE_CONNECTOR")).toEqual({ pkg: "EXAMPLE_CONNECTOR_PKG", version: "V1", patch: 1 });
    expect(account.grants.has("EXECUTE TASK|EXAMPLE_CONNECTOR")).toBe(true);
  });

  it("does the same through snowflake-sdk against floe's sandbox, which installs and upgrades the app", async () => {
    const sandbox = await Sandbox.start();
    try {
      const options = (await sandbox.serve()).connectionOptions();
      const connection: SnowflakeConnection = { account: options.account, user: options.username, password: options.password, accessUrl: options.accessUrl, role: "ACCOUNTADMIN" };
      const result = await playDeployments(leaseSession, () => connection);
      expectMinimalChange(result);
      // The sandbox ran setup.sql of patch 1: the application answers, on the new patch.
      const runner = await openSession(connection);
      try {
        const facade = new SnowflakeFacade(runner, { role: "ACCOUNTADMIN" });
        expect(await facade.findApplication("EXAMPLE_CONNECTOR")).toMatchObject({ version: "V1", patch: 1 });
        const [status] = await runner.execute("CALL EXAMPLE_CONNECTOR.PUBLIC.GET_CONNECTOR_STATUS()");
        expect(JSON.stringify(status)).toContain("CONFIGURING");
      } finally {
        await runner.close();
      }
    } finally {
      await closeSharedSessions();
      await sandbox.close();
    }
  });
});

// ---- The example program, index.ts, run under mocks with a documented stack config, as `pulumi up` runs it.

const EXAMPLE_PEM = "-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7\n-----END PRIVATE KEY-----\n";
const STACK = {
  "snowflake:account": "MYORG-MYACCOUNT",
  "snowflake:user": "FLOE_DEPLOYER",
  "snowflake:role": "CONNECTOR_DEPLOYER",
  "snowflake:privateKey": EXAMPLE_PEM,
};

type Program = Record<"applicationName" | "packageName" | "stageLocation" | "version" | "patch" | "procedures" | "grants", pulumi.Output<unknown>>;

async function runProgram(config: Record<string, string>): Promise<{ session: MockSession; program: Program }> {
  const session = installMocks({ config, secretKeys: ["snowflake:privateKey"] });
  const program = (await import("../../index.js")) as unknown as Program;
  await Promise.all(Object.values(program).map((o) => valueOf(o)));
  await session.settle();
  return { session, program };
}

describe("the example program (index.ts)", () => {
  it("deploys the example connector, grants it EXECUTE TASK and its ADMIN role to floe:adminRole", async () => {
    const { session, program } = await runProgram({ ...STACK, "floe:adminRole": "OPS_ADMIN", "floe:allowReplace": "true" });
    const names = session.registrations.map((r) => r.name);
    expect(names).toContain("example");
    expect(session.byName("example").type).toBe(TYPES.component);
    expect(session.byName("example-package").type).toBe(TYPES.package);
    expect(session.byType(TYPES.file).map((r) => r.name).sort()).toEqual([
      "example-file-README.md",
      "example-file-configuration/app_config.sql",
      "example-file-configuration/connection_configuration.sql",
      "example-file-configuration/connector_configuration.sql",
      "example-file-configuration/finalize_configuration.sql",
      "example-file-configuration/prerequisites.sql",
      "example-file-core.sql",
      "example-file-lifecycle/pause.sql",
      "example-file-lifecycle/resume.sql",
      "example-file-manifest.yml",
      "example-file-setup.sql",
    ]);
    const urn = (name: string) => session.byName(name).urn;
    expect([...session.byName("example-version").dependencies].sort()).toEqual(session.byType(TYPES.file).map((r) => r.urn).sort());
    expect(session.byName("example-app").dependencies).toEqual([urn("example-version")]);
    const executeTask = session.byName("example-privilege-execute-task");
    expect(executeTask.type).toBe(TYPES.privilege);
    expect(executeTask.inputs).toMatchObject({ application: "EXAMPLE_CONNECTOR", privilege: "EXECUTE TASK" });
    expect(executeTask.dependencies).toEqual([urn("example-app")]);
    const admin = session.byName("example-role-ADMIN-OPS_ADMIN");
    expect(admin.type).toBe(TYPES.roleGrant);
    expect(admin.inputs).toMatchObject({ application: "EXAMPLE_CONNECTOR", applicationRole: "ADMIN", accountRole: "OPS_ADMIN" });
    expect(admin.dependencies).toEqual([urn("example-app")]);
    expect(session.registrations).toHaveLength(1 + 1 + 11 + 1 + 1 + 1 + 1);

    // The hooks of hooks/resume.ts are what is deployed.
    const setup = String(session.byName("example-file-setup.sql").inputs.content);
    expect(setup).toContain("CREATE OR REPLACE PROCEDURE PUBLIC.RESUME_CONNECTOR_VALIDATE()");
    expect(setup).toContain("floe: hook hooks/resume.ts; sha256:");
    expect(session.byName("example-app").inputs).toMatchObject({ name: "EXAMPLE_CONNECTOR", packageName: "EXAMPLE_CONNECTOR_PKG", version: "V1", allowReplace: true });

    // Secrets: the key is only ever a secret input.
    for (const r of session.registrations) {
      const visible = Object.fromEntries(Object.entries(r.inputs).filter(([k]) => !r.secretInputs.includes(k)));
      expect(JSON.stringify(visible), r.name).not.toContain("MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7");
    }

    expect(await valueOf(program.applicationName)).toBe("EXAMPLE_CONNECTOR");
    expect(await valueOf(program.packageName)).toBe("EXAMPLE_CONNECTOR_PKG");
    expect(await valueOf(program.stageLocation)).toBe("@EXAMPLE_CONNECTOR_PKG.FLOE.BUNDLE/app");
    expect(await valueOf(program.version)).toBe("V1");
    expect(await valueOf(program.patch)).toBe(0);
    const procedures = (await valueOf(program.procedures)) as { signature: string; hash: string }[];
    expect(procedures.map((p) => p.signature)).toContain("PUBLIC.RESUME_CONNECTOR_INTERNAL()");
    for (const p of procedures) expect(p.hash).toMatch(/^[0-9a-f]{16}$/);
    expect(await valueOf(program.grants)).toContainEqual({ privilege: "APPLICATION ROLE", on: "EXAMPLE_CONNECTOR.ADMIN", to: "ROLE OPS_ADMIN", by: "pulumi" });
  });
});

// Last in the file: a component whose constructor threw still registers its outputs later,
// which a newer mock monitor would not know.
describe("validation", () => {
  let session: MockSession;
  beforeAll(() => {
    session = installMocks();
  });
  afterAll(() => session.settle());
  let n = 0;
  const attempt = (args: Partial<ConnectorAppArgs> & Record<string, unknown>, base: Partial<ConnectorAppArgs> = { rendered, connection: explicit }) => () =>
    new ConnectorApp(`bad-${++n}`, { ...base, ...args } as ConnectorAppArgs);

  it("checks mutually exclusive arguments first", () => {
    expect(attempt({ connectionName: "dev", rendered: undefined as never })).toThrow("Only one of [connection], [connectionName] may be given.");
  });

  it("names the argument at fault", () => {
    expect(attempt({ rendered: { model: rendered.model } as never })).toThrow(/^\[rendered\] must be what renderConnector\(definition\) returns/);
    expect(attempt({ packageName: "my-pkg" })).toThrow('[packageName] must be an identifier (letters, digits, _ and $, starting with a letter or _), got "my-pkg".');
    expect(attempt({ applicationName: "" })).toThrow('[applicationName] must be an identifier (letters, digits, _ and $, starting with a letter or _), got "".');
    expect(attempt({ applicationName: "EXAMPLE_CONNECTOR_PKG" })).toThrow("[applicationName] must differ from [packageName]; both are EXAMPLE_CONNECTOR_PKG.");
    expect(attempt({ distribution: "PUBLIC" as never })).toThrow('[distribution] must be INTERNAL or EXTERNAL, got "PUBLIC".');
    expect(attempt({ roles: ["ADMIN"] as never })).toThrow('[roles] must map application roles to account roles, e.g. { ADMIN: ["CONNECTOR_ADMIN"] }.');
    expect(attempt({ roles: { OWNER: ["X"] } })).toThrow("[roles] OWNER is not an application role of EXAMPLE_CONNECTOR; its roles are ADMIN, VIEWER, DATA_READER.");
    expect(attempt({ roles: { ADMIN: "CONNECTOR_ADMIN" as never } })).toThrow('[roles] ADMIN must be a list of account roles, by name or as snowflake.AccountRole resources, e.g. ["CONNECTOR_ADMIN"].');
    expect(attempt({ roles: { ADMIN: [{ name: "X" }] as never } })).toThrow("[roles] ADMIN must be a list of account roles, by name or as snowflake.AccountRole resources");
    expect(attempt({ roles: { ADMIN: ["A", "A"] } })).toThrow("[roles] ADMIN lists an account role twice.");
    expect(attempt({ privileges: ["CREATE DATABASE"] })).toThrow(
      '[privileges] "CREATE DATABASE" is not requested by the manifest of EXAMPLE_CONNECTOR (it requests EXECUTE TASK); add it to the connector definition\'s privileges first.',
    );
    expect(attempt({ privileges: "EXECUTE TASK" as never })).toThrow('[privileges] must be a list of manifest privileges, e.g. ["EXECUTE TASK"].');
    expect(attempt({ privileges: ["EXECUTE TASK", "EXECUTE TASK"] })).toThrow("[privileges] lists a privilege twice.");
    expect(attempt({ allowReplace: "yes" as never })).toThrow('[allowReplace] must be true or false, got "yes".');
    expect(attempt({ connection: { user: "U", password: "p" } as never })).toThrow("[connection] must have an account (ORGNAME-ACCOUNTNAME).");
    expect(attempt({ connection: { account: "O-A", user: "U", password: "p", privateKey: "k" } })).toThrow("[connection] must have only one of password, privateKey.");
    expect(attempt({ connection: { account: "O-A", user: "U", password: "p", accessUrl: "127.0.0.1:8085" } })).toThrow(
      '[connection] accessUrl must be http(s)://host[:port], got "127.0.0.1:8085".',
    );
  });

  it("refuses manifest privileges for manifest version 2, where Snowflake grants them at install", () => {
    const v2 = { ...rendered, model: { ...rendered.model, manifestVersion: 2 as const } };
    expect(attempt({ rendered: v2, privileges: ["EXECUTE TASK"] })).toThrow("[privileges] must be left out for manifest version 2: Snowflake grants EXECUTE TASK at install.");
  });

  it("refuses bundle paths a stage cannot hold one by one", () => {
    const withBundle = (extra: Record<string, string>) => ({ ...rendered, bundle: new Map([...rendered.bundle, ...Object.entries(extra)]) });
    expect(attempt({ rendered: withBundle({ "setup.sql.bak": "x" }) })).toThrow("[rendered] bundle path setup.sql is a prefix of setup.sql.bak: removing one from the stage would remove both.");
    expect(attempt({ rendered: withBundle({ "../escape.sql": "x" }) })).toThrow(/^\[rendered\] bundle path "\.\.\/escape\.sql" must be a relative path/);
  });

  it("says which config to set when the stack has none", () => {
    expect(attempt({ connection: undefined })).toThrow(/^snowflake:account is not set\. Set it \(pulumi config set snowflake:account ORGNAME-ACCOUNTNAME\)/);
    expect(session.registrations.length).toBeGreaterThan(0);
  });
});
