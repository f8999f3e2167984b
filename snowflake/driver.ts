/**
 * The snowflake-sdk driver, as every part of floe uses it (the Pulumi providers, the CLI, the
 * deployer, the sandbox harness and the tests): the only module that loads it, sets its
 * process-global settings, turns floe's connection settings into its options and wraps its
 * callback API in promises.
 *
 * Two process-global settings are made here, once, before the driver is used:
 * - at load time it probes cloud metadata endpoints (169.254.169.254, metadata.google.internal)
 *   to report its platform; SNOWFLAKE_DISABLE_PLATFORM_DETECTION turns that off, so the driver
 *   is required lazily, after the variable is set;
 * - it logs at INFO into ./snowflake.log unless told otherwise; OFF creates no logger at all.
 *
 * SERIALIZATION RULE (see facade.ts): captured by value into the dynamic providers, so
 * snowflake-sdk is `require`d inside {@link snowflakeSdk}; at `pulumi up` time that require
 * resolves in the provider process, from floe's dependencies.
 */
import type { Binds, Connection, ConnectionOptions, FileAndStageBindStatement, RowStatement } from "snowflake-sdk";
import { classifyError } from "./errors";
import type { Row, SnowflakeRunner, SqlBind } from "./facade";

type SnowflakeModule = typeof import("snowflake-sdk");

/**
 * The configured driver is kept on the process, not in this module: the serialized providers
 * each carry a copy of this code (see sessions.ts), and all of them must share one driver.
 */
const LOADED = "__floeSnowflakeSdk";

/** The driver module, configured. */
export function snowflakeSdk(): SnowflakeModule {
  const holder = globalThis as { [LOADED]?: SnowflakeModule };
  let loaded = holder[LOADED];
  if (loaded === undefined) {
    if (process.env.SNOWFLAKE_DISABLE_PLATFORM_DETECTION === undefined) process.env.SNOWFLAKE_DISABLE_PLATFORM_DETECTION = "true";
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded after the settings above, and required where used (SERIALIZATION RULE)
    const sdk = require("snowflake-sdk") as SnowflakeModule & { default?: SnowflakeModule };
    loaded = sdk.default ?? sdk;
    loaded.configure({ logLevel: "OFF" });
    holder[LOADED] = loaded;
  }
  return loaded;
}

export type { Connection, ConnectionOptions };
export type Statement = RowStatement | FileAndStageBindStatement;

export interface Executed {
  readonly statement: Statement;
  readonly rows: Record<string, unknown>[];
}

/** The driver's error: a plain Error with Snowflake's fields copied onto it. */
export interface DriverError extends Error {
  readonly code?: string | number;
  readonly sqlState?: string;
  readonly data?: Record<string, unknown>;
}

export function connect(options: ConnectionOptions): Promise<Connection> {
  const connection = snowflakeSdk().createConnection(options);
  return new Promise((resolve, reject) => {
    connection.connect((error) => (error ? reject(error) : resolve(connection)));
  });
}

export interface ExecuteOptions {
  readonly binds?: readonly unknown[];
  /** Statement parameters, e.g. `MULTI_STATEMENT_COUNT`. */
  readonly parameters?: Record<string, unknown>;
}

export function execute(connection: Connection, sqlText: string, options: ExecuteOptions = {}): Promise<Executed> {
  return new Promise((resolve, reject) => {
    connection.execute({
      sqlText,
      // The driver sends whatever JSON.stringify accepts (Dates included); its Bind type is narrower.
      ...(options.binds !== undefined && options.binds.length > 0 ? { binds: [...options.binds] as Binds } : {}),
      ...(options.parameters ? { parameters: options.parameters } : {}),
      complete: (error, statement, rows) => {
        if (error) reject(error);
        else resolve({ statement, rows: (rows ?? []) as Record<string, unknown>[] });
      },
    });
  });
}

export function destroy(connection: Connection): Promise<void> {
  return new Promise((resolve, reject) => {
    connection.destroy((error) => (error ? reject(error) : resolve()));
  });
}

/** A {@link SnowflakeRunner} over one open connection; `close` ends the session. */
export function runnerOf(connection: Connection): SnowflakeRunner {
  return {
    execute: async (sqlText: string, binds?: readonly SqlBind[]): Promise<Row[]> => (await execute(connection, sqlText, binds === undefined ? {} : { binds })).rows,
    close: () => destroy(connection),
  };
}

/**
 * How to reach Snowflake (or floe's sandbox). Plain values: inside the providers, after Pulumi
 * has resolved the secret inputs. `password`, `privateKey` and `privateKeyPassphrase` are
 * secrets; everything that handles a connection redacts them from its errors.
 */
export interface SnowflakeConnection {
  /** Account identifier, `ORGNAME-ACCOUNTNAME`. */
  readonly account: string;
  readonly user: string;
  readonly role?: string;
  readonly warehouse?: string;
  readonly password?: string;
  /** PEM text of an unencrypted or encrypted PKCS#8 key; selects key-pair (SNOWFLAKE_JWT) login. */
  readonly privateKey?: string;
  readonly privateKeyPassphrase?: string;
  /** e.g. `SNOWFLAKE_JWT`, `PROGRAMMATIC_ACCESS_TOKEN`; default from the credentials given. */
  readonly authenticator?: string;
  /** Full endpoint, e.g. floe's sandbox at `http://127.0.0.1:PORT`; overrides the account's host. */
  readonly accessUrl?: string;
  readonly host?: string;
  readonly port?: number;
  readonly protocol?: "http" | "https";
}

/** The names of the secret fields of a connection. */
export const SECRET_FIELDS = ["password", "privateKey", "privateKeyPassphrase"] as const;

/** The secret values of a connection, for redaction. */
export function secretsOf(connection: Partial<SnowflakeConnection> | undefined): string[] {
  if (connection === undefined || connection === null) return [];
  const values: string[] = [];
  for (const field of SECRET_FIELDS) {
    const value = connection[field];
    if (typeof value === "string" && value.length > 0) values.push(value);
  }
  return values;
}

/** snowflake-sdk connection options for a connection (undefined fields left out). */
export function sdkConnectionOptions(connection: SnowflakeConnection): ConnectionOptions {
  const options: Record<string, unknown> = { account: connection.account, username: connection.user };
  const optional: [string, unknown][] = [
    ["role", connection.role],
    ["warehouse", connection.warehouse],
    ["accessUrl", connection.accessUrl],
    ["host", connection.host],
    ["port", connection.port],
    ["protocol", connection.protocol],
  ];
  if (connection.privateKey !== undefined) {
    optional.push(["authenticator", connection.authenticator ?? "SNOWFLAKE_JWT"], ["privateKey", connection.privateKey], ["privateKeyPass", connection.privateKeyPassphrase]);
  } else {
    optional.push(["authenticator", connection.authenticator], ["password", connection.password]);
  }
  for (const [key, value] of optional) if (value !== undefined && value !== null && value !== "") options[key] = value;
  return options as unknown as ConnectionOptions;
}

/** Logs in with floe's connection settings. A refused login becomes a classified, redacted error. */
export async function login(connection: SnowflakeConnection): Promise<Connection> {
  try {
    return await connect(sdkConnectionOptions(connection));
  } catch (error) {
    throw classifyError(error, { what: `Logging in to Snowflake account ${connection.account} as ${connection.user}`, needs: "a user that may log in" }, { role: connection.role, secrets: secretsOf(connection) });
  }
}

/** Opens a session of its own; `close` ends it. */
export async function openSession(connection: SnowflakeConnection): Promise<SnowflakeRunner> {
  return runnerOf(await login(connection));
}
