/**
 * Settings of a real Snowflake account for the end-to-end tests, from SNOWFLAKE_* variables.
 * Without them the account runs are reported as skipped, never as passed.
 */
import * as fs from "node:fs";
import type { ConnectionOptions } from "../../snowflake/driver";

export interface AccountSettings {
  readonly options: ConnectionOptions;
  readonly role: string;
}

export function accountSettings(env: NodeJS.ProcessEnv = process.env): AccountSettings | undefined {
  const account = env.SNOWFLAKE_ACCOUNT;
  const user = env.SNOWFLAKE_USER;
  if (!account || !user) return undefined;
  const options: Record<string, unknown> = { account, username: user };
  if (env.SNOWFLAKE_PASSWORD) options.password = env.SNOWFLAKE_PASSWORD;
  if (env.SNOWFLAKE_PRIVATE_KEY_PATH) {
    options.authenticator = "SNOWFLAKE_JWT";
    options.privateKey = fs.readFileSync(env.SNOWFLAKE_PRIVATE_KEY_PATH, "utf8");
    if (env.SNOWFLAKE_PRIVATE_KEY_PASSPHRASE) options.privateKeyPass = env.SNOWFLAKE_PRIVATE_KEY_PASSPHRASE;
  }
  if (!options.password && !options.privateKey) return undefined;
  const role = env.SNOWFLAKE_ROLE ?? "ACCOUNTADMIN";
  options.role = role;
  if (env.SNOWFLAKE_WAREHOUSE) options.warehouse = env.SNOWFLAKE_WAREHOUSE;
  return { options: options as ConnectionOptions, role };
}

export const ACCOUNT_SKIP_REASON = "set SNOWFLAKE_ACCOUNT, SNOWFLAKE_USER and SNOWFLAKE_PASSWORD (or SNOWFLAKE_PRIVATE_KEY_PATH) to run against a real account";
