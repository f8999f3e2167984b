/**
 * The translator's contract with the table store (../index.ts): what a translation needs (the
 * session's scope, the binds, the catalog of existing relations, the catalog-backed functions)
 * and what it produces (a {@link Translation}).
 */
import type { BindValue, SnowflakeType } from "../../types";

/** The session's current database/schema: already resolved, case-exact names. */
export interface Scope {
  readonly database: string;
  readonly schema?: string;
}

export interface StatementCallbacks {
  /**
   * Evaluates SYSTEM$... and other catalog-backed functions (CURRENT_ROLE(), IS_ROLE_IN_SESSION(...))
   * whose arguments are literals or binds. Throws UnsupportedError for names it does not know.
   */
  systemFunction(name: string, args: readonly unknown[]): unknown;
  /**
   * Called once a statement is translated and before it runs, with every table and view it
   * reads or changes (and the schema it creates one in); throws to refuse the statement.
   */
  authorize?(accesses: readonly RelationAccess[]): void;
}

/** A table or view a statement reads or changes, or (for `create`) the schema it creates one in. */
export interface RelationAccess {
  readonly database: string;
  readonly schema: string;
  /** Absent for `create`: the schema itself is the object. */
  readonly name?: string;
  readonly kind: "TABLE" | "VIEW";
  readonly use: RelationUse;
}

export type RelationUse = "read" | "insert" | "update" | "delete" | "truncate" | "create" | "replace" | "drop";

export interface ColumnMeta {
  readonly name: string;
  readonly type: SnowflakeType;
  readonly nullable: boolean;
  readonly precision?: number;
  readonly scale?: number;
  /** VARCHAR(n): the declared maximum length. */
  readonly length?: number;
  readonly comment?: string;
}

export interface RelationMeta {
  readonly database: string;
  readonly schema: string;
  readonly name: string;
  readonly kind: "TABLE" | "VIEW";
  readonly columns: readonly ColumnMeta[];
  readonly comment?: string;
}

/** What the translator needs to know about existing objects. */
export interface CatalogView {
  hasSchema(database: string, schema: string): boolean;
  relation(database: string, schema: string, name: string): RelationMeta | undefined;
}

export interface QualifiedName {
  readonly database: string;
  readonly schema: string;
  readonly name: string;
}

/** JSON result columns whose Snowflake type is narrower than VARIANT, by result column name. */
export type JsonTypes = Readonly<Record<string, "OBJECT" | "ARRAY">>;

/** A translated statement: DuckDB SQL with its parameters, and the facts the store needs to run it and shape its answer. */
export type Translation =
  | { kind: "query"; sql: string; params: BindValue[]; jsonTypes: JsonTypes }
  | { kind: "insert" | "update" | "delete"; sql: string; params: BindValue[]; target: QualifiedName }
  | {
      kind: "merge";
      sql: string;
      params: BindValue[];
      target: QualifiedName;
      clauses: { insert: boolean; update: boolean; delete: boolean };
      /** Finds a target row joined by more than one source row (Snowflake refuses to update it). */
      duplicateCheck?: { sql: string; params: BindValue[] };
    }
  | {
      kind: "createTable";
      target: QualifiedName;
      orReplace: boolean;
      ifNotExists: boolean;
      /** DuckDB `CREATE [OR REPLACE] TABLE ...`, with or without `AS SELECT`. */
      sql: string;
      params: BindValue[];
      /** Declared columns; undefined for CREATE TABLE ... AS SELECT (read back after creation). */
      columns?: ColumnMeta[];
      jsonTypes: JsonTypes;
      comment?: string;
    }
  | {
      kind: "createView";
      target: QualifiedName;
      orReplace: boolean;
      ifNotExists: boolean;
      sql: string;
      jsonTypes: JsonTypes;
      comment?: string;
    }
  | { kind: "drop"; objectType: "TABLE" | "VIEW"; target: QualifiedName; ifExists: boolean }
  | { kind: "truncate"; target: QualifiedName; ifExists: boolean }
  | { kind: "transaction"; op: "BEGIN" | "COMMIT" | "ROLLBACK" };

/** What a translation reads besides the statement. */
export interface TranslateContext {
  readonly scope: Scope;
  readonly binds: readonly BindValue[];
  readonly callbacks: StatementCallbacks;
  readonly catalog: CatalogView;
}
