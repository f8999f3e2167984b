/**
 * Stages and their files: PUT (answered with an upload the protocol server carries out), LIST,
 * REMOVE, and the snapshot of a stage location that a version or patch keeps.
 */
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import { quoteName } from "../../lifecycle/sql-text";
import { parseStageLocation, stagePathSegments } from "../paths";
import type { UploadRequest } from "../protocol/backend";
import type { Context } from "../session";
import { objectNotFound, SnowflakeError, UnsupportedError, type QueryResult } from "../types";
import { columns, onlyOptions, schemaOf, type Env } from "./scope";

/** Regular files below a stage directory; symbolic links are not followed (nothing the sandbox writes is one). */
function listFiles(directory: string, prefix = ""): string[] {
  if (!fs.existsSync(directory)) return [];
  const out: string[] = [];
  for (const entry of fs.readdirSync(directory, { withFileTypes: true })) {
    const relative = prefix === "" ? entry.name : `${prefix}/${entry.name}`;
    if (entry.isDirectory()) out.push(...listFiles(path.join(directory, entry.name), relative));
    else if (entry.isFile()) out.push(relative);
  }
  return out.sort();
}

export function stageLocation(env: Env, ctx: Context, location: string): { directory: string; prefix: string; stageId: string } {
  const parsed = parseStageLocation(location);
  const { db, schema, object } = schemaOf(env, ctx, parsed.name, "a stage operation");
  env.access.checkSchemaChange(ctx, db, schema.name);
  const stage = schema.stages.get(object);
  if (stage === undefined) throw objectNotFound("Stage", quoteName([db.name, schema.name, object]));
  const prefix = stagePathSegments(parsed.path).join("/");
  return { directory: stage.directory, prefix, stageId: stage.name.toLowerCase() };
}

export function put(env: Env, ctx: Context, localPath: string, stage: string, options: Readonly<Record<string, string>>): UploadRequest {
  if (ctx.depth > 0) throw new UnsupportedError("PUT inside a procedure");
  const { directory, prefix } = stageLocation(env, ctx, stage);
  const target = env.folder.below(directory, stagePathSegments(prefix));
  fs.mkdirSync(target, { recursive: true });
  onlyOptions(options, ["AUTO_COMPRESS", "OVERWRITE", "SOURCE_COMPRESSION", "PARALLEL"], "PUT");
  return {
    kind: "upload",
    directory: target,
    source: localPath,
    autoCompress: (options.AUTO_COMPRESS ?? "TRUE") === "TRUE",
    overwrite: (options.OVERWRITE ?? "FALSE") === "TRUE",
    ...(options.SOURCE_COMPRESSION === undefined ? {} : { sourceCompression: options.SOURCE_COMPRESSION.toLowerCase() }),
  };
}

export function stageFiles(env: Env, ctx: Context, location: string): { files: string[]; directory: string; stageId: string; prefix: string } {
  const { directory, prefix, stageId } = stageLocation(env, ctx, location);
  const files = listFiles(directory).filter((f) => prefix === "" || f === prefix || f.startsWith(prefix + "/"));
  return { files, directory, stageId, prefix };
}

export function list(env: Env, ctx: Context, location: string): QueryResult {
  const { files, directory, stageId } = stageFiles(env, ctx, location);
  return {
    columns: columns([["name", "TEXT"], ["size", "FIXED"], ["md5", "TEXT"], ["last_modified", "TEXT"]]),
    rows: files.map((f) => {
      const content = fs.readFileSync(path.join(directory, f));
      const stat = fs.statSync(path.join(directory, f));
      return [`${stageId}/${f}`, content.length, createHash("md5").update(content).digest("hex"), stat.mtime.toUTCString()];
    }),
  };
}

export function remove(env: Env, ctx: Context, location: string): QueryResult {
  const { files, directory, stageId } = stageFiles(env, ctx, location);
  for (const f of files) env.folder.remove(env.folder.below(directory, stagePathSegments(f)));
  return { columns: columns([["name", "TEXT"], ["result", "TEXT"]]), rows: files.map((f) => [`${stageId}/${f}`, "removed"]) };
}

/** The files under a stage location, read now: a version keeps them even if the stage changes. */
export function snapshotFiles(env: Env, ctx: Context, location: string, packageName: string): Map<string, string> {
  // Names in USING resolve against the package, with the rights of the statement's session.
  const inPackage: Context = { ...ctx, database: packageName, schema: undefined };
  const { files, directory, prefix } = stageFiles(env, inPackage, location);
  const snapshot = new Map<string, string>();
  for (const f of files) snapshot.set(prefix === "" ? f : f.slice(prefix.length + 1), fs.readFileSync(path.join(directory, f), "utf8"));
  for (const required of ["manifest.yml", "setup.sql"]) {
    if (!snapshot.has(required)) {
      throw new SnowflakeError("093082", "P0000", `Failed to register the version: ${required} was not found in ${location}.`);
    }
  }
  return snapshot;
}
