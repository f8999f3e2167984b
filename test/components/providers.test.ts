/**
 * The dynamic providers called directly, as the Pulumi engine calls them, over the fake account:
 * the exact SQL of each operation, the per-file and per-privilege diffs, the application never
 * in `replaces` unless allowed, and the errors users see.
 */
import { describe, expect, it } from "vitest";
import { makeProviders, MISSING, refusedReplacement, REPLACED } from "../../components/providers";
import { UNKNOWN as UNKNOWN_FOR_TESTS } from "../../components/providers/common";
import type { ApplicationInputs, ApplicationPackageInputs, PackageVersionInputs, StageFileInputs } from "../../components/providers";
import type { SnowflakeConnection } from "../../snowflake/driver";
import { isFacadeError, type SnowflakeFacadeError } from "../../snowflake/errors";
import { normalSignature, procedureSignature } from "../../snowflake/facade";
import { DriverLikeError, FakeAccount, failureOf } from "./fake-account";

const connection: SnowflakeConnection = { account: "MYORG-MYACCOUNT", user: "DEPLOYER", role: "DEPLOYER_ROLE", password: "correct-horse-battery" };
const LOCATION = "@EXAMPLE_PKG.FLOE.BUNDLE/app";

function setup(options: { answersPatch?: boolean } = {}) {
  const account = new FakeAccount(options);
  return { account, providers: makeProviders(account.open) };
}

const pkgInputs: ApplicationPackageInputs = { connection, name: "EXAMPLE_PKG", comment: "The example.", distribution: "INTERNAL" };
const file = (path: string, content: string): StageFileInputs => ({ connection, location: LOCATION, path, content, hash: `hash-of-${content}` });

/** A package with manifest.yml and setup.sql staged, released as V1 patch 0, and the application. */
async function deployed() {
  const { account, providers } = setup();
  await providers.applicationPackage.create(pkgInputs);
  const files = { "manifest.yml": "hash-of-manifest", "setup.sql": "hash-of-setup v1" };
  await providers.stageFile.create(file("manifest.yml", "manifest"));
  await providers.stageFile.create(file("setup.sql", "setup v1"));
  const versionInputs: PackageVersionInputs = { connection, packageName: "EXAMPLE_PKG", location: LOCATION, version: "V1", files, bundleHash: "b1" };
  const version = await providers.packageVersion.create(versionInputs);
  const appInputs: ApplicationInputs = { connection, name: "EXAMPLE_CONNECTOR", packageName: "EXAMPLE_PKG", version: "V1", patch: version.outs.patch, allowReplace: false };
  const app = await providers.application.create(appInputs);
  account.take();
  return { account, providers, versionInputs, version: version.outs, appInputs, app: app.outs };
}

