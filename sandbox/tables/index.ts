/**
 * The sandbox's table store: tables, views and DML of a rendered Native App, executed by an
 * embedded DuckDB behind a synchronous bridge, speaking Snowflake SQL (translated by
 * `translate/`) and answering in Snowflake's result shapes and error codes.
 *
 * The interface, beyond executing statements:
 * - `TableStore.start(options?)` accepts `{ statementTimeoutMs, startTimeoutMs }`.
 * - `listRelations` columns carry `nullable` and, where declared, `precision`/`scale`/`length`;
 *   relations carry `comment` when one was given.
 * - `StatementCallbacks.systemFunction` also receives the catalog-backed non-SYSTEM$ functions
 *   (CURRENT_ROLE(), CURRENT_USER(), IS_ROLE_IN_SESSION(...), ... — see CATALOG_FUNCTIONS in
 *   translate/functions.ts), evaluated once per statement with literal/bind arguments.
 * - `createSchema` is idempotent; `createSchema`/`dropSchema`/`dropDatabase` and every DDL
 *   statement first commit an open transaction, as Snowflake's DDL does.
 *   TRUNCATE is treated as DML (no implicit commit).
 * - `inTransaction` tells the executor whether BEGIN ... COMMIT is open.
 * - `handles()` answers false for SELECTs naming INFORMATION_SCHEMA, ACCOUNT_USAGE,
 *   RESULT_SCAN or the SNOWFLAKE database: those are the catalog's.
 * - `execute` also accepts Snowflake's numbered binds (`:1`, `:2`).
 *
 * Engine limits surfaced as errors rather than emulated: DuckDB discards a whole transaction when
 * one statement in it fails at run time (Snowflake keeps it), so the next statement or COMMIT of
 * such a transaction raises UnsupportedError after rolling back; relation names that differ
 * only in case in one schema are refused (DuckDB matches names case-insensitively).
 *
 * The catalog owns namespaces: it must call `createSchema` for every schema it creates
 * (PUBLIC included) before statements can create tables there.
 */
import { type BindValue, type QueryResult, type ResultColumn, type SnowflakeType, SnowflakeError, UnsupportedError, objectNotFound } from "../types";
import { type BridgeOptions, DuckDBError, type RawColumn, type RawResult, SyncDuckDB } from "./bridge";
import { fromDuckDB } from "./errors";
import {
  type CatalogView,
  type ColumnMeta,
  type JsonTypes,
  type QualifiedName,
  type RelationAccess,
  type RelationMeta,
  type Scope,
  type StatementCallbacks,
  type Translation,
  DUCKDB_MACROS,
  displayName,
  duckSchemaName,
  duckTableRef,
  initParser,
  parseStatement,
  quoteDuck,
  stripComments,
  translate,
} from "./translate";
export type { ColumnMeta, RelationAccess, RelationUse, Scope, StatementCallbacks } from "./translate";

export interface RelationInfo {
  readonly name: string;
  readonly kind: "TABLE" | "VIEW";
  readonly columns: readonly ColumnMeta[];
  readonly comment?: string;
}

export type TableStoreOptions = BridgeOptions;

interface StoredRelation extends RelationMeta {
  /** Views: how to type their JSON columns when their columns are read back. */
  readonly jsonTypes?: JsonTypes;
}

interface SchemaEntry {
  readonly database: string;
  readonly schema: string;
  readonly relations: Map<string, StoredRelation>;
}

const STATUS_OK = "Statement executed successfully.";

function status(text: string): QueryResult {
  return { columns: [{ name: "status", type: "TEXT", nullable: false }], rows: [[text]] };
}

function counts(entries: readonly [string, number][]): QueryResult {
  return {
    columns: entries.map(([name]) => ({ name, type: "FIXED", nullable: false, precision: 38, scale: 0 })),
    rows: [entries.map(([, n]) => n)],
    rowsAffected: entries.reduce((sum, [name, n]) => sum + (name.startsWith("number of multi-joined") ? 0 : n), 0),
  };
}

