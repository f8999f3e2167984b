/**
 * The real snowflake-sdk driver, loaded the way floe needs it everywhere (CLI, Pulumi providers,
 * tests), with its callback API wrapped in promises.
 *
 * Two settings must be in place before the driver is used:
 * - at load time it probes cloud metadata endpoints (169.254.169.254, metadata.google.internal)
 *   to report its platform; SNOWFLAKE_DISABLE_PLATFORM_DETECTION turns that off, and the driver
 *   is therefore required lazily, after the variable is set;
 * - it logs at INFO into ./snowflake.log unless told otherwise; OFF creates no logger at all.
 */
import type { Binds, Connection, ConnectionOptions, FileAndStageBindStatement, RowStatement } from "snowflake-sdk";

type SnowflakeModule = typeof import("snowflake-sdk");

let loaded: SnowflakeModule | undefined;

/** The driver module, configured. */
export function snowflakeSdk(): SnowflakeModule {
  if (loaded === undefined) {
    process.env.SNOWFLAKE_DISABLE_PLATFORM_DETECTION = "true";
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const sdk = require("snowflake-sdk") as SnowflakeModule & { default?: SnowflakeModule };
    loaded = sdk.default ?? sdk;
    loaded.configure({ logLevel: "OFF" });
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

export function execute(
  connection: Connection,
  sqlText: string,
  options: { binds?: readonly unknown[]; parameters?: Record<string, unknown> } = {},
): Promise<Executed> {
  return new Promise((resolve, reject) => {
    connection.execute({
      sqlText,
      // The driver sends whatever JSON.stringify accepts (Dates included); its Bind type is narrower.
      ...(options.binds ? { binds: options.binds as Binds } : {}),
      ...(options.parameters ? { parameters: options.parameters } : {}),
      complete: (error, statement, rows) => {
        if (error) reject(error);
        else resolve({ statement, rows: (rows ?? []) as Record<string, unknown>[] });
      },
    });
  });
}

/** Runs a statement that must fail and returns the driver's error. */
export async function executeError(
  connection: Connection,
  sqlText: string,
  options: { binds?: readonly unknown[]; parameters?: Record<string, unknown> } = {},
): Promise<DriverError> {
  try {
    await execute(connection, sqlText, options);
  } catch (error) {
    return error as DriverError;
  }
  throw new Error(`expected ${JSON.stringify(sqlText)} to fail, but it succeeded`);
}

export function destroy(connection: Connection): Promise<void> {
  return new Promise((resolve, reject) => {
    connection.destroy((error) => (error ? reject(error) : resolve()));
  });
}