describe("ApplicationPackage", () => {
  it("creates the package with the schema and stage of the bundle", async () => {
    const { account, providers } = setup();
    const created = await providers.applicationPackage.create(pkgInputs);
    expect(account.take()).toEqual([
      "CREATE APPLICATION PACKAGE EXAMPLE_PKG COMMENT = 'The example.' DISTRIBUTION = INTERNAL",
      "CREATE SCHEMA EXAMPLE_PKG.FLOE",
      "CREATE STAGE EXAMPLE_PKG.FLOE.BUNDLE",
    ]);
    expect(created.id).toBe("EXAMPLE_PKG");
    expect(created.outs.location).toBe(LOCATION);
    expect(account.closed).toBe(1);
  });

  it("alters comment and distribution in place, and replaces only for a new name", async () => {
    const { account, providers } = setup();
    const { outs } = await providers.applicationPackage.create(pkgInputs);
    account.take();
    const news = { ...pkgInputs, comment: "Now it's better.", distribution: "EXTERNAL" as const };
    expect(await providers.applicationPackage.diff!("EXAMPLE_PKG", outs, news)).toEqual({ changes: true, replaces: [], deleteBeforeReplace: false });
    expect(await providers.applicationPackage.diff!("EXAMPLE_PKG", outs, pkgInputs)).toEqual({ changes: false, replaces: [], deleteBeforeReplace: false });
    expect((await providers.applicationPackage.diff!("EXAMPLE_PKG", outs, { ...pkgInputs, name: "OTHER_PKG" })).replaces).toEqual(["name"]);
    await providers.applicationPackage.update!("EXAMPLE_PKG", outs, news);
    expect(account.take()).toEqual([
      "ALTER APPLICATION PACKAGE EXAMPLE_PKG SET COMMENT = 'Now it\\'s better.'",
      "ALTER APPLICATION PACKAGE EXAMPLE_PKG SET DISTRIBUTION = EXTERNAL",
    ]);
    expect(account.packages.get("EXAMPLE_PKG")?.comment).toBe("Now it's better.");
  });

  it("drops the package, and read reports it gone", async () => {
    const { account, providers } = setup();
    const { outs } = await providers.applicationPackage.create(pkgInputs);
    expect(await providers.applicationPackage.read!("EXAMPLE_PKG", outs)).toEqual({ id: "EXAMPLE_PKG", props: outs });
    account.take();
    await providers.applicationPackage.delete!("EXAMPLE_PKG", outs);
    expect(account.take()).toEqual(["DROP APPLICATION PACKAGE IF EXISTS EXAMPLE_PKG"]);
    expect(await providers.applicationPackage.read!("EXAMPLE_PKG", outs)).toEqual({});
  });

  it("says what to do when the package exists already or the role may not create one", async () => {
    const { account, providers } = setup();
    await providers.applicationPackage.create(pkgInputs);
    const exists = await failureOf(providers.applicationPackage.create(pkgInputs));
    expect(isFacadeError(exists)).toBe(true);
    expect((exists as SnowflakeFacadeError).kind).toBe("already_exists");
    expect((exists as Error).message).toMatch(/^Creating application package EXAMPLE_PKG failed: the object already exists \(Snowflake 002002: .*\)\. .*choose another name with \[packageName\]/);
    account.failNext(/^CREATE APPLICATION PACKAGE/, new DriverLikeError("003001", "42501", "SQL access control error:\nInsufficient privileges to operate on account 'MYACCOUNT'"));
    const denied = await failureOf(providers.applicationPackage.create({ ...pkgInputs, name: "NEW_PKG" }));
    expect(denied.message).toContain("role DEPLOYER_ROLE lacks a privilege");
    expect(denied.message).toContain("It needs CREATE APPLICATION PACKAGE ON ACCOUNT");
    // Every session is closed, failed or not.
    expect(account.closed).toBe(account.logins.length);
  });
});

