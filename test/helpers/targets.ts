/**
 * Where the end-to-end suite runs: the embedded sandbox (always) or a real account (when
 * SNOWFLAKE_* settings are present). Both are reached through the real snowflake-sdk driver and
 * deployed by the same facade statements.
 */
import { randomBytes } from "node:crypto";
import type { RenderedApp } from "../../generators/pipeline";
import { SandboxApp } from "../../sandbox/app";
import { deployBundle } from "../../snowflake/deploy";
import { connect, destroy, execute, runnerOf, type Connection } from "../../snowflake/driver";
import { SnowflakeFacade, type SqlBind } from "../../snowflake/facade";
import type { BindValue } from "../../sandbox/types";
import { accountSettings } from "./account";

export type TargetName = "sandbox" | "account";

export interface InstalledApp {
  readonly target: TargetName;
  readonly name: string;
  query(sqlText: string, binds?: readonly BindValue[]): Promise<Record<string, unknown>[]>;
  call(procedure: string, argsSql?: string, binds?: readonly SqlBind[]): Promise<unknown>;
  /** Deploys another render of the app: a new patch and an upgrade. */
  redeploy(app: RenderedApp): Promise<{ patch: number }>;
  close(): Promise<void>;
  /** The sandbox, for the tests that stage state through its back door. */
  readonly sandbox?: SandboxApp;
}

export const TARGETS: readonly { readonly name: TargetName; readonly available: boolean }[] = [
  { name: "sandbox", available: true },
  { name: "account", available: accountSettings() !== undefined },
];

function fromSandbox(app: SandboxApp, packageName: string): InstalledApp {
  return {
    target: "sandbox",
    name: app.name,
    sandbox: app,
    query: (sql, binds) => app.query(sql, binds),
    call: (procedure, args, binds) => app.call(procedure, args, binds),
    redeploy: async (rendered) => {
      const deployed = await deployBundle(app.facade, rendered.bundle, { packageName, applicationName: app.name, version: rendered.model.version, privileges: [] });
      return { patch: deployed.patch };
    },
    close: () => app.close(),
  };
}

/** Installs a rendered app on a target, granting the given account privileges. */
export async function install(target: TargetName, rendered: RenderedApp, privileges: readonly string[] = ["EXECUTE TASK"]): Promise<InstalledApp> {
  const suffix = randomBytes(3).toString("hex").toUpperCase();
  const packageName = `${rendered.model.name}_PKG_${suffix}`;
  const applicationName = `${rendered.model.name}_${suffix}`;
  if (target === "sandbox") {
    return fromSandbox(await SandboxApp.start(rendered, { packageName, applicationName, privileges }), packageName);
  }
  const settings = accountSettings();
  if (settings === undefined) throw new Error("no account settings");
  const connection: Connection = await connect(settings.options);
  const facade = new SnowflakeFacade(runnerOf(connection), { role: settings.role });
  await deployBundle(facade, rendered.bundle, { packageName, applicationName, version: rendered.model.version, privileges });
  const query = async (sql: string, binds: readonly BindValue[] = []) => (await execute(connection, sql, { binds })).rows;
  return {
    target,
    name: applicationName,
    query,
    call: (procedure, args = "", binds = []) => facade.callProcedure(applicationName, procedure, args, binds),
    redeploy: async (next) => ({ patch: (await deployBundle(facade, next.bundle, { packageName, applicationName, version: next.model.version, privileges: [] })).patch }),
    close: async () => {
      try {
        await facade.dropApplication(applicationName);
        await facade.dropApplicationPackage(packageName);
      } finally {
        await destroy(connection);
      }
    },
  };
}
