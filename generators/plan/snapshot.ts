/**
 * The desired state of a connector change, as plain data: what `floe plan --save DIR` writes and
 * what a plan compares. It holds everything a diff needs (procedure bodies, grants, privileges,
 * file texts, Pulumi resources) and nothing that varies between machines or runs (no absolute
 * paths, no timestamps), so a snapshot of the same commit is byte-identical everywhere.
 *
 * Grants and procedure definitions are read back out of the rendered bundle, following
 * setup.sql through its `EXECUTE IMMEDIATE FROM` in install order, rather than taken from the
 * model: that is what an installed app ends up with, including grants a user's override file
 * adds and definitions a later file replaces.
 */
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import { FloeError } from "../../errors";
import type { AppModel, ProcedureModel } from "../model";
import type { Bundle } from "../render";
import { splitStatements, type StatementText } from "../../sql/lexer";
import { readStatement, type CatalogStatement } from "../../sql/statements";
import { writeOutputFolder } from "../output-dir";
import { canonicalJson, compareText, type JsonValue } from "./json";
import type { ProgramSnapshot } from "./program";
import { quoteName } from "../../lifecycle/sql-text";

export const SNAPSHOT_SCHEMA_VERSION = 1;
export const SNAPSHOT_FILE = "snapshot.json";

/**
 * A procedure as the installed app ends up with it: the model's fields (read back from the
 * bundle, not taken from the model), named with its schema.
 */
export interface SnapshotProcedure extends Pick<ProcedureModel, "signature" | "args" | "returns" | "language" | "executeAs" | "body" | "hash" | "file" | "origin"> {
  /** `PUBLIC.RESUME_CONNECTOR_VALIDATE`: the identity a plan matches procedures by. */
  readonly name: string;
  /** Every bundle file that defines it, in install order (the last one wins). */
  readonly definedIn: readonly string[];
}

export interface SnapshotGrant {
  readonly privilege: string;
  /** `SCHEMA PUBLIC`, `PROCEDURE PUBLIC.X(VARIANT)`, `ACCOUNT`. */
  readonly on: string;
  /** `APPLICATION ROLE ADMIN`. */
  readonly to: string;
  /** First bundle file that grants it. */
  readonly file: string;
}

export interface SnapshotFile {
  readonly path: string;
  /** sha256 of the full content (first 16 hex digits). */
  readonly sha256: string;
  /**
   * SQL files: the content with each CREATE PROCEDURE statement collapsed to one comment line,
   * so a file diff shows the statements around the procedures (tables, grants, roles) and the
   * procedure section shows the bodies, each change once. Absent for other files.
   */
  readonly text?: string;
}

export interface Snapshot {
  readonly schemaVersion: typeof SNAPSHOT_SCHEMA_VERSION;
  readonly connector: Pick<AppModel, "name" | "version" | "description" | "manifestVersion"> & {
    /** Plain names: a snapshot read back from disk may come from another floe's feature list. */
    readonly features: readonly string[];
  };
  /** Application roles the setup script creates. */
  readonly roles: readonly string[];
  /** Procedures in effect, sorted by name. */
  readonly procedures: readonly SnapshotProcedure[];
  /** Hooks the hooks files define, including any an override replaces. */
  readonly hooks: readonly { readonly procedure: string; readonly file: string; readonly line: number }[];
  readonly overrides: readonly { readonly procedure: string; readonly source: string; readonly path: string }[];
  /** Grants the setup script leaves in place, sorted. */
  readonly grants: readonly SnapshotGrant[];
  /** Privileges the manifest requests, sorted by name. */
  readonly privileges: readonly { readonly name: string; readonly description: string }[];
  readonly files: readonly SnapshotFile[];
  /** The model's own warnings (render-time), for reference. */
  readonly warnings: readonly string[];
  /** Resources of the Pulumi program; null when the program was not evaluated (`--no-program`). */
  readonly program: ProgramSnapshot | null;
}

export function shortHash(text: string): string {
  return createHash("sha256").update(text).digest("hex").slice(0, 16);
}

interface Walked {
  readonly definitions: Map<string, { file: string; statement: Extract<CatalogStatement, { kind: "create_procedure" }> }[]>;
  readonly grants: Map<string, SnapshotGrant>;
}

function grantObjectText(on: Extract<CatalogStatement, { kind: "grant" | "revoke" }>["on"]): string {
  if (on.kind === "ACCOUNT") return "ACCOUNT";
  const named = on as { kind: string; name: readonly string[]; signature?: readonly string[] };
  const signature = named.signature === undefined ? "" : `(${named.signature.join(", ")})`;
  return `${named.kind} ${quoteName(named.name)}${signature}`;
}

