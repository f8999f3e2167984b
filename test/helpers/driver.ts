/**
 * What the tests need of the snowflake-sdk driver beyond snowflake/driver.ts: a statement that
 * must fail, and the driver's error it failed with.
 */
import { execute, type Connection, type DriverError, type ExecuteOptions } from "../../snowflake/driver";

/** Runs a statement that must fail and returns the driver's error. */
export async function executeError(connection: Connection, sqlText: string, options: ExecuteOptions = {}): Promise<DriverError> {
  try {
    await execute(connection, sqlText, options);
  } catch (error) {
    return error as DriverError;
  }
  throw new Error(`expected ${JSON.stringify(sqlText)} to fail, but it succeeded`);
}
