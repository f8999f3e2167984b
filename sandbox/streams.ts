/**
 * Streams in the sandbox (https://docs.snowflake.com/en/sql-reference/sql/create-stream): the
 * objects the SDK's Task Reactor creates on its queues and recreates on every resume. A stream
 * here is a catalog object — its source table or view, when it was created, what it was cloned
 * from — listed by SHOW STREAMS. It records no changes: selecting from a stream, or
 * SYSTEM$STREAM_HAS_DATA, is refused as unsupported (the statement never reaches this module).
 */
import { quoteName } from "../lifecycle/sql-text";
import type { CatalogStatement } from "../sql/statements";
import type { SchemaEntry, StreamEntry } from "./catalog";
import { alreadyExists } from "./catalog";
import { objectNotFound, type QueryResult } from "./types";

export type CreateStream = Extract<CatalogStatement, { kind: "create_stream" }>;

/** Where a name resolved to: the schema entry and the object name in it. */
export interface ResolvedObject {
  readonly database: string;
  readonly schema: SchemaEntry;
  readonly object: string;
}

export interface StreamHost {
  /** Resolves a stream's or a source's name against the statement's context. */
  resolve(name: readonly string[], what: string): ResolvedObject;
  /** Refuses the change when the caller may not create objects in that schema. */
  checkChange(database: string, schema: string): void;
  /** True when a table (or view) of that name exists. */
  relationExists(database: string, schema: string, name: string, kind: "TABLE" | "VIEW"): boolean;
}

const status = (text: string): QueryResult => ({ columns: [{ name: "status", type: "TEXT", nullable: false }], rows: [[text]] });

function streamsOf(schema: SchemaEntry): Map<string, StreamEntry> {
  schema.streams ??= new Map();
  return schema.streams;
}

/** CREATE [OR REPLACE] STREAM [IF NOT EXISTS] name ON TABLE | VIEW source, or ... CLONE stream. */
export function createStream(host: StreamHost, s: CreateStream): QueryResult {
  const target = host.resolve(s.name, "CREATE STREAM");
  host.checkChange(target.database, target.schema.name);
  const streams = streamsOf(target.schema);
  const existing = streams.get(target.object);
  const qualified = quoteName([target.database, target.schema.name, target.object]);
  if (existing !== undefined) {
    if (s.ifNotExists) return status(`${target.object} already exists, statement succeeded.`);
    if (!s.orReplace) throw alreadyExists("Stream", qualified);
  }
  let entry: StreamEntry;
  if (s.source.kind === "CLONE") {
    // Resolved before the replacement: CREATE OR REPLACE STREAM s CLONE s clones the old s.
    const from = host.resolve(s.source.name, "CREATE STREAM");
    const source = streamsOf(from.schema).get(from.object);
    const sourceName = quoteName([from.database, from.schema.name, from.object]);
    if (source === undefined) throw objectNotFound("Stream", sourceName);
    entry = { name: target.object, source: source.source, createdOn: new Date(), clonedFrom: sourceName };
  } else {
    const on = host.resolve(s.source.name, "CREATE STREAM");
    if (!host.relationExists(on.database, on.schema.name, on.object, s.source.kind)) {
      throw objectNotFound(s.source.kind === "TABLE" ? "Table" : "View", quoteName([on.database, on.schema.name, on.object]));
    }
    entry = { name: target.object, source: { kind: s.source.kind, name: quoteName([on.database, on.schema.name, on.object]) }, createdOn: new Date() };
  }
  streams.set(target.object, entry);
  return status(`Stream ${target.object} successfully created.`);
}

/** The rows of SHOW STREAMS over the given schemas. */
export function showStreams(schemas: readonly { readonly database: string; readonly schema: SchemaEntry }[], matches: (name: string) => boolean): QueryResult {
  const rows: unknown[][] = [];
  for (const { database, schema } of schemas) {
    for (const stream of schema.streams?.values() ?? []) {
      if (!matches(stream.name)) continue;
      rows.push([stream.createdOn, stream.name, database, schema.name, stream.source.name, stream.source.kind === "TABLE" ? "Table" : "View", "DEFAULT", "false"]);
    }
  }
  const names = ["created_on", "name", "database_name", "schema_name", "table_name", "source_type", "mode", "stale"] as const;
  return {
    columns: names.map((name) => ({ name, type: name === "created_on" ? "TIMESTAMP_NTZ" : "TEXT", nullable: true })),
    rows,
  };
}
