/**
 * Dynamic provider of the application installed from the package. Never replaced unless the
 * user opts in: dropping an application loses the connector's state and configuration.
 * SERIALIZATION RULE: see snowflake/facade.ts.
 */
import type { SnowflakeConnection } from "../../snowflake/driver";
import { changedKeys, isErrorKind, isUnknown, withFacade, type FloeProvider, type OpenRunner } from "./common";

export interface ApplicationInputs {
  readonly connection: SnowflakeConnection;
  readonly name: string;
  readonly packageName: string;
  readonly version: string;
  readonly patch: number;
  /** Lets a change that needs a new application drop and re-create it. Default false. */
  readonly allowReplace: boolean;
  /**
   * The procedures the bundle defines, by signature (`PUBLIC.NAME(VARIANT)`, types as SHOW
   * PROCEDURES reports them), with their content hashes. After a refresh, the recorded value
   * is what the application actually has: a procedure replaced out of band shows as
   * {@link REPLACED} (or another hash), a dropped one as {@link MISSING}.
   */
  readonly procedures?: Readonly<Record<string, string>>;
}

/** A live procedure whose COMMENT carries no floe content hash: it was replaced since setup.sql made it. */
export const REPLACED = "replaced out of band";
/** A procedure of the bundle that the application does not have. */
export const MISSING = "missing";

export type ApplicationOutputs = ApplicationInputs;

/** The properties whose change cannot be applied to an existing application. */
const IDENTITY: readonly (keyof ApplicationInputs)[] = ["name", "packageName"];

/** The message of a refused replacement: what would happen, why, and how to go ahead anyway. */
export function refusedReplacement(olds: ApplicationOutputs, news: ApplicationInputs, keys: readonly string[]): string {
  const shown = (value: unknown) => (isUnknown(value) ? "(known after the update)" : String(value));
  const changes = keys.map((key) => `${key} ${shown((olds as unknown as Record<string, unknown>)[key])} -> ${shown((news as unknown as Record<string, unknown>)[key])}`).join(", ");
  return (
    `Refusing to replace application ${olds.name}: the change of ${changes} cannot be made to an existing application, ` +
    `so Pulumi would drop it and create it again, and everything the connector keeps inside it (its state, configuration ` +
    `and ingested data) would be lost. Revert the change, or, if losing that is what you want, set allowReplace: true on ` +
    `the ConnectorApp (floe:allowReplace in the example program), run pulumi up, and set it back afterwards.`
  );
}

/**
 * create: CREATE APPLICATION ... FROM APPLICATION PACKAGE ... USING VERSION v PATCH n.
 * A new version or patch: ALTER APPLICATION ... UPGRADE USING VERSION v PATCH n; so is a
 * refresh that found procedures differing from the bundle's (see update).
 * A new name or package: refused in diff unless allowReplace (then delete-before-replace).
 */
export function applicationProvider(open: OpenRunner): FloeProvider<ApplicationInputs, ApplicationOutputs> {
  return {
    async create(inputs) {
      await withFacade(open, inputs.connection, (f) => f.createApplication(inputs.name, inputs.packageName, inputs.version, inputs.patch));
      return { id: inputs.name, outs: { ...inputs } };
    },
    async diff(_id, olds, news) {
      const identity = changedKeys(olds, news, IDENTITY);
      if (identity.length > 0 && news.allowReplace !== true) throw new Error(refusedReplacement(olds, news, identity));
      const changes = changedKeys(olds, news, ["name", "packageName", "version", "patch", "allowReplace", "connection", "procedures"]);
      return { changes: changes.length > 0, replaces: identity, deleteBeforeReplace: identity.length > 0 };
    },
    async update(_id, olds, news) {
      // A new version or patch is an upgrade. The same one with procedures that differ from the
      // bundle's (drift found by a refresh) is an upgrade to what the application already runs:
      // it runs setup.sql again, which re-creates every procedure of the bundle.
      const upgrade = olds.version !== news.version || olds.patch !== news.patch || changedKeys(olds, news, ["procedures"]).length > 0;
      if (upgrade) await withFacade(open, news.connection, (f) => f.upgradeApplication(news.name, news.version, news.patch));
      return { outs: { ...news } };
    },
    async delete(_id, props) {
      await withFacade(open, props.connection, (f) => f.dropApplication(props.name));
    },
    async read(id, props) {
      if (props === undefined) return { id };
      const found = await withFacade(open, props.connection, async (f) => {
        const application = await f.findApplication(props.name);
        if (application === undefined) return undefined;
        if (props.procedures === undefined) return { application, procedures: undefined };
        const live = await f.applicationProcedures(props.name);
        const procedures: Record<string, string> = {};
        for (const signature of Object.keys(props.procedures)) {
          const hash = live.get(signature);
          procedures[signature] = hash === undefined ? MISSING : hash === null ? REPLACED : hash;
        }
        return { application, procedures };
      }).catch((e: unknown) => {
        if (isErrorKind(e, "not_found")) return undefined;
        throw e;
      });
      if (found === undefined) return {};
      const { application, procedures } = found;
      return { id, props: { ...props, version: application.version ?? props.version, patch: application.patch ?? props.patch, ...(procedures === undefined ? {} : { procedures }) } };
    },
  };
}