describe("StageFile", () => {
  it("PUTs the file uncompressed and overwriting, into its directory", async () => {
    const { account, providers } = setup();
    await providers.applicationPackage.create(pkgInputs);
    account.take();
    const created = await providers.stageFile.create(file("lifecycle/resume.sql", "CREATE PROCEDURE ...;\n"));
    const [put] = account.take();
    expect(put).toMatch(/^PUT 'file:\/\/\/[^']+\/resume\.sql' '@EXAMPLE_PKG\.FLOE\.BUNDLE\/app\/lifecycle' AUTO_COMPRESS = FALSE OVERWRITE = TRUE$/);
    expect(account.stages.get("EXAMPLE_PKG.FLOE.BUNDLE")?.get("app/lifecycle/resume.sql")).toBe("CREATE PROCEDURE ...;\n");
    expect(created).toEqual({
      id: "@EXAMPLE_PKG.FLOE.BUNDLE/app/lifecycle/resume.sql",
      outs: { connection, location: LOCATION, path: "lifecycle/resume.sql", hash: "hash-of-CREATE PROCEDURE ...;\n", size: 22 },
    });
    expect(created.outs).not.toHaveProperty("content");
  });

  it("diffs by content hash: same content no change, other content an update, another path or stage a replacement", async () => {
    const { providers } = setup();
    const olds = { connection, location: LOCATION, path: "setup.sql", hash: "h1", size: 1 };
    const same = { ...file("setup.sql", "x"), hash: "h1" };
    expect(await providers.stageFile.diff!("id", olds, same)).toEqual({ changes: false, replaces: [], deleteBeforeReplace: false });
    expect(await providers.stageFile.diff!("id", olds, { ...same, hash: "h2" })).toEqual({ changes: true, replaces: [], deleteBeforeReplace: false });
    expect((await providers.stageFile.diff!("id", olds, { ...same, location: "@OTHER_PKG.FLOE.BUNDLE/app" })).replaces).toEqual(["location"]);
    expect(await providers.stageFile.diff!("id", olds, { ...same, hash: UNKNOWN_FOR_TESTS })).toEqual({ changes: true, replaces: [], deleteBeforeReplace: false });
  });

  it("updates by PUT again only when the content changed, and removes the file on delete", async () => {
    const { account, providers } = setup();
    await providers.applicationPackage.create(pkgInputs);
    const { outs } = await providers.stageFile.create(file("setup.sql", "v1"));
    account.take();
    await providers.stageFile.update!("id", outs, { ...file("setup.sql", "v1"), connection: { ...connection, password: "rotated-password" } });
    expect(account.take()).toEqual([]);
    const updated = await providers.stageFile.update!("id", outs, file("setup.sql", "v2"));
    expect(account.take()).toEqual([expect.stringMatching(/^PUT '.*\/setup\.sql' '@EXAMPLE_PKG\.FLOE\.BUNDLE\/app' AUTO_COMPRESS = FALSE OVERWRITE = TRUE$/)]);
    expect(account.stages.get("EXAMPLE_PKG.FLOE.BUNDLE")?.get("app/setup.sql")).toBe("v2");
    expect(updated.outs?.hash).toBe("hash-of-v2");
    expect(await providers.stageFile.read!("id", updated.outs)).toEqual({ id: "id", props: updated.outs });
    await providers.stageFile.delete!("id", updated.outs!);
    expect(account.take().filter((s) => !s.startsWith("LIST"))).toEqual(["REMOVE '@EXAMPLE_PKG.FLOE.BUNDLE/app/setup.sql'"]);
    expect(account.stages.get("EXAMPLE_PKG.FLOE.BUNDLE")?.has("app/setup.sql")).toBe(false);
    expect(await providers.stageFile.read!("id", updated.outs)).toEqual({});
  });

  it("treats the delete of a file whose package is gone as done", async () => {
    const { account, providers } = setup();
    await providers.stageFile.delete!("id", { connection, location: LOCATION, path: "setup.sql", hash: "h", size: 1 });
    expect(account.take()).toEqual(["REMOVE '@EXAMPLE_PKG.FLOE.BUNDLE/app/setup.sql'"]);
  });
});

