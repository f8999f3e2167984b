/**
 * Connection settings: the Snowflake CLI's lookup of connections.toml / config.toml, env
 * overrides, key files; stack config with its mutually exclusive keys; the snowflake-sdk options.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { connectionFromConfig } from "../../components/connection";
import { connectionFromToml, snowflakeConfigDir } from "../../snowflake/connection";
import { sdkConnectionOptions, secretsOf } from "../../snowflake/driver";
import { tempDir } from "../helpers/tmp";

// One scratch directory for the file, removed after it (tempDir registers that at file level).
const scratch = tempDir("floe-components-");
const scratchDir = (prefix: string) => fs.mkdtempSync(path.join(scratch, prefix));
import { installMocks, valueOf } from "./mocks";

function write(file: string, text: string): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, text);
}

describe("finding the Snowflake CLI's configuration directory", () => {
  it("takes SNOWFLAKE_HOME, then ~/.snowflake if it exists, then the platform's default", () => {
    const home = scratchDir("home-");
    expect(snowflakeConfigDir({ env: {}, home, platform: "linux" })).toEqual({ dir: path.join(home, ".config", "snowflake"), rule: "XDG default" });
    expect(snowflakeConfigDir({ env: { XDG_CONFIG_HOME: "/xdg" }, home, platform: "linux" }).dir).toBe("/xdg/snowflake");
    expect(snowflakeConfigDir({ env: {}, home, platform: "darwin" }).dir).toBe(path.join(home, "Library", "Application Support", "snowflake"));
    expect(snowflakeConfigDir({ env: { LOCALAPPDATA: "C:/Users/me/AppData/Local" }, home, platform: "win32" }).dir).toBe(path.join("C:/Users/me/AppData/Local", "snowflake"));
    fs.mkdirSync(path.join(home, ".snowflake"));
    expect(snowflakeConfigDir({ env: {}, home, platform: "linux" })).toEqual({ dir: path.join(home, ".snowflake"), rule: "~/.snowflake exists" });
    expect(snowflakeConfigDir({ env: { SNOWFLAKE_HOME: "~/sf" }, home, platform: "linux" })).toEqual({ dir: path.join(home, "sf"), rule: "SNOWFLAKE_HOME" });
  });
});

describe("reading a connection from connections.toml", () => {
  it("prefers connections.toml to config.toml's [connections], and picks the default name as the CLI does", () => {
    const dir = scratchDir("sfhome-");
    write(path.join(dir, "config.toml"), `default_connection_name = "dev"\n[connections.dev]\naccount = "FROMCONFIG-ACCOUNT"\nuser = "CONFIG_USER"\npassword = "p"\n`);
    const env = { SNOWFLAKE_HOME: dir };
    expect(connectionFromToml(undefined, { env })).toEqual({ account: "FROMCONFIG-ACCOUNT", user: "CONFIG_USER", password: "p" });
    write(path.join(dir, "connections.toml"), `[dev]\naccount = "ORG-DEV"\nuser = "DEV_USER"\npassword = "dev-password"\nrole = "DEV_ROLE"\n\n[default]\naccount = "ORG-DEFAULT"\nuser = "U"\npassword = "x"\n`);
    expect(connectionFromToml(undefined, { env })).toEqual({ account: "ORG-DEV", user: "DEV_USER", password: "dev-password", role: "DEV_ROLE" });
    expect(connectionFromToml(undefined, { env: { ...env, SNOWFLAKE_DEFAULT_CONNECTION_NAME: "default" } }).account).toBe("ORG-DEFAULT");
    expect(connectionFromToml("default", { env }).account).toBe("ORG-DEFAULT");
  });

  it("lets SNOWFLAKE_CONNECTIONS_<NAME>_<KEY> override a key and SNOWFLAKE_<KEY> fill a missing one", () => {
    const dir = scratchDir("sfhome-");
    write(path.join(dir, "connections.toml"), `[ci]\naccount = "ORG-CI"\nuser = "CI"\n`);
    const env = { SNOWFLAKE_HOME: dir, SNOWFLAKE_CONNECTIONS_CI_ACCOUNT: "ORG-OVERRIDE", SNOWFLAKE_PASSWORD: "from-env", SNOWFLAKE_USER: "ignored" };
    expect(connectionFromToml("ci", { env })).toEqual({ account: "ORG-OVERRIDE", user: "CI", password: "from-env" });
  });

  it("reads the private key file, relative to the configuration directory, with its passphrase, and the sandbox's endpoint", () => {
    const dir = scratchDir("sfhome-");
    write(path.join(dir, "keys", "rsa.p8"), "-----BEGIN ENCRYPTED PRIVATE KEY-----\nabc\n-----END ENCRYPTED PRIVATE KEY-----\n");
    write(
      path.join(dir, "connections.toml"),
      `[sandbox]\naccount = "FLOE-SANDBOX"\nuser = "DEV"\nauthenticator = "SNOWFLAKE_JWT"\nprivate_key_file = "keys/rsa.p8"\nprivate_key_file_pwd = "phrase"\nhost = "127.0.0.1"\nport = 8085\nprotocol = "http"\n`,
    );
    const connection = connectionFromToml("sandbox", { env: { SNOWFLAKE_HOME: dir } });
    expect(connection).toEqual({
      account: "FLOE-SANDBOX",
      user: "DEV",
      authenticator: "SNOWFLAKE_JWT",
      privateKey: "-----BEGIN ENCRYPTED PRIVATE KEY-----\nabc\n-----END ENCRYPTED PRIVATE KEY-----\n",
      privateKeyPassphrase: "phrase",
      host: "127.0.0.1",
      port: 8085,
      protocol: "http",
    });
    expect(sdkConnectionOptions(connection)).toEqual({
      account: "FLOE-SANDBOX",
      username: "DEV",
      host: "127.0.0.1",
      port: 8085,
      protocol: "http",
      authenticator: "SNOWFLAKE_JWT",
      privateKey: connection.privateKey,
      privateKeyPass: "phrase",
    });
    expect(secretsOf(connection)).toEqual([connection.privateKey, "phrase"]);
  });

  it("says what is missing, naming the argument and the file", () => {
    const dir = scratchDir("sfhome-");
    const env = { SNOWFLAKE_HOME: dir };
    expect(() => connectionFromToml("dev", { env })).toThrow(`[connectionName]: there is neither ${path.join(dir, "connections.toml")} nor ${path.join(dir, "config.toml")} (directory chosen by: SNOWFLAKE_HOME).`);
    write(path.join(dir, "connections.toml"), `[dev]\naccount = "ORG-DEV"\n[prod]\nuser = "P"\n`);
    expect(() => connectionFromToml("qa", { env }, "floe:connection")).toThrow(`floe:connection: ${path.join(dir, "connections.toml")} has no connection named "qa"; it has "dev", "prod".`);
    expect(() => connectionFromToml("dev", { env })).toThrow(`connection "dev" in ${path.join(dir, "connections.toml")} has no user.`);
    expect(() => connectionFromToml("prod", { env })).toThrow("has no account.");
    write(path.join(dir, "connections.toml"), `[dev]\naccount = "A-B"\nuser = "U"\nprivate_key_file = "missing.p8"\n`);
    expect(() => connectionFromToml("dev", { env })).toThrow(`names private_key_file ${path.join(dir, "missing.p8")}, which does not exist.`);
    write(path.join(dir, "connections.toml"), `[dev\naccount = "A-B"\n`);
    expect(() => connectionFromToml("dev", { env })).toThrow(/is not valid TOML/);
  });
});

describe("reading the connection from stack config", () => {
  it("reads snowflake:* keys, the organization and account names, and keeps the secrets secret", async () => {
    installMocks({
      config: { "snowflake:organizationName": "MYORG", "snowflake:accountName": "MYACCOUNT", "snowflake:user": "U", "snowflake:password": "pw-1234", "snowflake:port": "443" },
      secretKeys: ["snowflake:password"],
    });
    const connection = connectionFromConfig();
    expect(connection.account).toBe("MYORG-MYACCOUNT");
    expect(connection.port).toBe(443);
    expect(await valueOf(connection.password as never)).toBe("pw-1234");
    expect(await (connection.password as unknown as { isSecret: Promise<boolean> }).isSecret).toBe(true);
  });

  it("takes the whole connection from floe:connection", () => {
    const dir = scratchDir("sfhome-");
    write(path.join(dir, "connections.toml"), `[dev]\naccount = "ORG-DEV"\nuser = "DEV_USER"\npassword = "dev-password"\n`);
    installMocks({ config: { "floe:connection": "dev", "floe:accessUrl": "http://127.0.0.1:9000" } });
    const connection = connectionFromConfig({ env: { SNOWFLAKE_HOME: dir } });
    expect(connection).toMatchObject({ account: "ORG-DEV", user: "DEV_USER", accessUrl: "http://127.0.0.1:9000" });
  });

  it("refuses keys that exclude each other, checking them before anything else", () => {
    installMocks({ config: { "floe:connection": "dev", "snowflake:account": "A-B" } });
    expect(() => connectionFromConfig()).toThrow("Only one of floe:connection, snowflake:account may be set: floe:connection takes the whole connection from connections.toml.");
    installMocks({ config: { "snowflake:account": "A-B", "snowflake:user": "U", "snowflake:password": "p", "snowflake:privateKey": "k" }, secretKeys: ["snowflake:password", "snowflake:privateKey"] });
    expect(() => connectionFromConfig()).toThrow("Only one of snowflake:password, snowflake:privateKey may be set.");
    installMocks({ config: { "snowflake:account": "A-B", "snowflake:accountName": "B" } });
    expect(() => connectionFromConfig()).toThrow("Only one of snowflake:account, snowflake:organizationName + snowflake:accountName may be set.");
    installMocks({ config: { "snowflake:accountName": "B" } });
    expect(() => connectionFromConfig()).toThrow("snowflake:organizationName and snowflake:accountName must be set together.");
    installMocks({ config: { "snowflake:account": "A-B" } });
    expect(() => connectionFromConfig()).toThrow("snowflake:user is not set: pulumi config set snowflake:user <user>.");
    installMocks({ config: { "snowflake:account": "A-B", "snowflake:user": "U" } });
    expect(() => connectionFromConfig()).toThrow(/^Neither snowflake:privateKey nor snowflake:password is set/);
    installMocks({ config: { "snowflake:account": "A-B", "snowflake:user": "U", "snowflake:password": "p", "snowflake:protocol": "ftp" } });
    expect(() => connectionFromConfig()).toThrow('snowflake:protocol must be http or https, got "ftp".');
  });
});