const INTEGER_TYPES = new Set([
  "TINYINT", "SMALLINT", "INTEGER", "BIGINT", "HUGEINT", "UTINYINT", "USMALLINT", "UINTEGER", "UBIGINT", "UHUGEINT",
]);

type Convert = (value: unknown) => unknown;

const asNumber: Convert = (v) => (v === null || v === undefined ? null : typeof v === "bigint" ? Number(v) : Number(v));
const same: Convert = (v) => (v === undefined ? null : v);
const parseJson: Convert = (v) => (v === null || v === undefined ? null : JSON.parse(String(v)));

/** DuckDB result column → Snowflake column description and value conversion. */
function mapColumn(raw: RawColumn, jsonTypes: JsonTypes): [ResultColumn, Convert] {
  const col = (type: SnowflakeType, extra: Partial<ResultColumn> = {}): ResultColumn => ({ name: raw.name, type, nullable: true, ...extra });
  if (raw.alias === "JSON") return [col(jsonTypes[raw.name] ?? "VARIANT"), parseJson];
  const type = raw.type;
  if (type === "VARCHAR" || type === "UUID" || type === '"NULL"' || type === "NULL") return [col("TEXT"), same];
  if (type === "BOOLEAN") return [col("BOOLEAN"), same];
  if (INTEGER_TYPES.has(type)) return [col("FIXED", { precision: 38, scale: 0 }), asNumber];
  if (type.startsWith("DECIMAL")) return [col("FIXED", { precision: raw.width ?? 38, scale: raw.scale ?? 0 }), asNumber];
  if (type === "FLOAT" || type === "DOUBLE") return [col("REAL"), asNumber];
  if (type === "DATE") return [col("DATE"), same];
  if (type.startsWith("TIMESTAMP")) return [col("TIMESTAMP_NTZ"), same];
  if (type === "BLOB") return [col("BINARY"), same];
  throw new UnsupportedError(`result column type ${type} (column ${raw.name})`);
}

function toResult(raw: RawResult, jsonTypes: JsonTypes): QueryResult {
  const mapped = raw.columns.map((c) => mapColumn(c, jsonTypes));
  const converters = mapped.map(([, convert]) => convert);
  return {
    columns: mapped.map(([column]) => column),
    rows: raw.rows.map((row) => row.map((value, i) => converters[i]!(value))),
  };
}

function checkBinds(binds: readonly BindValue[]): void {
  binds.forEach((value, i) => {
    if (value === undefined) {
      throw new SnowflakeError("002049", "42601", `Bind variable ${i + 1} is undefined; bind null for SQL NULL.`);
    }
    const ok =
      value === null ||
      typeof value === "string" ||
      typeof value === "number" ||
      typeof value === "boolean" ||
      (value instanceof Date && !Number.isNaN(value.getTime()));
    if (!ok) throw new UnsupportedError(`bind value ${i + 1} of type ${value instanceof Date ? "invalid Date" : typeof value}`);
  });
}

const CATALOG_QUERY = /\b(INFORMATION_SCHEMA|ACCOUNT_USAGE|RESULT_SCAN)\b|\bSNOWFLAKE\s*\./i;

export class TableStore {
  private readonly schemas = new Map<string, SchemaEntry>();
  private transactionOpen = false;
  private transactionAborted = false;
  private readonly catalogView: CatalogView = {
    hasSchema: (database, schema) => this.schemas.has(duckSchemaName(database, schema)),
    relation: (database, schema, name) => this.schemas.get(duckSchemaName(database, schema))?.relations.get(name),
  };

  private constructor(private readonly db: SyncDuckDB) {}

  static async start(options: TableStoreOptions = {}): Promise<TableStore> {
    const [db] = await Promise.all([SyncDuckDB.start(options), initParser()]);
    try {
      for (const sql of DUCKDB_MACROS) db.query(sql);
    } catch (error) {
      await db.close();
      throw error instanceof DuckDBError ? fromDuckDB(error.message) : error;
    }
    return new TableStore(db);
  }

  close(): Promise<void> {
    return this.db.close();
  }

  get inTransaction(): boolean {
    return this.transactionOpen;
  }