describe("PackageVersion", () => {
  it("releases the first bundle as the version, a changed bundle as a new patch, and nothing else as anything", async () => {
    const { account, providers, versionInputs, version } = await deployed();
    expect(version.patch).toBe(0);
    expect(account.patchFiles("EXAMPLE_PKG", "V1", 0)).toEqual(new Map([["manifest.yml", "manifest"], ["setup.sql", "setup v1"]]));

    // Connection rotated only: an update that releases nothing.
    const rotated = { ...versionInputs, connection: { ...connection, password: "rotated-password" } };
    expect(await providers.packageVersion.diff!("id", version, rotated)).toEqual({ changes: true, replaces: [], deleteBeforeReplace: false });
    expect((await providers.packageVersion.update!("id", version, rotated)).outs?.patch).toBe(0);
    expect(account.take()).toEqual([]);

    // Same bundle: no change at all.
    expect(await providers.packageVersion.diff!("id", version, versionInputs)).toEqual({ changes: false, replaces: [], deleteBeforeReplace: false });

    // A changed file: a new patch of V1, never an edit of patch 0.
    await providers.stageFile.update!("id", { connection, location: LOCATION, path: "setup.sql", hash: "hash-of-setup v1", size: 8 }, file("setup.sql", "setup v2"));
    account.take();
    const changed = { ...versionInputs, files: { ...versionInputs.files, "setup.sql": "hash-of-setup v2" }, bundleHash: "b2" };
    expect(await providers.packageVersion.diff!("id", version, changed)).toEqual({ changes: true, replaces: [], deleteBeforeReplace: false });
    const patched = await providers.packageVersion.update!("id", version, changed);
    expect(account.take()).toEqual([
      "LIST '@EXAMPLE_PKG.FLOE.BUNDLE/app/'",
      "SHOW VERSIONS IN APPLICATION PACKAGE EXAMPLE_PKG",
      "ALTER APPLICATION PACKAGE EXAMPLE_PKG ADD PATCH FOR VERSION V1 USING '@EXAMPLE_PKG.FLOE.BUNDLE/app'",
    ]);
    expect(patched.outs?.patch).toBe(1);
    expect(account.patchFiles("EXAMPLE_PKG", "V1", 0)?.get("setup.sql")).toBe("setup v1");
    expect(account.patchFiles("EXAMPLE_PKG", "V1", 1)?.get("setup.sql")).toBe("setup v2");
    expect(await providers.packageVersion.read!("id", patched.outs)).toEqual({ id: "id", props: patched.outs });
  });

  it("removes staged files that left the bundle before the patch is taken", async () => {
    const { account, providers, versionInputs, version } = await deployed();
    await providers.stageFile.create(file("overrides/old.sql", "old"));
    account.take();
    const patched = await providers.packageVersion.update!("id", version, { ...versionInputs, bundleHash: "b3" });
    expect(account.take()).toEqual([
      "LIST '@EXAMPLE_PKG.FLOE.BUNDLE/app/'",
      "REMOVE '@EXAMPLE_PKG.FLOE.BUNDLE/app/overrides/old.sql'",
      "SHOW VERSIONS IN APPLICATION PACKAGE EXAMPLE_PKG",
      "ALTER APPLICATION PACKAGE EXAMPLE_PKG ADD PATCH FOR VERSION V1 USING '@EXAMPLE_PKG.FLOE.BUNDLE/app'",
    ]);
    expect([...account.patchFiles("EXAMPLE_PKG", "V1", patched.outs!.patch)!.keys()]).toEqual(["manifest.yml", "setup.sql"]);
  });

  it("adds a new version only when the version name changes, and is replaced only with its package", async () => {
    const { account, providers, versionInputs, version } = await deployed();
    const v2 = { ...versionInputs, version: "V2", bundleHash: "b-v2" };
    expect(await providers.packageVersion.diff!("id", version, v2)).toEqual({ changes: true, replaces: [], deleteBeforeReplace: false });
    const released = await providers.packageVersion.update!("id", version, v2);
    expect(account.take().slice(-1)).toEqual(["ALTER APPLICATION PACKAGE EXAMPLE_PKG ADD VERSION V2 USING '@EXAMPLE_PKG.FLOE.BUNDLE/app'"]);
    expect(released.outs).toMatchObject({ version: "V2", patch: 0 });
    expect((await providers.packageVersion.diff!("id", version, { ...versionInputs, packageName: "OTHER_PKG" })).replaces).toEqual(["packageName"]);
    await providers.packageVersion.delete!("id", released.outs!);
    expect(account.take()).toEqual([]);
  });
});

