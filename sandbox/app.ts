/**
 * A rendered connector installed in a fresh sandbox and reached through the real snowflake-sdk
 * driver: what `floe simulate`, `npm start` and the end-to-end tests work with.
 *
 * Calls go through the driver, as a consumer's would. Reading and staging the raw status row
 * goes through the sandbox's in-process back door instead: a consumer cannot touch an
 * application's internal tables, and the harness must not pretend it can.
 */
import type { RenderedApp } from "../generators/pipeline";
import { deployBundle, type Deployed, type DeployStep } from "../snowflake/deploy";
import { connect, destroy, execute, runnerOf, snowflakeSdk, type Connection } from "../snowflake/driver";
import { SnowflakeFacade, type SqlBind } from "../snowflake/facade";
import { Sandbox, type CallRecord, type SandboxOptions } from "./sandbox";
import type { ProtocolServer } from "./protocol/server";
import type { BindValue } from "./types";

export interface SandboxAppOptions {
  readonly packageName?: string;
  readonly applicationName?: string;
  /** Account privileges to grant; default: every privilege in the manifest. */
  readonly privileges?: readonly string[];
  readonly onStep?: DeployStep;
  /** Options of the sandbox itself (time limit, worker threads). */
  readonly sandbox?: SandboxOptions;
}

export class SandboxApp {
  private constructor(
    readonly sandbox: Sandbox,
    readonly server: ProtocolServer,
    readonly connection: Connection,
    readonly facade: SnowflakeFacade,
    readonly deployed: Deployed,
  ) {}

  /** Starts a sandbox, serves it, connects with snowflake-sdk and deploys the app. */
  static async start(app: RenderedApp, options: SandboxAppOptions = {}): Promise<SandboxApp> {
    // The driver is loaded while DuckDB boots in its worker thread: both take a few hundred
    // milliseconds, and the boot leaves this thread idle.
    const starting = Sandbox.start(options.sandbox);
    try {
      snowflakeSdk();
    } catch (e) {
      await starting.then((s) => s.close(), () => undefined);
      throw e;
    }
    const sandbox = await starting;
    try {
      // The first CALL would otherwise wait for a worker to boot; it boots during the install.
      sandbox.warmProcedures();
      const server = await sandbox.serve();
      const connection = await connect({ ...server.connectionOptions() });
      const facade = new SnowflakeFacade(runnerOf(connection), { role: "ACCOUNTADMIN" });
      const deployed = await deployBundle(
        facade,
        app.bundle,
        {
          packageName: options.packageName ?? `${app.model.name}_PKG`,
          applicationName: options.applicationName ?? app.model.name,
          version: app.model.version,
          privileges: options.privileges ?? app.model.privileges.map((p) => p.name),
        },
        options.onStep,
      );
      return new SandboxApp(sandbox, server, connection, facade, deployed);
    } catch (e) {
      await sandbox.close();
      throw e;
    }
  }

  get name(): string {
    return this.deployed.applicationName;
  }

  /**
   * Runs the caller's own statement through the driver, as a consumer's SQL would, and returns
   * its rows; errors are the driver's, unclassified.
   */
  async query(sqlText: string, binds: readonly BindValue[] = []): Promise<Record<string, unknown>[]> {
    return (await execute(this.connection, sqlText, { binds })).rows;
  }

  /**
   * Calls `<app>.PUBLIC.<procedure>` through the facade and returns the procedure's answer;
   * `argsSql` is the argument list as SQL (`PARSE_JSON(?)`), `binds` the values.
   */
  async call(procedure: string, argsSql = "", binds: readonly SqlBind[] = []): Promise<unknown> {
    return this.facade.callProcedure(this.name, procedure, argsSql, binds);
  }

  /** The last recorded call of a procedure made from outside (depth 1): its statements and answer. */
  lastCall(procedure: string): CallRecord | undefined {
    return this.sandbox.lastCall(procedure);
  }

  /**
   * Runs a table statement inside the application's database through the sandbox's back door
   * (not the driver) and returns its rows as arrays: for inspecting and staging internal state.
   */
  inspect(sqlText: string, binds: readonly BindValue[] = []): readonly (readonly unknown[])[] {
    return this.sandbox.tables.execute(sqlText, binds, { database: this.name }, noFunctions).rows;
  }

  /** The raw `connector_status` value, or undefined when the row is missing (back door). */
  readStatus(): unknown {
    const rows = this.inspect("SELECT VALUE FROM STATE.APP_STATE WHERE KEY = 'connector_status'");
    return rows.length === 0 ? undefined : rows[0][0];
  }

  /** Stages the `connector_status` row (back door); `undefined` deletes it. */
  writeStatus(value: unknown): void {
    this.inspect("DELETE FROM STATE.APP_STATE WHERE KEY = 'connector_status'");
    if (value === undefined) return;
    this.inspect("INSERT INTO STATE.APP_STATE (KEY, VALUE, UPDATED_AT) SELECT 'connector_status', PARSE_JSON(?), SYSDATE()", [JSON.stringify(value)]);
  }

  /** Writes a STATE.APP_CONFIG entry (back door), as the configuration steps would. */
  writeConfig(key: string, value: unknown): void {
    this.inspect("INSERT INTO STATE.APP_CONFIG (KEY, VALUE, UPDATED_AT) SELECT ?, PARSE_JSON(?), SYSDATE()", [key, JSON.stringify(value)]);
  }

  async close(): Promise<void> {
    try {
      await destroy(this.connection);
    } finally {
      await this.sandbox.close();
    }
  }
}

const noFunctions = {
  systemFunction(name: string): never {
    throw new Error(`the sandbox back door does not evaluate ${name}`);
  },
};
