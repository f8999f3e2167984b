/**
 * connections.toml is read only after snowflake-sdk's own permission check passes: a file that
 * others may change, or that is executable, is refused with the argument, the file and its mode.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { FloeError } from "../../errors";
import { connectionFromToml } from "../../snowflake/connection";
import { tempDir } from "../helpers/tmp";

const scratch = tempDir("floe-connection-");

function home(files: Record<string, { text: string; mode: number }>): string {
  const dir = fs.mkdtempSync(path.join(scratch, "sfhome-"));
  for (const [name, { text, mode }] of Object.entries(files)) {
    const file = path.join(dir, name);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, text);
    fs.chmodSync(file, mode);
  }
  return dir;
}

const TOML = `[dev]\naccount = "ORG-DEV"\nuser = "DEV"\npassword = "dev-password"\n`;

describe.skipIf(process.platform === "win32")("the permission check of snowflake-sdk on connection files", () => {
  it("reads a file only its owner may change", () => {
    const dir = home({ "connections.toml": { text: TOML, mode: 0o600 } });
    expect(connectionFromToml("dev", { env: { SNOWFLAKE_HOME: dir } })).toEqual({ account: "ORG-DEV", user: "DEV", password: "dev-password" });
  });

  it("refuses connections.toml when others may write it, naming the argument, the file and its mode", () => {
    const dir = home({ "connections.toml": { text: TOML, mode: 0o666 } });
    const file = path.join(dir, "connections.toml");
    const read = () => connectionFromToml("dev", { env: { SNOWFLAKE_HOME: dir } }, "floe:connection");
    expect(read).toThrow(FloeError);
    expect(read).toThrow(`floe:connection: file ${file} is writable by group or others`);
    expect(read).toThrow(`File Permission: 666`);
    expect(read).toThrow(`chmod 600 ${file}`);
  });

  it("refuses an executable config.toml and a private key file others may write", () => {
    const config = home({ "config.toml": { text: `[connections.dev]\naccount = "A-B"\nuser = "U"\npassword = "p"\n`, mode: 0o700 } });
    expect(() => connectionFromToml("dev", { env: { SNOWFLAKE_HOME: config } })).toThrow(/config\.toml is executable/);
    const key = home({
      "connections.toml": { text: `[dev]\naccount = "A-B"\nuser = "U"\nprivate_key_file = "rsa.p8"\n`, mode: 0o600 },
      "rsa.p8": { text: "-----BEGIN PRIVATE KEY-----\nabc\n-----END PRIVATE KEY-----\n", mode: 0o622 },
    });
    expect(() => connectionFromToml("dev", { env: { SNOWFLAKE_HOME: key } })).toThrow(/rsa\.p8 is writable by group or others/);
  });
});