describe("Application", () => {
  it("is created from the package's version and patch", async () => {
    const { account, providers } = setup();
    await providers.applicationPackage.create(pkgInputs);
    await providers.stageFile.create(file("manifest.yml", "m"));
    await providers.stageFile.create(file("setup.sql", "s"));
    await providers.packageVersion.create({ connection, packageName: "EXAMPLE_PKG", location: LOCATION, version: "V1", files: { "manifest.yml": "h1", "setup.sql": "h2" }, bundleHash: "b" });
    account.take();
    const created = await providers.application.create({ connection, name: "EXAMPLE_CONNECTOR", packageName: "EXAMPLE_PKG", version: "V1", patch: 0, allowReplace: false });
    expect(account.take()).toEqual(["CREATE APPLICATION EXAMPLE_CONNECTOR FROM APPLICATION PACKAGE EXAMPLE_PKG USING VERSION V1 PATCH 0"]);
    expect(created.id).toBe("EXAMPLE_CONNECTOR");
    expect(account.applications.get("EXAMPLE_CONNECTOR")).toEqual({ pkg: "EXAMPLE_PKG", version: "V1", patch: 0 });
  });

  it("upgrades to a new patch in place: changes, never replaces", async () => {
    const { account, providers, versionInputs, version, appInputs, app } = await deployed();
    const patched = await providers.packageVersion.update!("id", version, { ...versionInputs, bundleHash: "b2" });
    account.take();
    const news = { ...appInputs, patch: patched.outs!.patch };
    expect(await providers.application.diff!("EXAMPLE_CONNECTOR", app, news)).toEqual({ changes: true, replaces: [], deleteBeforeReplace: false });
    // During a preview the new patch is not known yet: still an update.
    expect(await providers.application.diff!("EXAMPLE_CONNECTOR", app, { ...appInputs, patch: UNKNOWN_FOR_TESTS as unknown as number })).toEqual({ changes: true, replaces: [], deleteBeforeReplace: false });
    expect(await providers.application.diff!("EXAMPLE_CONNECTOR", app, appInputs)).toEqual({ changes: false, replaces: [], deleteBeforeReplace: false });
    const upgraded = await providers.application.update!("EXAMPLE_CONNECTOR", app, news);
    expect(account.take()).toEqual(["ALTER APPLICATION EXAMPLE_CONNECTOR UPGRADE USING VERSION V1 PATCH 1"]);
    expect(account.applications.get("EXAMPLE_CONNECTOR")?.patch).toBe(1);
    expect(await providers.application.read!("EXAMPLE_CONNECTOR", upgraded.outs)).toEqual({ id: "EXAMPLE_CONNECTOR", props: { ...upgraded.outs, version: "V1", patch: 1 } });
    account.take();
    // Switching allowReplace on or off is recorded, and runs nothing.
    await providers.application.update!("EXAMPLE_CONNECTOR", upgraded.outs!, { ...news, allowReplace: true });
    expect(account.take()).toEqual([]);
  });

  it("refuses a change that would replace it, saying why and how to opt in", async () => {
    const { account, providers, appInputs, app } = await deployed();
    const renamed = { ...appInputs, name: "RENAMED_CONNECTOR" };
    const refusal = await failureOf(providers.application.diff!("EXAMPLE_CONNECTOR", app, renamed));
    expect(refusal).toBeInstanceOf(Error);
    expect(refusal.message).toBe(refusedReplacement(app, renamed, ["name"]));
    expect(refusal.message).toContain("Refusing to replace application EXAMPLE_CONNECTOR: the change of name EXAMPLE_CONNECTOR -> RENAMED_CONNECTOR");
    expect(refusal.message).toContain("its state, configuration and ingested data");
    expect(refusal.message).toContain("set allowReplace: true");
    const moved = await failureOf(providers.application.diff!("EXAMPLE_CONNECTOR", app, { ...appInputs, packageName: "OTHER_PKG" }));
    expect(moved.message).toContain("the change of packageName EXAMPLE_PKG -> OTHER_PKG");
    expect(account.take()).toEqual([]);
  });

  it("is replaced (dropped first) only when allowReplace is set", async () => {
    const { account, providers, appInputs, app } = await deployed();
    const allowed = { ...appInputs, name: "RENAMED_CONNECTOR", allowReplace: true };
    expect(await providers.application.diff!("EXAMPLE_CONNECTOR", app, allowed)).toEqual({ changes: true, replaces: ["name"], deleteBeforeReplace: true });
    await providers.application.delete!("EXAMPLE_CONNECTOR", app);
    expect(account.take()).toEqual(["DROP APPLICATION IF EXISTS EXAMPLE_CONNECTOR"]);
    expect(await providers.application.read!("EXAMPLE_CONNECTOR", app)).toEqual({});
  });

  it("says what the role needs when it may not create the application", async () => {
    const { account, providers, appInputs } = await deployed();
    account.failNext(/^CREATE APPLICATION /, new DriverLikeError("003001", "42501", "SQL access control error:\nInsufficient privileges to operate on account 'MYACCOUNT'"));
    const error = await failureOf(providers.application.create({ ...appInputs, name: "SECOND_CONNECTOR" }));
    expect(error.message).toBe(
      "Creating application SECOND_CONNECTOR from application package EXAMPLE_PKG (version V1, patch 0) failed: role DEPLOYER_ROLE lacks a privilege " +
        "(Snowflake 003001: SQL access control error: Insufficient privileges to operate on account 'MYACCOUNT'). It needs CREATE APPLICATION ON ACCOUNT, " +
        "and ownership of application package EXAMPLE_PKG (or INSTALL and DEVELOP on it): grant it to role DEPLOYER_ROLE, or set snowflake:role to a role that has it.",
    );
  });
});

