/**
 * `floe/sandbox`: the embedded Snowflake stand-in (see docs/sandbox.md).
 *
 * ```ts
 * import { renderConnector } from "floe/generators";
 * import { SandboxApp } from "floe/sandbox";
 * const app = await SandboxApp.start(await renderConnector(definition));
 * await app.call("RESUME_CONNECTOR");
 * await app.close();
 * ```
 *
 * sandbox/ holds the Snowflake stand-in: catalog, sessions, statement handlers, table store,
 * procedure runner and the HTTP protocol the driver talks to. May import: errors, lifecycle, sql,
 * generators, snowflake.
 */
export { Sandbox, type SandboxOptions, type CallRecord, type StatementRecord, type Session } from "./sandbox";
export { CallHistory, DEFAULT_CALL_HISTORY } from "./history";
export { SandboxApp, type SandboxAppOptions } from "./app";
export { SnowflakeError, UnsupportedError, type QueryResult, type BindValue } from "./types";
