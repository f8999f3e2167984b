/**
 * The production {@link SnowflakeRunner}: a snowflake-sdk connection, opened per provider
 * operation and closed after it.
 *
 * SERIALIZATION RULE (see facade.ts): captured by value into the dynamic providers, so
 * snowflake-sdk is `require`d inside {@link openSnowflakeSdkRunner}; at `pulumi up` time that
 * require resolves from the project's node_modules in the dynamic provider process.
 */
import type { ConnectionOptions } from "snowflake-sdk";
import { classifyError, type Row, type SnowflakeRunner, type SqlBind } from "./facade";

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

/** Opens a snowflake-sdk session. Login failures become classified, redacted errors. */
export async function openSnowflakeSdkRunner(connection: SnowflakeConnection): Promise<SnowflakeRunner> {
  // The driver probes cloud metadata endpoints at load time unless told not to, and writes
  // ./snowflake.log unless its logger is off.
  if (process.env.SNOWFLAKE_DISABLE_PLATFORM_DETECTION === undefined) process.env.SNOWFLAKE_DISABLE_PLATFORM_DETECTION = "true";
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const loaded = require("snowflake-sdk") as typeof import("snowflake-sdk") & { default?: typeof import("snowflake-sdk") };
  const sdk = loaded.default ?? loaded;
  sdk.configure({ logLevel: "OFF" });
  const context = { role: connection.role, secrets: secretsOf(connection) };
  const session = sdk.createConnection(sdkConnectionOptions(connection));
  try {
    await new Promise<void>((resolve, reject) => session.connect((error) => (error ? reject(error) : resolve())));
  } catch (error) {
    throw classifyError(error, { what: `Logging in to Snowflake account ${connection.account} as ${connection.user}`, needs: "a user that may log in" }, context);
  }
  return {
    execute(sqlText: string, binds?: readonly SqlBind[]): Promise<Row[]> {
      return new Promise((resolve, reject) => {
        session.execute({
          sqlText,
          ...(binds !== undefined && binds.length > 0 ? { binds: [...binds] as import("snowflake-sdk").Binds } : {}),
          complete: (error, _statement, rows) => (error ? reject(error) : resolve((rows ?? []) as Row[])),
        });
      });
    },
    close(): Promise<void> {
      return new Promise((resolve) => session.destroy(() => resolve()));
    },
  };
}