  // ----- namespaces (driven by the catalog) -------------------------------------------------

  createSchema(database: string, schema: string): void {
    const key = duckSchemaName(database, schema);
    if (this.schemas.has(key)) return;
    this.implicitCommit();
    this.run(() => this.db.query(`CREATE SCHEMA IF NOT EXISTS ${quoteDuck(key)}`));
    this.schemas.set(key, { database, schema, relations: new Map() });
  }

  dropSchema(database: string, schema: string): void {
    const key = duckSchemaName(database, schema);
    if (!this.schemas.has(key)) return;
    this.implicitCommit();
    this.run(() => this.db.query(`DROP SCHEMA IF EXISTS ${quoteDuck(key)} CASCADE`));
    this.schemas.delete(key);
  }

  dropDatabase(database: string): void {
    for (const entry of [...this.schemas.values()]) {
      if (entry.database === database) this.dropSchema(entry.database, entry.schema);
    }
  }

  /**
   * CREATE SEQUENCE (https://docs.snowflake.com/en/sql-reference/sql/create-sequence): a DuckDB
   * sequence in the schema, read by `<name>.NEXTVAL` (in a column DEFAULT, say). DuckDB hands
   * out values in order, which satisfies both ORDER and NOORDER.
   */
  createSequence(target: { database: string; schema: string; name: string }, options: { orReplace: boolean; ifNotExists: boolean; start?: number; increment?: number }): string {
    const key = duckSchemaName(target.database, target.schema);
    if (!this.schemas.has(key)) throw objectNotFound("Schema", `${target.database}.${target.schema}`);
    if (options.increment === 0) throw new SnowflakeError("002005", "42601", "SQL compilation error:\nSequence increment cannot be 0.");
    this.implicitCommit();
    const head = `CREATE ${options.orReplace ? "OR REPLACE " : ""}SEQUENCE ${options.ifNotExists ? "IF NOT EXISTS " : ""}${quoteDuck(key)}.${quoteDuck(target.name)}`;
    this.run(() => this.db.query(`${head} START WITH ${options.start ?? 1} INCREMENT BY ${options.increment ?? 1}`));
    return `Sequence ${target.name} successfully created.`;
  }

  hasSchema(database: string, schema: string): boolean {
    return this.schemas.has(duckSchemaName(database, schema));
  }

  listRelations(database: string, schema: string): RelationInfo[] {
    const entry = this.schemas.get(duckSchemaName(database, schema));
    if (!entry) return [];
    return [...entry.relations.values()]
      .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
      .map((r) => {
        let columns = r.columns;
        if (r.kind === "VIEW") {
          // A view's columns follow the tables it reads, which may have been replaced since.
          try {
            columns = this.describe(r, r.jsonTypes ?? {});
          } catch {
            // An invalid view (its table was dropped) keeps the columns it was created with.
          }
        }
        return { name: r.name, kind: r.kind, columns, ...(r.comment !== undefined ? { comment: r.comment } : {}) };
      });
  }

  // ----- statements -------------------------------------------------------------------------

