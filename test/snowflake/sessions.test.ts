/**
 * Shared sessions (snowflake/sessions.ts), through the real snowflake-sdk driver against floe's
 * sandbox, counting the logins the server receives: a deployment's many operations, at once or
 * one after another, log in once; a lost session, another connection or a refused login do not
 * reuse what they must not.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { makeProviders } from "../../components/providers";
import { startProtocolServer, type ProtocolServer } from "../../sandbox/protocol/server";
import { Sandbox } from "../../sandbox/sandbox";
import type { SnowflakeConnection } from "../../snowflake/driver";
import { closeSharedSessions, leaseSession, sessionKey } from "../../snowflake/sessions";

let sandbox: Sandbox;
let server: ProtocolServer;
const logins: string[] = [];
let connection: SnowflakeConnection;

beforeAll(async () => {
  sandbox = await Sandbox.start();
  server = await startProtocolServer({
    login: (request) => {
      logins.push(request.user);
      return sandbox.login(request);
    },
    execute: (session, sqlText, binds) => sandbox.execute(session, sqlText, binds),
    close: () => undefined,
  });
  connection = { account: "SANDBOX-TEST", user: "DEPLOYER", password: "deployer-password", accessUrl: server.url, role: "ACCOUNTADMIN" };
});

afterEach(async () => {
  await closeSharedSessions();
  logins.length = 0;
});

afterAll(async () => {
  await server.close();
  await sandbox.close();
});

describe("shared sessions", () => {
  it("log in once for many operations at the same time and one after another", async () => {
    const leases = await Promise.all(Array.from({ length: 8 }, () => leaseSession(connection)));
    const answers = await Promise.all(leases.map((lease, i) => lease.execute(`SELECT ${i} AS N`)));
    expect(answers.map((rows) => rows[0]?.N)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    for (const lease of leases) await lease.close();
    for (let i = 0; i < 3; i++) {
      const lease = await leaseSession(connection);
      expect(await lease.execute("SELECT 1 AS ONE")).toEqual([{ ONE: 1 }]);
      await lease.close();
    }
    expect(logins).toEqual(["DEPLOYER"]);
  });

  it("run a whole deployment of the production providers on one login", async () => {
    const providers = makeProviders(leaseSession);
    const pkg = await providers.applicationPackage.create({ connection, name: "SHARED_PKG", comment: "c", distribution: "INTERNAL" });
    const files: Record<string, string> = {
      "manifest.yml": "manifest_version: 1\n",
      "setup.sql": "CREATE APPLICATION ROLE IF NOT EXISTS ADMIN;\n",
      "README.md": "# shared\n",
    };
    await Promise.all(Object.entries(files).map(([path, content]) => providers.stageFile.create({ connection, location: pkg.outs.location, path, content, hash: content })));
    const version = await providers.packageVersion.create({ connection, packageName: "SHARED_PKG", location: pkg.outs.location, version: "V1", files, bundleHash: "b1" });
    await providers.application.create({ connection, name: "SHARED_APP", packageName: "SHARED_PKG", version: "V1", patch: version.outs.patch, allowReplace: false });
    await providers.applicationPrivilege.create({ connection, application: "SHARED_APP", privilege: "EXECUTE TASK" });
    expect(logins).toEqual(["DEPLOYER"]);
  });

  it("keep connections apart, and log in again after a session is lost", async () => {
    const first = await leaseSession(connection);
    await first.close();
    const other = await leaseSession({ ...connection, user: "OTHER" });
    await other.close();
    expect(logins).toEqual(["DEPLOYER", "OTHER"]);
    expect(sessionKey(connection)).not.toBe(sessionKey({ ...connection, user: "OTHER" }));
    expect(sessionKey({ user: "U", account: "A" } as SnowflakeConnection)).toBe(sessionKey({ account: "A", user: "U" } as SnowflakeConnection));

    // The server forgets every session (as a restarted endpoint would): the shared session fails
    // with an invalid token, is dropped, and the next lease logs in again.
    const lease = await leaseSession(connection);
    await server.close();
    server = await startProtocolServer(
      {
        login: (request) => {
          logins.push(request.user);
          return sandbox.login(request);
        },
        execute: (session, sqlText, binds) => sandbox.execute(session, sqlText, binds),
        close: () => undefined,
      },
      { port: Number(new URL(connection.accessUrl!).port) },
    );
    await expect(lease.execute("SELECT 1 AS ONE")).rejects.toThrow();
    await lease.close();
    const again = await leaseSession(connection);
    expect(await again.execute("SELECT 1 AS ONE")).toEqual([{ ONE: 1 }]);
    await again.close();
    expect(logins).toEqual(["DEPLOYER", "OTHER", "DEPLOYER"]);
  });

  it("do not keep a refused login: the corrected password logs in", async () => {
    await expect(leaseSession({ ...connection, role: "NO_SUCH_ROLE" })).rejects.toMatchObject({ kind: "unexpected" });
    await expect(leaseSession({ ...connection, role: "NO_SUCH_ROLE" })).rejects.toThrow(/NO_SUCH_ROLE/);
    expect(logins).toEqual(["DEPLOYER", "DEPLOYER"]);
    const lease = await leaseSession(connection);
    await lease.close();
    expect(logins).toEqual(["DEPLOYER", "DEPLOYER", "DEPLOYER"]);
  });
});