function grantKey(g: { privilege: string; on: string; to: string }): string {
  return `${g.to}\0${g.on}\0${g.privilege}`;
}

/** Reads the statements of a file, or says which file could not be read (the parser gate passed, so this is unexpected). */
function statementsOf(file: string, content: string): { part: StatementText; statement: CatalogStatement | null }[] {
  try {
    return splitStatements(content).map((part) => ({ part, statement: readStatement(part.text, part.tokens) }));
  } catch (e) {
    throw new FloeError(`internal error: plan could not read ${file} of the rendered bundle: ${(e as Error).message}`);
  }
}

/**
 * Follows setup.sql through `EXECUTE IMMEDIATE FROM` in order, as Snowflake installs the app:
 * records where each procedure is defined and which grants stand at the end (a REVOKE undoes an
 * earlier GRANT).
 */
function walkBundle(bundle: Bundle): Walked {
  const definitions: Walked["definitions"] = new Map();
  const grants = new Map<string, SnapshotGrant>();
  const visiting = new Set<string>();
  const run = (file: string) => {
    const content = bundle.get(file);
    // A missing file or a cycle would fail at install; the parser gate and the model rule both out.
    if (content === undefined || visiting.has(file)) return;
    visiting.add(file);
    for (const { statement } of statementsOf(file, content)) {
      if (statement === null) continue;
      if (statement.kind === "execute_immediate_from") run(statement.path);
      else if (statement.kind === "create_procedure") {
        const name = quoteName(statement.name);
        const list = definitions.get(name) ?? [];
        list.push({ file, statement });
        definitions.set(name, list);
      } else if (statement.kind === "grant" || statement.kind === "revoke") {
        const on = grantObjectText(statement.on);
        const to = `${statement.to.kind} ${quoteName(statement.to.name)}`;
        for (const privilege of statement.privileges) {
          const grant = { privilege, on, to, file };
          if (statement.kind === "grant") {
            if (!grants.has(grantKey(grant))) grants.set(grantKey(grant), grant);
          } else grants.delete(grantKey(grant));
        }
      }
    }
    visiting.delete(file);
  };
  run("setup.sql");
  return { definitions, grants };
}

/** The SQL text with every CREATE PROCEDURE statement replaced by a one-line pointer to it. */
function collapseProcedures(file: string, content: string): string {
  let out = "";
  let cursor = 0;
  for (const { part, statement } of statementsOf(file, content)) {
    if (statement?.kind !== "create_procedure") continue;
    let end = part.start + part.text.length;
    if (content[end] === ";") end++;
    const args = statement.args.map((a) => a.type).join(", ");
    out += content.slice(cursor, part.start) + `-- CREATE PROCEDURE ${quoteName(statement.name)}(${args}): body in the procedures section`;
    cursor = end;
  }
  return out + content.slice(cursor);
}

/**
 * A program that deploys the bundle (stage files, a version's file hashes) carries each file's
 * content among its inputs. Those contents are already planned, procedure by procedure and file
 * by file, so in the program's record each one becomes a short reference, and a changed file
 * shows among the resources as a changed hash rather than as the same diff a second time.
 */
export function bundleFileReference(file: string, content: string): string {
  return `[bundle file ${file}, sha256:${shortHash(content)}]`;
}

function linkBundleFiles(program: ProgramSnapshot, bundle: Bundle): ProgramSnapshot {
  const byContent = new Map<string, string>();
  for (const [file, content] of bundle) if (content.length > 0) byContent.set(content, file);
  const link = (value: JsonValue): JsonValue => {
    if (typeof value === "string") {
      const file = byContent.get(value);
      return file === undefined ? value : bundleFileReference(file, value);
    }
    if (Array.isArray(value)) return value.map(link);
    if (value !== null && typeof value === "object") {
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, link(v)]));
    }
    return value;
  };
  return { ...program, resources: program.resources.map((r) => ({ ...r, inputs: link(r.inputs) })) };
}

export function compareGrants(a: SnapshotGrant | { privilege: string; on: string; to: string }, b: typeof a): number {
  return compareText(a.to, b.to) || compareText(a.on, b.on) || compareText(a.privilege, b.privilege);
}

/**
 * Builds the snapshot of a rendered app. `program` is the recorded Pulumi program (see
 * program.ts), or null when the program was not evaluated.
 */