describe("ApplicationPrivilege", () => {
  it("grants, keeps and revokes one privilege, diffing per privilege", async () => {
    const { account, providers } = await deployed();
    const inputs = { connection, application: "EXAMPLE_CONNECTOR", privilege: "EXECUTE TASK" };
    const { id, outs } = await providers.applicationPrivilege.create(inputs);
    expect(account.take()).toEqual(["GRANT EXECUTE TASK ON ACCOUNT TO APPLICATION EXAMPLE_CONNECTOR"]);
    expect(id).toBe("EXECUTE TASK TO APPLICATION EXAMPLE_CONNECTOR");
    expect(account.grants.has("EXECUTE TASK|EXAMPLE_CONNECTOR")).toBe(true);
    expect(await providers.applicationPrivilege.diff!(id, outs, inputs)).toEqual({ changes: false, replaces: [], deleteBeforeReplace: true });
    expect(await providers.applicationPrivilege.diff!(id, outs, { ...inputs, privilege: "CREATE DATABASE" })).toEqual({ changes: true, replaces: ["privilege"], deleteBeforeReplace: true });
    expect(await providers.applicationPrivilege.read!(id, outs)).toEqual({ id, props: outs });
    await providers.applicationPrivilege.delete!(id, outs);
    expect(account.take().filter((s) => !s.startsWith("SHOW"))).toEqual(["REVOKE EXECUTE TASK ON ACCOUNT FROM APPLICATION EXAMPLE_CONNECTOR"]);
    expect(account.grants.size).toBe(0);
    expect(await providers.applicationPrivilege.read!(id, outs)).toEqual({});
  });

  it("treats a revoke from a dropped application as done, and reports other failures", async () => {
    const { account, providers } = setup();
    const props = { connection, application: "GONE", privilege: "EXECUTE TASK" };
    await expect(providers.applicationPrivilege.delete!("id", props)).resolves.toBeUndefined();
    account.failNext(/^REVOKE/, new DriverLikeError("003001", "42501", "Insufficient privileges"));
    await expect(providers.applicationPrivilege.delete!("id", props)).rejects.toThrow(/^Revoking EXECUTE TASK from application GONE failed: role DEPLOYER_ROLE lacks a privilege/);
  });
});

describe("ApplicationRoleGrant", () => {
  it("grants, keeps and revokes one application role, replacing (revoke first) for another role", async () => {
    const { account, providers } = await deployed();
    const inputs = { connection, application: "EXAMPLE_CONNECTOR", applicationRole: "ADMIN", accountRole: "CONNECTOR_ADMIN" };
    const { id, outs } = await providers.applicationRoleGrant.create(inputs);
    expect(account.take()).toEqual(["GRANT APPLICATION ROLE EXAMPLE_CONNECTOR.ADMIN TO ROLE CONNECTOR_ADMIN"]);
    expect(id).toBe("EXAMPLE_CONNECTOR.ADMIN TO ROLE CONNECTOR_ADMIN");
    expect(await providers.applicationRoleGrant.diff(id, outs, inputs)).toEqual({ changes: false, replaces: [], deleteBeforeReplace: true });
    expect(await providers.applicationRoleGrant.diff(id, outs, { ...inputs, accountRole: "OPS" })).toEqual({ changes: true, replaces: ["accountRole"], deleteBeforeReplace: true });
    // Rotated credentials: an update that runs nothing.
    expect(await providers.applicationRoleGrant.diff(id, outs, { ...inputs, connection: { ...connection, password: "rotated-password" } })).toEqual({ changes: true, replaces: [], deleteBeforeReplace: true });
    await providers.applicationRoleGrant.update(id, outs, inputs);
    expect(account.take()).toEqual([]);
    expect(await providers.applicationRoleGrant.read(id, outs)).toEqual({ id, props: outs });
    expect(account.take()).toEqual(["SHOW GRANTS OF APPLICATION ROLE EXAMPLE_CONNECTOR.ADMIN"]);
    await providers.applicationRoleGrant.delete(id, outs);
    expect(account.take()).toEqual(["REVOKE APPLICATION ROLE EXAMPLE_CONNECTOR.ADMIN FROM ROLE CONNECTOR_ADMIN"]);
    // Revoked out of band (or here): a refresh finds it gone.
    expect(await providers.applicationRoleGrant.read(id, outs)).toEqual({});
  });

  it("treats a revoke from a dropped application as done", async () => {
    const { providers } = setup();
    await expect(providers.applicationRoleGrant.delete("id", { connection, application: "GONE", applicationRole: "ADMIN", accountRole: "R" })).resolves.toBeUndefined();
    expect(await providers.applicationRoleGrant.read("id", { connection, application: "GONE", applicationRole: "ADMIN", accountRole: "R" })).toEqual({});
  });
});

