/**
 * The providers through their production runner: the real snowflake-sdk driver, connected with
 * `accessUrl` to floe's sandbox endpoint, with the fake account behind it. Same statements,
 * same state, same errors as with the injected runner; PUT goes through the driver's upload.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeProviders } from "../../components/providers";
import type { SnowflakeConnection } from "../../snowflake/driver";
import { leaseSession } from "../../snowflake/sessions";
import { DriverLikeError, FakeAccount, failureOf } from "./fake-account";
import { loadSandboxServer, serveFakeAccount } from "./sandbox-backend";

describe("the snowflake-sdk runner against the sandbox endpoint", () => {
  const account = new FakeAccount();
  let served: Awaited<ReturnType<typeof serveFakeAccount>> | undefined;
  let connection: SnowflakeConnection;
  beforeAll(async () => {
    served = await serveFakeAccount(loadSandboxServer(), account);
    connection = { account: "MYORG-MYACCOUNT", user: "DEPLOYER", role: "DEPLOYER_ROLE", password: "pw-through-the-driver", accessUrl: served.url };
  });
  afterAll(async () => {
    await served?.close();
  });

  it("runs a deployment and a hook change through the driver, PUT included", async () => {
    const providers = makeProviders(leaseSession);
    const pkg = await providers.applicationPackage.create({ connection, name: "EXAMPLE_PKG", comment: "c", distribution: "INTERNAL" });
    const location = pkg.outs.location;
    const files = { "manifest.yml": "manifest_version: 1\n", "setup.sql": "-- v1\n" };
    const staged: Record<string, { id: string; outs: never }> = {};
    for (const [path, content] of Object.entries(files)) staged[path] = (await providers.stageFile.create({ connection, location, path, content, hash: content })) as never;
    const versionInputs = { connection, packageName: "EXAMPLE_PKG", location, version: "V1", files: { "manifest.yml": "m", "setup.sql": "s1" }, bundleHash: "b1" };
    const version = await providers.packageVersion.create(versionInputs);
    const appInputs = { connection, name: "EXAMPLE_CONNECTOR", packageName: "EXAMPLE_PKG", version: "V1", patch: version.outs.patch, allowReplace: false };
    const app = await providers.application.create(appInputs);
    await providers.applicationPrivilege.create({ connection, application: "EXAMPLE_CONNECTOR", privilege: "EXECUTE TASK" });
    expect(account.patchFiles("EXAMPLE_PKG", "V1", 0)).toEqual(new Map(Object.entries(files)));
    expect(account.applications.get("EXAMPLE_CONNECTOR")).toEqual({ pkg: "EXAMPLE_PKG", version: "V1", patch: 0 });
    expect(account.grants.has("EXECUTE TASK|EXAMPLE_CONNECTOR")).toBe(true);
    account.take();

    await providers.stageFile.update!(staged["setup.sql"].id, staged["setup.sql"].outs, { connection, location, path: "setup.sql", content: "-- v2\n", hash: "-- v2\n" });
    const patched = await providers.packageVersion.update!("id", version.outs, { ...versionInputs, files: { ...versionInputs.files, "setup.sql": "s2" }, bundleHash: "b2" });
    await providers.application.update!(app.id, app.outs, { ...appInputs, patch: patched.outs!.patch });
    expect(account.take()).toEqual([
      expect.stringMatching(/^PUT 'file:\/\/\/[^']*\/setup\.sql' '@EXAMPLE_PKG\.FLOE\.BUNDLE\/app' AUTO_COMPRESS = FALSE OVERWRITE = TRUE$/),
      "LIST '@EXAMPLE_PKG.FLOE.BUNDLE/app/'",
      "SHOW VERSIONS IN APPLICATION PACKAGE EXAMPLE_PKG",
      "ALTER APPLICATION PACKAGE EXAMPLE_PKG ADD PATCH FOR VERSION V1 USING '@EXAMPLE_PKG.FLOE.BUNDLE/app'",
      "ALTER APPLICATION EXAMPLE_CONNECTOR UPGRADE USING VERSION V1 PATCH 1",
    ]);
    expect(account.patchFiles("EXAMPLE_PKG", "V1", 1)?.get("setup.sql")).toBe("-- v2\n");
    // Values come back through the driver's typed rows: the patch is a number again.
    expect(await providers.application.read!(app.id, app.outs)).toMatchObject({ props: { version: "V1", patch: 1 } });
  });

  it("classifies Snowflake's errors as the driver reports them, and redacts the password from a refused login", async () => {
    const providers = makeProviders(leaseSession);
    account.failNext(/^CREATE APPLICATION PACKAGE/, new DriverLikeError("003001", "42501", "SQL access control error:\nInsufficient privileges to operate on account 'MYACCOUNT'"));
    const denied = await failureOf(providers.applicationPackage.create({ connection, name: "DENIED_PKG", comment: "c", distribution: "INTERNAL" }));
    expect(denied.kind).toBe("insufficient_privileges");
    expect(denied.code).toBe("003001");
    expect(denied.message).toContain("It needs CREATE APPLICATION PACKAGE ON ACCOUNT");

    const refused = await failureOf(providers.applicationPackage
      .create({ connection: { ...connection, password: "wrong" }, name: "X_PKG", comment: "c", distribution: "INTERNAL" })
      );
    expect(refused.kind).toBe("login");
    expect(refused.code).toBe("390100");
    expect(refused.message).toMatch(/^Logging in to Snowflake account MYORG-MYACCOUNT as DEPLOYER failed: Snowflake refused the login \(390100: /);
    expect(refused.message).not.toContain("wrong");
  });
});