  /** Cheap dispatch test on the statement's leading keywords; no parsing. */
  handles(sqlText: string): boolean {
    const text = stripComments(sqlText).replace(/^[\s(]+/, "");
    const head = text.slice(0, 200).toUpperCase();
    if (/^(SELECT|WITH)\b/.test(head)) return !CATALOG_QUERY.test(text);
    if (/^(INSERT|UPDATE|DELETE|MERGE|TRUNCATE|COMMIT|ROLLBACK)\b/.test(head)) return true;
    if (/^(BEGIN|START)\b/.test(head)) return /^(BEGIN(\s+(TRANSACTION|WORK))?|START\s+TRANSACTION)\s*;?\s*$/i.test(text.trim());
    if (/^CREATE\s+(OR\s+REPLACE\s+)?((SECURE|TRANSIENT|TEMPORARY|TEMP|LOCAL|GLOBAL|VOLATILE|MATERIALIZED|RECURSIVE)\s+)*(TABLE|VIEW)\b/.test(head)) {
      return true;
    }
    return /^DROP\s+(TABLE|VIEW)\b/.test(head);
  }

  /** Runs ONE Snowflake statement synchronously with positional binds (`?` or `:n`). */
  execute(sqlText: string, binds: readonly BindValue[], scope: Scope, callbacks: StatementCallbacks): QueryResult {
    checkBinds(binds);
    const statement = parseStatement(sqlText);
    // Every existing table or view the statement names passes through here.
    const named: RelationMeta[] = [];
    const catalog: CatalogView = {
      hasSchema: this.catalogView.hasSchema,
      relation: (database, schema, name) => {
        const found = this.catalogView.relation(database, schema, name);
        if (found !== undefined) named.push(found);
        return found;
      },
    };
    const plan = translate(statement, sqlText, { scope, binds, callbacks, catalog });
    callbacks.authorize?.(accessesOf(plan, named, this.catalogView));
    if (this.transactionAborted && !(plan.kind === "transaction" && plan.op !== "BEGIN")) {
      throw abortedTransaction();
    }
    try {
      return this.run(() => this.runTranslation(plan));
    } catch (error) {
      if (this.transactionOpen && !this.transactionAborted) this.transactionAborted = this.probeAborted();
      throw error;
    }
  }

  /**
   * DuckDB gives up a whole transaction when one of its statements fails at run time, where
   * Snowflake only fails the statement. Detected here so that a later COMMIT cannot silently
   * lose the statements that had succeeded.
   */
  private probeAborted(): boolean {
    try {
      this.db.query("SELECT 1");
      return false;
    } catch (error) {
      return error instanceof DuckDBError && /transaction is aborted/i.test(error.message);
    }
  }

  private run<T>(body: () => T): T {
    try {
      return body();
    } catch (error) {
      if (error instanceof DuckDBError) throw fromDuckDB(error.message);
      throw error;
    }
  }

  private runTranslation(plan: Translation): QueryResult {
    switch (plan.kind) {
      case "query":
        return toResult(this.db.query(plan.sql, plan.params), plan.jsonTypes);
      case "insert":
        return counts([["number of rows inserted", this.changed(plan.sql, plan.params)]]);
      case "update":
        return counts([
          ["number of rows updated", this.changed(plan.sql, plan.params)],
          ["number of multi-joined rows updated", 0],
        ]);
      case "delete":
        return counts([["number of rows deleted", this.changed(plan.sql, plan.params)]]);
      case "merge":
        return this.merge(plan);
      case "transaction":
        return this.transaction(plan.op);
      case "createTable":
        return this.createTable(plan);
      case "createView":
        return this.createView(plan);
      case "drop":
        return this.drop(plan);
      case "truncate":
        return this.truncate(plan);
    }
  }

  private changed(sql: string, params: readonly BindValue[]): number {
    const raw = this.db.query(sql, params);
    const first = raw.rows[0]?.[0];
    return first === undefined || first === null ? raw.rowsChanged : Number(first);
  }

  private merge(plan: Extract<Translation, { kind: "merge" }>): QueryResult {
    if (plan.duplicateCheck) {
      const dup = this.db.query(plan.duplicateCheck.sql, plan.duplicateCheck.params);
      if (dup.rows.length > 0) {
        throw new SnowflakeError("100090", "42P18", "Duplicate row detected during DML action");
      }
    }
    const raw = this.db.query(plan.sql, plan.params);
    const tally = { INSERT: 0, UPDATE: 0, DELETE: 0 } as Record<string, number>;
    for (const row of raw.rows) tally[String(row[0])] = (tally[String(row[0])] ?? 0) + 1;
    const entries: [string, number][] = [];
    if (plan.clauses.insert) entries.push(["number of rows inserted", tally.INSERT!]);
    if (plan.clauses.update) entries.push(["number of rows updated", tally.UPDATE!]);
    if (plan.clauses.delete) entries.push(["number of rows deleted", tally.DELETE!]);
    return counts(entries);
  }

  private transaction(op: "BEGIN" | "COMMIT" | "ROLLBACK"): QueryResult {
    if (op === "BEGIN") {
      // Snowflake ignores BEGIN inside an open transaction.
      if (!this.transactionOpen) {
        this.db.query("BEGIN TRANSACTION");
        this.transactionOpen = true;
      }
    } else if (this.transactionOpen) {
      const aborted = this.transactionAborted;
      this.transactionOpen = false;
      this.transactionAborted = false;
      this.db.query(aborted ? "ROLLBACK" : op);
      if (aborted && op === "COMMIT") throw abortedTransaction();
    }
    return status(STATUS_OK);
  }

  /** Snowflake commits an open transaction before any DDL. */
  private implicitCommit(): void {
    if (!this.transactionOpen) return;
    if (this.transactionAborted) throw abortedTransaction();
    this.transactionOpen = false;
    this.run(() => this.db.query("COMMIT"));
  }

  private schemaOf(target: QualifiedName): SchemaEntry {
    const entry = this.schemas.get(duckSchemaName(target.database, target.schema));
    if (!entry) throw objectNotFound("Schema", displayName(target.database, target.schema));
    return entry;
  }

  private checkNewName(entry: SchemaEntry, name: string): void {
    for (const existing of entry.relations.keys()) {
      if (existing !== name && existing.toUpperCase() === name.toUpperCase()) {
        throw new UnsupportedError(`relation names differing only in case ('${existing}' and '${name}')`);
      }
    }
  }

  private describe(target: QualifiedName, jsonTypes: JsonTypes): ColumnMeta[] {
    const raw = this.db.query(`SELECT * FROM ${duckTableRef(target)} LIMIT 0`);
    return raw.columns.map((c) => {
      const [column] = mapColumn(c, jsonTypes);
      return {
        name: column.name,
        type: column.type,
        nullable: true,
        ...(column.precision !== undefined ? { precision: column.precision, scale: column.scale } : {}),
      };
    });
  }

  /**
   * Where a CREATE TABLE or VIEW lands: the schema's entry, or a status when IF NOT EXISTS finds
   * the name taken; OR REPLACE replaces only a relation of the same kind.
   */
  private createTarget(plan: Extract<Translation, { kind: "createTable" | "createView" }>, kind: "TABLE" | "VIEW"): SchemaEntry | QueryResult {
    this.implicitCommit();
    const entry = this.schemaOf(plan.target);
    const name = plan.target.name;
    const existing = entry.relations.get(name);
    if (existing) {
      if (plan.ifNotExists) return status(`${name} already exists, statement succeeded.`);
      if (!plan.orReplace) throw new SnowflakeError("002002", "42710", `SQL compilation error:\nObject '${name}' already exists.`);
      if (existing.kind !== kind) throw wrongKind(existing.kind, kind);
    } else this.checkNewName(entry, name);
    return entry;
  }

  private createTable(plan: Extract<Translation, { kind: "createTable" }>): QueryResult {
    const entry = this.createTarget(plan, "TABLE");
    if (!("relations" in entry)) return entry;
    const name = plan.target.name;
    this.db.query(plan.sql, plan.params);
    const columns = plan.columns ?? this.describe(plan.target, plan.jsonTypes);
    entry.relations.set(name, {
      ...plan.target,
      kind: "TABLE",
      columns,
      ...(plan.comment !== undefined ? { comment: plan.comment } : {}),
    });
    return status(`Table ${name} successfully created.`);
  }

  private createView(plan: Extract<Translation, { kind: "createView" }>): QueryResult {
    const entry = this.createTarget(plan, "VIEW");
    if (!("relations" in entry)) return entry;
    const name = plan.target.name;
    this.db.query(plan.sql);
    const columns = this.describe(plan.target, plan.jsonTypes);
    entry.relations.set(name, {
      ...plan.target,
      kind: "VIEW",
      columns,
      jsonTypes: plan.jsonTypes,
      ...(plan.comment !== undefined ? { comment: plan.comment } : {}),
    });
    return status(`View ${name} successfully created.`);
  }

  private drop(plan: Extract<Translation, { kind: "drop" }>): QueryResult {
    this.implicitCommit();
    const name = plan.target.name;
    const entry = this.schemas.get(duckSchemaName(plan.target.database, plan.target.schema));
    const existing = entry?.relations.get(name);
    if (!entry || !existing) {
      if (plan.ifExists) return status(`Drop statement executed successfully (${name} already dropped).`);
      const kind = plan.objectType === "TABLE" ? "Table" : "View";
      throw objectNotFound(kind, displayName(plan.target.database, plan.target.schema, name));
    }
    if (existing.kind !== plan.objectType) throw wrongKind(existing.kind, plan.objectType);
    this.db.query(`DROP ${plan.objectType} ${duckTableRef(plan.target)}`);
    entry.relations.delete(name);
    return status(`${name} successfully dropped.`);
  }

  /** Treated as DML (no implicit commit), so it can be rolled back with the transaction. */
  private truncate(plan: Extract<Translation, { kind: "truncate" }>): QueryResult {
    const entry = this.schemas.get(duckSchemaName(plan.target.database, plan.target.schema));
    const existing = entry?.relations.get(plan.target.name);
    if (!existing) {
      if (plan.ifExists) return status(STATUS_OK);
      throw objectNotFound("Table", displayName(plan.target.database, plan.target.schema, plan.target.name));
    }
    if (existing.kind !== "TABLE") throw wrongKind(existing.kind, "TABLE");
    this.db.query(`DELETE FROM ${duckTableRef(plan.target)}`);
    return status(STATUS_OK);
  }
}

/** What a statement does to which relations, for StatementCallbacks.authorize. */
function accessesOf(plan: Translation, named: readonly RelationMeta[], catalog: CatalogView): RelationAccess[] {
  const same = (a: QualifiedName, b: QualifiedName) => a.database === b.database && a.schema === b.schema && a.name === b.name;
  const out: RelationAccess[] = [];
  const add = (r: RelationMeta | QualifiedName & { kind: "TABLE" | "VIEW" }, use: RelationAccess["use"]) => {
    if (!out.some((a) => a.use === use && a.database === r.database && a.schema === r.schema && a.name === r.name)) {
      out.push({ database: r.database, schema: r.schema, name: r.name, kind: r.kind, use });
    }
  };
  let target: QualifiedName | undefined;
  switch (plan.kind) {
    case "insert":
    case "update":
    case "delete":
    case "truncate":
      target = plan.target;
      add({ ...plan.target, kind: "TABLE" }, plan.kind);
      break;
    case "merge":
      target = plan.target;
      if (plan.clauses.insert) add({ ...plan.target, kind: "TABLE" }, "insert");
      if (plan.clauses.update) add({ ...plan.target, kind: "TABLE" }, "update");
      if (plan.clauses.delete) add({ ...plan.target, kind: "TABLE" }, "delete");
      break;
    case "createTable":
    case "createView": {
      target = plan.target;
      const kind = plan.kind === "createTable" ? "TABLE" : "VIEW";
      const existing = catalog.relation(plan.target.database, plan.target.schema, plan.target.name);
      if (existing !== undefined) add(existing, "replace");
      else out.push({ database: plan.target.database, schema: plan.target.schema, kind, use: "create" });
      break;
    }
    case "drop": {
      target = plan.target;
      const existing = catalog.relation(plan.target.database, plan.target.schema, plan.target.name);
      if (existing !== undefined) add(existing, "drop");
      break;
    }
    case "query":
    case "transaction":
      break;
  }
  for (const relation of named) {
    if (target === undefined || !same(relation, target)) add(relation, "read");
  }
  return out;
}

function abortedTransaction(): UnsupportedError {
  return new UnsupportedError(
    "continuing or committing a transaction after one of its statements failed at run time " +
      "(Snowflake keeps the transaction and its other statements; the DuckDB engine discards the whole transaction). " +
      "The transaction has been or will be rolled back; ROLLBACK and retry",
  );
}

function wrongKind(found: "TABLE" | "VIEW", wanted: "TABLE" | "VIEW"): SnowflakeError {
  return new SnowflakeError("002203", "02000", `SQL compilation error:\nObject found is of type '${found}', not specified type '${wanted}'.`);
}