describe("Application procedures (drift)", () => {
  const checked = { "PUBLIC.RESUME_CONNECTOR_INTERNAL()": "0aab1ef136920607", "PUBLIC.CONFIGURE_CONNECTOR(VARIANT)": "45a1cb77d8acf859" };

  it("refresh reads each procedure's content hash from its COMMENT, and marks replaced and missing ones", async () => {
    const { account, providers, appInputs } = await deployed();
    const app = (await providers.application.create({ ...appInputs, name: "DRIFTING", procedures: checked })).outs;
    account.procedures.set("DRIFTING", new Map([["PUBLIC.RESUME_CONNECTOR_INTERNAL()", "floe: hook hooks/resume.ts; sha256:0aab1ef136920607"], ["PUBLIC.CONFIGURE_CONNECTOR(VARIANT)", "floe: lifecycle configureConnectorEntry; sha256:45a1cb77d8acf859"]]));
    account.take();
    expect(await providers.application.read("DRIFTING", app)).toEqual({ id: "DRIFTING", props: app });
    expect(account.take()).toEqual(["SHOW APPLICATIONS LIKE 'DRIFTING'", "SHOW PROCEDURES IN APPLICATION DRIFTING"]);

    account.procedures.set("DRIFTING", new Map([["PUBLIC.RESUME_CONNECTOR_INTERNAL()", "my own version"]]));
    const refreshed = await providers.application.read("DRIFTING", app);
    expect(refreshed.props!.procedures).toEqual({ "PUBLIC.RESUME_CONNECTOR_INTERNAL()": REPLACED, "PUBLIC.CONFIGURE_CONNECTOR(VARIANT)": MISSING });
    // The next up: an update that re-applies the patch the application runs, which re-runs setup.sql.
    expect(await providers.application.diff("DRIFTING", refreshed.props!, { ...appInputs, name: "DRIFTING", procedures: checked })).toEqual({ changes: true, replaces: [], deleteBeforeReplace: false });
    account.take();
    await providers.application.update("DRIFTING", refreshed.props!, { ...appInputs, name: "DRIFTING", procedures: checked });
    expect(account.take()).toEqual(["ALTER APPLICATION DRIFTING UPGRADE USING VERSION V1 PATCH 0"]);
  });

  it("compares signatures with the types SHOW PROCEDURES reports", () => {
    expect(normalSignature("PUBLIC.RECOVER_CONNECTOR_STATE(STRING)")).toBe("PUBLIC.RECOVER_CONNECTOR_STATE(VARCHAR)");
    expect(normalSignature("PUBLIC.X(VARIANT, int, VARCHAR(100), NUMBER(38, 0))")).toBe("PUBLIC.X(VARIANT, NUMBER, VARCHAR, NUMBER)");
    expect(procedureSignature("PUBLIC", "RECOVER_CONNECTOR_STATE(VARCHAR) RETURN VARIANT")).toBe("PUBLIC.RECOVER_CONNECTOR_STATE(VARCHAR)");
    expect(procedureSignature("PUBLIC", "GET_CONNECTOR_STATUS() RETURN VARIANT")).toBe("PUBLIC.GET_CONNECTOR_STATUS()");
    expect(procedureSignature("", "X() RETURN VARIANT")).toBeUndefined();
  });
});

describe("secrets", () => {
  it("are redacted from every error a provider throws, and sessions are closed", async () => {
    const { account, providers } = setup();
    account.failNext(/^CREATE APPLICATION PACKAGE/, new DriverLikeError("000603", "XX000", `internal error while using password ${connection.password} and key`));
    const error = await failureOf(providers.applicationPackage.create(pkgInputs));
    expect(error.message).toContain("failed with Snowflake error 000603 (SQL state XX000)");
    expect(error.message).not.toContain(connection.password!);
    expect(error.message).toContain("[redacted]");
    expect(JSON.stringify(error)).not.toContain(connection.password!);
    expect(String(error.stack)).not.toContain(connection.password!);
    expect(account.closed).toBe(1);
  });
});
