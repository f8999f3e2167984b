/**
 * A named connection of connections.toml / config.toml, found and read as the Snowflake CLI
 * finds it, with the file-permission check snowflake-sdk makes before it reads connections.toml
 * itself (driver.ts): a file others may change is refused, naming it.
 *
 * snowflake-sdk looks only in SNOWFLAKE_HOME or ~/.snowflake, reads only connections.toml and
 * cannot hand the settings back as data; floe needs them as data (Pulumi passes them to the
 * providers as secret inputs), and follows the CLI's lookup, which is the one users configure.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { parse as parseToml } from "smol-toml";
import { FloeError } from "../errors";
import { snowflakeSdk, type SnowflakeConnection } from "./driver";

/** Where to look for connections.toml / config.toml; the defaults are the process's. */
export interface ConnectionLookup {
  readonly env?: Readonly<Record<string, string | undefined>>;
  readonly home?: string;
  readonly platform?: NodeJS.Platform;
}

/** The directory the Snowflake CLI reads its configuration from, and why. */
export function snowflakeConfigDir(lookup: ConnectionLookup = {}): { readonly dir: string; readonly rule: string } {
  const env = lookup.env ?? process.env;
  const home = lookup.home ?? os.homedir();
  const platform = lookup.platform ?? process.platform;
  const expand = (p: string) => (p === "~" || p.startsWith("~/") ? path.join(home, p.slice(1)) : p);
  if (env.SNOWFLAKE_HOME !== undefined && env.SNOWFLAKE_HOME !== "") return { dir: expand(env.SNOWFLAKE_HOME), rule: "SNOWFLAKE_HOME" };
  const dotSnowflake = path.join(home, ".snowflake");
  if (fs.existsSync(dotSnowflake)) return { dir: dotSnowflake, rule: "~/.snowflake exists" };
  if (platform === "darwin") return { dir: path.join(home, "Library", "Application Support", "snowflake"), rule: "macOS default" };
  if (platform === "win32") return { dir: path.join(env.LOCALAPPDATA ?? path.join(home, "AppData", "Local"), "snowflake"), rule: "Windows default" };
  return { dir: path.join(env.XDG_CONFIG_HOME ?? path.join(home, ".config"), "snowflake"), rule: "XDG default" };
}

type TomlTable = Record<string, unknown>;

/**
 * The driver's own check of a file that holds connection settings or secrets, the one it makes
 * before reading connections.toml: refused when others may write it, when it is executable,
 * when its owner cannot read and write it or when another user owns it (a file others may read
 * passes; SKIP_TOKEN_FILE_PERMISSIONS_VERIFICATION turns the check off, as for the driver).
 * Throws the driver's error, which names the file and its mode.
 *
 * Loaded here rather than in driver.ts, which the serialized providers carry: they never read
 * configuration files.
 */
function checkFilePermissions(file: string): void {
  // The driver's logger must be off before its file utilities load: they log through it.
  snowflakeSdk();
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- an internal module of the pinned driver, loaded only when a file is read
  const files = require("snowflake-sdk/dist/lib/file_util") as { validateNoExtraPermissionsForOthersSync(file: string): void };
  files.validateNoExtraPermissionsForOthersSync(file);
}

/** Reads a file that holds connection settings or a key, after the driver's permission check. */
function readSecretFile(file: string, argument: string): string {
  try {
    checkFilePermissions(file);
  } catch (e) {
    throw new FloeError(`${argument}: ${(e as Error).message.replace(/\s+/g, " ").trim()} (chmod 600 ${file} makes it readable and writable by you alone.)`);
  }
  return fs.readFileSync(file, "utf8");
}

function readToml(file: string, argument: string): TomlTable {
  const text = readSecretFile(file, argument);
  try {
    return parseToml(text) as TomlTable;
  } catch (e) {
    throw new FloeError(`${argument}: ${file} is not valid TOML: ${(e as Error).message.split("\n")[0]}`);
  }
}

const isTable = (value: unknown): value is TomlTable => value !== null && typeof value === "object" && !Array.isArray(value);

/**
 * Reads a connection as the Snowflake CLI does: in the configuration directory
 * ({@link snowflakeConfigDir}), connections.toml (top-level tables) replaces the
 * `[connections]` of config.toml; the name defaults to SNOWFLAKE_DEFAULT_CONNECTION_NAME, then
 * config.toml's `default_connection_name`, then `default`; SNOWFLAKE_CONNECTIONS_<NAME>_<KEY>
 * overrides a key, and SNOWFLAKE_<KEY> fills a key the connection lacks.
 *
 * @param argument how the name was given, for messages (`[connectionName]`, `floe:connection`).
 */
