/**
 * Dynamic provider of the version and patch that the staged bundle becomes.
 * SERIALIZATION RULE: see snowflake/facade.ts.
 */
import type { SnowflakeFacade } from "../../snowflake/facade";
import type { SnowflakeConnection } from "../../snowflake/driver";
import { changedKeys, withFacade, type FloeProvider, type OpenRunner } from "./common";

export interface PackageVersionInputs {
  readonly connection: SnowflakeConnection;
  readonly packageName: string;
  /** The version directory, `@PKG.FLOE.BUNDLE/app`. */
  readonly location: string;
  /** Version identifier, from the manifest (`V1`). */
  readonly version: string;
  /** The bundle: path → sha256 of the content. Files staged but not listed here are removed first. */
  readonly files: Readonly<Record<string, string>>;
  /** sha256 over the sorted paths and hashes: a new value means a new patch. */
  readonly bundleHash: string;
}

export interface PackageVersionOutputs extends PackageVersionInputs {
  /** The patch of `version` that holds this bundle. */
  readonly patch: number;
}

/**
 * Removes staged files that are not in the bundle, then adds the bundle as a patch of the
 * version (or as the version, the first time). Pulumi deletes the resources of removed files
 * only after every create and update, so without this the patch would still contain them.
 */
async function release(f: SnowflakeFacade, inputs: PackageVersionInputs): Promise<number> {
  for (const staged of await f.listFiles(inputs.location)) {
    if (!Object.prototype.hasOwnProperty.call(inputs.files, staged)) await f.removeFile(inputs.location, staged);
  }
  const { patch } = await f.addVersionOrPatch(inputs.packageName, inputs.version, inputs.location);
  return patch;
}

function outputs(inputs: PackageVersionInputs, patch: number): PackageVersionOutputs {
  return { connection: inputs.connection, packageName: inputs.packageName, location: inputs.location, version: inputs.version, files: inputs.files, bundleHash: inputs.bundleHash, patch };
}

/**
 * A changed bundle (or a new version name) is released as a new patch (or version): never an
 * edit of an existing one. Another package means another resource (replace). Delete runs no
 * SQL: a version lives as long as its package, and dropping one is for `ALTER APPLICATION
 * PACKAGE ... DROP VERSION` once no application uses it.
 */
export function packageVersionProvider(open: OpenRunner): FloeProvider<PackageVersionInputs, PackageVersionOutputs> {
  return {
    async create(inputs) {
      const patch = await withFacade(open, inputs.connection, (f) => release(f, inputs));
      return { id: `${inputs.packageName}/${inputs.version}`, outs: outputs(inputs, patch) };
    },
    async diff(_id, olds, news) {
      const replaces = changedKeys(olds, news, ["packageName"]);
      const changes = changedKeys(olds, news, ["packageName", "location", "version", "files", "bundleHash", "connection"]);
      return { changes: changes.length > 0, replaces, deleteBeforeReplace: false };
    },
    async update(_id, olds, news) {
      const bundleChanged = changedKeys(olds, news, ["location", "version", "bundleHash"]).length > 0;
      // Only the connection changed (credentials rotated): record it, release nothing.
      const patch = bundleChanged ? await withFacade(open, news.connection, (f) => release(f, news)) : olds.patch;
      return { outs: outputs(news, patch) };
    },
    async delete() {
      // Nothing to run: see above.
    },
    async read(id, props) {
      if (props === undefined) return { id };
      const versions = await withFacade(open, props.connection, (f) => f.versions(props.packageName));
      return versions.some((v) => v.version === props.version && v.patch === props.patch) ? { id, props } : {};
    },
  };
}
