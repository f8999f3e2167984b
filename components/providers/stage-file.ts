/**
 * Dynamic provider of one staged bundle file: one resource per file, so that a preview names
 * exactly the files that change.
 * SERIALIZATION RULE: see snowflake/facade.ts.
 */
import type { SnowflakeConnection } from "../../snowflake/driver";
import { changedKeys, isErrorKind, withFacade, type FloeProvider, type OpenRunner } from "./common";

export interface StageFileInputs {
  readonly connection: SnowflakeConnection;
  /** The version directory, `@PKG.FLOE.BUNDLE/app`. */
  readonly location: string;
  /** Bundle-relative path, `lifecycle/resume.sql`. */
  readonly path: string;
  readonly content: string;
  /** sha256 of the content (hex): what the diff compares. */
  readonly hash: string;
}

/** The content itself is not kept in the outputs: the hash identifies it. */
export interface StageFileOutputs {
  readonly connection: SnowflakeConnection;
  readonly location: string;
  readonly path: string;
  readonly hash: string;
  /** Bytes, UTF-8. */
  readonly size: number;
}

function outputs(inputs: StageFileInputs): StageFileOutputs {
  return { connection: inputs.connection, location: inputs.location, path: inputs.path, hash: inputs.hash, size: Buffer.byteLength(inputs.content, "utf8") };
}

/**
 * create/update: PUT (AUTO_COMPRESS = FALSE, OVERWRITE = TRUE); delete: REMOVE. Another
 * location or path is another file (replace); other content is an update of this one.
 */
export function stageFileProvider(open: OpenRunner): FloeProvider<StageFileInputs, StageFileOutputs> {
  return {
    async create(inputs) {
      await withFacade(open, inputs.connection, (f) => f.putFile(inputs.location, inputs.path, inputs.content));
      return { id: `${inputs.location}/${inputs.path}`, outs: outputs(inputs) };
    },
    async diff(_id, olds, news) {
      const replaces = changedKeys(olds, news, ["location", "path"]);
      const changes = changedKeys(olds, news, ["location", "path", "hash", "connection"]);
      return { changes: changes.length > 0, replaces, deleteBeforeReplace: false };
    },
    async update(_id, olds, news) {
      if (olds.hash !== news.hash) await withFacade(open, news.connection, (f) => f.putFile(news.location, news.path, news.content));
      return { outs: outputs(news) };
    },
    async delete(_id, props) {
      try {
        await withFacade(open, props.connection, (f) => f.removeFile(props.location, props.path));
      } catch (e) {
        // The package (and its stage) is already gone: so is the file.
        if (!isErrorKind(e, "not_found")) throw e;
      }
    },
    async read(id, props) {
      if (props === undefined) return { id };
      const staged = await withFacade(open, props.connection, (f) => f.listFiles(props.location));
      return staged.includes(props.path) ? { id, props } : {};
    },
  };
}