export function connectionFromToml(name?: string, lookup: ConnectionLookup = {}, argument = "[connectionName]"): SnowflakeConnection {
  const env = lookup.env ?? process.env;
  const home = lookup.home ?? os.homedir();
  const { dir, rule } = snowflakeConfigDir(lookup);
  const connectionsFile = path.join(dir, "connections.toml");
  const configFile = path.join(dir, "config.toml");
  const config = fs.existsSync(configFile) ? readToml(configFile, argument) : undefined;
  let connections: TomlTable;
  let source: string;
  if (fs.existsSync(connectionsFile)) {
    const parsed = readToml(connectionsFile, argument);
    connections = isTable(parsed.connections) ? parsed.connections : parsed;
    source = connectionsFile;
  } else if (config !== undefined) {
    connections = isTable(config.connections) ? config.connections : {};
    source = configFile;
  } else {
    throw new FloeError(`${argument}: there is neither ${connectionsFile} nor ${configFile} (directory chosen by: ${rule}). Create one, or set the snowflake:* config instead.`);
  }
  const defaultName = typeof config?.default_connection_name === "string" ? config.default_connection_name : undefined;
  const chosen = name ?? env.SNOWFLAKE_DEFAULT_CONNECTION_NAME ?? defaultName ?? "default";
  const table = connections[chosen];
  if (!isTable(table)) {
    const names = Object.keys(connections).filter((k) => isTable(connections[k]));
    throw new FloeError(`${argument}: ${source} has no connection named ${JSON.stringify(chosen)}; it has ${names.length === 0 ? "none" : names.map((n) => JSON.stringify(n)).join(", ")}.`);
  }
  const prefix = `SNOWFLAKE_CONNECTIONS_${chosen.toUpperCase()}_`;
  const value = (...keys: string[]): string | undefined => {
    for (const key of keys) {
      const override = env[prefix + key.toUpperCase()];
      if (override !== undefined && override !== "") return override;
    }
    for (const key of keys) {
      const v = table[key];
      if (typeof v === "string" || typeof v === "number") return String(v);
    }
    for (const key of keys) {
      const generic = env[`SNOWFLAKE_${key.toUpperCase()}`];
      if (generic !== undefined && generic !== "") return generic;
    }
    return undefined;
  };
  const account = value("account");
  const user = value("user", "username");
  if (account === undefined) throw new FloeError(`${argument}: connection ${JSON.stringify(chosen)} in ${source} has no account.`);
  if (user === undefined) throw new FloeError(`${argument}: connection ${JSON.stringify(chosen)} in ${source} has no user.`);
  const keyFile = value("private_key_file", "private_key_path");
  let privateKey: string | undefined;
  if (keyFile !== undefined) {
    const file = keyFile === "~" || keyFile.startsWith("~/") ? path.join(home, keyFile.slice(1)) : path.resolve(dir, keyFile);
    if (!fs.existsSync(file)) throw new FloeError(`${argument}: connection ${JSON.stringify(chosen)} names private_key_file ${file}, which does not exist.`);
    privateKey = readSecretFile(file, argument);
  }
  const port = value("port");
  const protocol = value("protocol");
  if (protocol !== undefined && protocol !== "http" && protocol !== "https") throw new FloeError(`${argument}: connection ${JSON.stringify(chosen)} has protocol ${JSON.stringify(protocol)}; use http or https.`);
  if (port !== undefined && !/^\d+$/.test(port)) throw new FloeError(`${argument}: connection ${JSON.stringify(chosen)} has port ${JSON.stringify(port)}; use a number.`);
  const connection: Record<string, unknown> = {
    account,
    user,
    role: value("role"),
    warehouse: value("warehouse"),
    password: privateKey === undefined ? value("password") : undefined,
    privateKey,
    privateKeyPassphrase: privateKey === undefined ? undefined : value("private_key_file_pwd", "private_key_passphrase", "private_key_pwd"),
    authenticator: value("authenticator"),
    host: value("host"),
    port: port === undefined ? undefined : Number(port),
    protocol,
  };
  for (const key of Object.keys(connection)) if (connection[key] === undefined) delete connection[key];
  return connection as unknown as SnowflakeConnection;
}
