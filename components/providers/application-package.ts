/**
 * Dynamic provider of an application package, with the schema and stage that hold its bundle.
 * SERIALIZATION RULE: see snowflake/facade.ts.
 */
import type { SnowflakeConnection } from "../../snowflake/driver";
import { changedKeys, isErrorKind, withFacade, type FloeProvider, type OpenRunner } from "./common";

export interface ApplicationPackageInputs {
  readonly connection: SnowflakeConnection;
  readonly name: string;
  readonly comment: string;
  readonly distribution: "INTERNAL" | "EXTERNAL";
}

export interface ApplicationPackageOutputs extends ApplicationPackageInputs {
  /** `@PKG.FLOE.BUNDLE/app`: where the bundle is staged, as ADD VERSION ... USING takes it. */
  readonly location: string;
}

/**
 * create: CREATE APPLICATION PACKAGE, CREATE SCHEMA <pkg>.FLOE, CREATE STAGE <pkg>.FLOE.BUNDLE.
 * A new name replaces the package (the application refuses to follow unless allowed);
 * comment and distribution are altered in place.
 */
export function applicationPackageProvider(open: OpenRunner): FloeProvider<ApplicationPackageInputs, ApplicationPackageOutputs> {
  return {
    async create(inputs) {
      const location = await withFacade(open, inputs.connection, (f) => f.createApplicationPackage(inputs.name, inputs.comment, inputs.distribution));
      const outs: ApplicationPackageOutputs = { connection: inputs.connection, name: inputs.name, comment: inputs.comment, distribution: inputs.distribution, location };
      return { id: inputs.name, outs };
    },
    async diff(_id, olds, news) {
      const replaces = changedKeys(olds, news, ["name"]);
      const changes = changedKeys(olds, news, ["name", "comment", "distribution", "connection"]);
      return { changes: changes.length > 0, replaces, deleteBeforeReplace: false };
    },
    async update(_id, olds, news) {
      await withFacade(open, news.connection, async (f) => {
        if (olds.comment !== news.comment) await f.setApplicationPackageComment(news.name, news.comment);
        if (olds.distribution !== news.distribution) await f.setApplicationPackageDistribution(news.name, news.distribution);
      });
      return { outs: { connection: news.connection, name: news.name, comment: news.comment, distribution: news.distribution, location: olds.location } };
    },
    async delete(_id, props) {
      await withFacade(open, props.connection, (f) => f.dropApplicationPackage(props.name));
    },
    async read(id, props) {
      if (props === undefined) return { id };
      const exists = await withFacade(open, props.connection, (f) => f.applicationPackageExists(props.name)).catch((e: unknown) => {
        if (isErrorKind(e, "not_found")) return false;
        throw e;
      });
      return exists ? { id, props } : {};
    },
  };
}
