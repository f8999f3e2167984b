/**
 * The dynamic providers as `pulumi up` ships them: serialized with
 * pulumi.runtime.serializeFunction in a Node process running TypeScript through tsx's CommonJS
 * hook (the loader Pulumi.yaml configures, not vitest), then loaded in a plain Node process
 * the way Pulumi's dynamic provider host loads them (require-from-string, `.handler()`), with
 * no TypeScript loader at all, and run.
 */
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { tempDir } from "../helpers/tmp";

// One scratch directory for the file, removed after it (tempDir registers that at file level).
const scratch = tempDir("floe-components-");
const scratchDir = (prefix: string) => fs.mkdtempSync(path.join(scratch, prefix));
import { FakeAccount } from "./fake-account";
import { loadSandboxServer, serveFakeAccount } from "./sandbox-backend";

const ROOT = path.resolve(__dirname, "..", "..");
const HERE = path.join(ROOT, "test", "components");

function run(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { cwd: ROOT, env: { ...process.env, NODE_OPTIONS: "" } });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

async function scenario(name: string, ...extra: string[]): Promise<any> {
  const result = await run([path.join(HERE, "run-serialized.cjs"), out, name, ...extra]);
  expect(result.stderr).toBe("");
  return JSON.parse(result.stdout);
}

let out: string;
beforeAll(async () => {
  out = scratchDir("serialized-");
  const result = await run(["--require", "tsx/cjs", path.join(HERE, "serialize-providers.ts"), out]);
  expect(result.stderr, "serialization failed").toBe("");
  expect(result.code).toBe(0);
}, 60_000);