export function buildSnapshot(rendered: { readonly model: AppModel; readonly bundle: Bundle }, program: ProgramSnapshot | null): Snapshot {
  const { model, bundle } = rendered;
  const walked = walkBundle(bundle);
  const procedures: SnapshotProcedure[] = model.procedures.map((p) => {
    const name = `${p.schema}.${p.name}`;
    const definedIn = (walked.definitions.get(name) ?? []).map((d) => d.file);
    return {
      name,
      signature: p.signature,
      args: p.args.map((a) => ({ name: a.name, type: a.type })),
      returns: p.returns,
      language: p.language,
      executeAs: p.executeAs,
      body: p.body,
      hash: p.hash,
      file: p.file,
      definedIn: definedIn.length > 0 ? definedIn : [p.file],
      origin: p.origin,
    };
  });
  const hooks = model.hooks.flatMap((h) => (h.origin.kind === "hook" ? [{ procedure: `${h.schema}.${h.name}`, file: h.origin.file, line: h.origin.line }] : []));
  const files: SnapshotFile[] = [...bundle.entries()].map(([file, content]) => ({
    path: file,
    sha256: shortHash(content),
    ...(file.endsWith(".sql") ? { text: collapseProcedures(file, content) } : {}),
  }));
  return {
    schemaVersion: SNAPSHOT_SCHEMA_VERSION,
    connector: {
      name: model.name,
      version: model.version,
      description: model.description,
      manifestVersion: model.manifestVersion,
      features: [...model.features],
    },
    roles: [...model.roles],
    procedures: procedures.sort((a, b) => compareText(a.name, b.name)),
    hooks: hooks.sort((a, b) => compareText(a.procedure, b.procedure)),
    overrides: model.overrides.map((o) => ({ procedure: o.procedure, source: o.source, path: o.path })).sort((a, b) => compareText(a.procedure, b.procedure)),
    grants: [...walked.grants.values()].sort(compareGrants),
    privileges: model.privileges.map((p) => ({ name: p.name, description: p.description })).sort((a, b) => compareText(a.name, b.name)),
    files: files.sort((a, b) => compareText(a.path, b.path)),
    warnings: [...model.warnings],
    program: program === null ? null : linkBundleFiles(program, bundle),
  };
}

/** The snapshot's file content: canonical JSON, byte-identical for identical states. */
export function serializeSnapshot(snapshot: Snapshot): string {
  return canonicalJson(snapshot);
}

/**
 * Writes `DIR/snapshot.json` into a folder floe owns (new, empty, or marked `.floe-snapshot`
 * by an earlier --save; see output-dir.ts). Staged and renamed into place, so a failure never
 * leaves a half-written snapshot behind, nor touches the previous one.
 */
export function writeSnapshot(snapshot: Snapshot, dir: string, argument = "--save"): string {
  const { target } = writeOutputFolder(dir, new Map([[SNAPSHOT_FILE, serializeSnapshot(snapshot)]]), { kind: "snapshot", argument });
  return path.join(target, SNAPSHOT_FILE);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

/** Reads and checks `DIR/snapshot.json`; every problem names the argument it came from. */
export function readSnapshot(dir: string, argument = "--base"): Snapshot {
  const file = path.join(path.resolve(dir), SNAPSHOT_FILE);
  if (!fs.existsSync(file)) throw new FloeError(`${argument}: ${dir} holds no ${SNAPSHOT_FILE}; write one with floe plan --save ${dir}.`);
  let data: unknown;
  try {
    data = JSON.parse(fs.readFileSync(file, "utf8"));
  } catch (e) {
    throw new FloeError(`${argument}: ${path.join(dir, SNAPSHOT_FILE)} is not valid JSON: ${(e as Error).message}`);
  }
  return checkSnapshot(data, path.join(dir, SNAPSHOT_FILE), argument);
}

/** Checks that `data` (read from `where`) is a snapshot this floe reads; every problem names the argument. */
export function checkSnapshot(data: unknown, where: string, argument = "--base"): Snapshot {
  if (!isObject(data)) throw new FloeError(`${argument}: ${where} is not a floe snapshot.`);
  if (data.schemaVersion !== SNAPSHOT_SCHEMA_VERSION) {
    throw new FloeError(
      `${argument}: ${where} has schemaVersion ${JSON.stringify(data.schemaVersion as JsonValue)}; this floe reads schemaVersion ${SNAPSHOT_SCHEMA_VERSION}. Save the base again with this floe.`,
    );
  }
  for (const key of ["procedures", "hooks", "overrides", "grants", "privileges", "files", "roles", "warnings"]) {
    if (!Array.isArray(data[key])) throw new FloeError(`${argument}: ${where} lacks the list '${key}'.`);
  }
  if (!isObject(data.connector) || typeof data.connector.name !== "string") {
    throw new FloeError(`${argument}: ${where} lacks 'connector.name'.`);
  }
  if (data.program !== null && !(isObject(data.program) && Array.isArray(data.program.resources))) {
    throw new FloeError(`${argument}: ${where} has a malformed 'program' (null or { file, resources: [...] }).`);
  }
  return data as unknown as Snapshot;
}