describe("the serialized providers", () => {
  it("hold only local code by value and require only Node built-ins and snowflake-sdk at run time", () => {
    const kinds = ["applicationPackage", "stageFile", "packageVersion", "application", "applicationPrivilege"];
    for (const kind of kinds) {
      const text = fs.readFileSync(path.join(out, `default-${kind}.js`), "utf8");
      expect(text).toMatch(/^exports\.handler = __f0;$/m);
      expect([...new Set(text.match(/require\("[^"]+"\)/g))].sort(), kind).toEqual(['require("node:fs")', 'require("node:os")', 'require("node:path")', 'require("snowflake-sdk")']);
      // Nothing of the program's own machinery or file system comes along.
      expect(text, kind).not.toContain(ROOT);
      expect(text, kind).not.toMatch(/ts-morph|@pulumi\/pulumi|__vite_ssr/);
    }
  });

  it("run in plain Node as Pulumi's dynamic provider host runs them", async () => {
    const result = await scenario("recording");
    for (const methods of Object.values(result.methods)) expect(methods).toEqual(["create", "delete", "diff", "read", "update"]);
    expect(result.created.id).toBe("EXAMPLE_CONNECTOR");
    expect(result.upgrade).toEqual({ changes: true, replaces: [], deleteBeforeReplace: false });
    expect(result.refusal).toMatch(/^Refusing to replace application EXAMPLE_CONNECTOR: the change of name EXAMPLE_CONNECTOR -> OTHER/);
    expect(result.patch).toBe(1);
    expect(result.sql).toEqual([
      "-- login DEPLOYER@MYORG-MYACCOUNT",
      "CREATE APPLICATION EXAMPLE_CONNECTOR FROM APPLICATION PACKAGE EXAMPLE_PKG USING VERSION V1 PATCH 0",
      "-- close",
      "-- login DEPLOYER@MYORG-MYACCOUNT",
      "ALTER APPLICATION EXAMPLE_CONNECTOR UPGRADE USING VERSION V1 PATCH 1",
      "-- close",
      "-- login DEPLOYER@MYORG-MYACCOUNT",
      "LIST '@EXAMPLE_PKG.FLOE.BUNDLE/app/'",
      "SHOW VERSIONS IN APPLICATION PACKAGE EXAMPLE_PKG",
      "ALTER APPLICATION PACKAGE EXAMPLE_PKG ADD PATCH FOR VERSION V1 USING '@EXAMPLE_PKG.FLOE.BUNDLE/app'",
      "-- close",
      "-- login DEPLOYER@MYORG-MYACCOUNT",
      "GRANT EXECUTE TASK ON ACCOUNT TO APPLICATION EXAMPLE_CONNECTOR",
      "-- close",
    ]);
  });

  describe("with snowflake-sdk", () => {
    let server: Server;
    let url: string;
    beforeAll(async () => {
      // Refuses every login as Snowflake does a wrong password.
      server = createServer((req, res) => {
        req.resume();
        req.on("end", () => {
          res.writeHead(200, { "Content-Type": "application/json" });
          res.end(JSON.stringify({ success: false, code: "390100", message: "Incorrect username or password was specified.", data: { errorCode: "390100", sqlState: "08004", nextAction: "RETRY_LOGIN" } }));
        });
      });
      await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
      url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    });
    afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

    it("load the driver from the project's node_modules, log in at accessUrl, and report a refused login without the password", async () => {
      const result = await scenario("login", url);
      expect(result.sdkLoadedFrom).toContain(path.join(ROOT, "node_modules", "snowflake-sdk"));
      expect(result.error.name).toBe("SnowflakeFacadeError");
      expect(result.error.kind).toBe("login");
      expect(result.error.code).toBe("390100");
      expect(result.error.message).toBe(
        "Logging in to Snowflake account MYORG-MYACCOUNT as DEPLOYER failed: Snowflake refused the login (390100: Incorrect username or password was specified.). " +
          "Check snowflake:account, snowflake:user and the private key or password (or the connection in connections.toml).",
      );
      expect(JSON.stringify(result)).not.toContain("pw-serialized-2");
    });
  });

  describe("end to end through the sandbox endpoint", () => {
    it("deploy an app with the production providers", async () => {
      const server = loadSandboxServer();
      const account = new FakeAccount();
      const served = await serveFakeAccount(server, account);
      try {
        const result = await scenario("full", served.url);
        expect(result).toEqual({ location: "@EXAMPLE_PKG.FLOE.BUNDLE/app", patch: 0, read: { version: "V1", patch: 0 } });
        expect(account.statements.filter((s) => !s.startsWith("SHOW") && !s.startsWith("LIST")).map((s) => s.replace(/^PUT '[^']*\//, "PUT '…/"))).toEqual([
          "CREATE APPLICATION PACKAGE EXAMPLE_PKG COMMENT = 'c' DISTRIBUTION = INTERNAL",
          "CREATE SCHEMA EXAMPLE_PKG.FLOE",
          "CREATE STAGE EXAMPLE_PKG.FLOE.BUNDLE",
          "PUT '…/manifest.yml' '@EXAMPLE_PKG.FLOE.BUNDLE/app' AUTO_COMPRESS = FALSE OVERWRITE = TRUE",
          "PUT '…/setup.sql' '@EXAMPLE_PKG.FLOE.BUNDLE/app' AUTO_COMPRESS = FALSE OVERWRITE = TRUE",
          "ALTER APPLICATION PACKAGE EXAMPLE_PKG ADD VERSION V1 USING '@EXAMPLE_PKG.FLOE.BUNDLE/app'",
          "CREATE APPLICATION EXAMPLE_CONNECTOR FROM APPLICATION PACKAGE EXAMPLE_PKG USING VERSION V1 PATCH 0",
          "GRANT EXECUTE TASK ON ACCOUNT TO APPLICATION EXAMPLE_CONNECTOR",
        ]);
        expect(account.patchFiles("EXAMPLE_PKG", "V1", 0)?.get("setup.sql")).toBe("CREATE APPLICATION ROLE IF NOT EXISTS ADMIN;\n");
      } finally {
        await served.close();
      }
    });
  });
});
