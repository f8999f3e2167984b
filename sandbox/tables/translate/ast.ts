/**
 * The syntax tree the table store translates: the JSON that `@guanmingchiu/sqlparser-ts` 0.62
 * (datafusion-sqlparser-rs, Snowflake dialect) emits, narrowed to the nodes and fields the
 * translator reads. The package's own TypeScript types describe an older parser, so these are
 * written from what 0.62 emits.
 *
 * A Rust enum arrives the way serde writes it: a unit variant as its name (`"Null"`), any other
 * as an object with one key (`{ Identifier: {...} }`); {@link variant} takes one apart. The types
 * list the variants the translator handles. The parser may emit others, and fields these types
 * leave out: every `switch` over a variant ends in a default that refuses what it does not know
 * (UnsupportedError), and {@link only} refuses every populated field the translator does not read,
 * so new syntax the parser learns (QUALIFY, TOP, CONNECT BY, ...) is refused, never dropped.
 *
 * Trees are cached by statement text (parse.ts) and shared: nothing may change them.
 */
import { UnsupportedError } from "../../types";

// ---------------------------------------------------------------------------------------------
// Enums and their parts
// ---------------------------------------------------------------------------------------------

/** The variant name and body of a serde-encoded enum value: `{ A: x }` → `["A", x]`, `"B"` → `["B", undefined]`. */
export type VariantOf<T> = T extends string ? readonly [T, undefined] : T extends object ? { [K in keyof T]-?: readonly [K, T[K]] }[keyof T] : never;

/** Takes an enum value apart; anything that is not one variant is refused. */
export function variant<T>(node: T): VariantOf<T> {
  if (typeof node === "string") return [node, undefined] as unknown as VariantOf<T>;
  if (node !== null && typeof node === "object" && !Array.isArray(node)) {
    const keys = Object.keys(node);
    if (keys.length === 1) return [keys[0], (node as Record<string, unknown>)[keys[0]!]] as unknown as VariantOf<T>;
  }
  throw new UnsupportedError("AST node " + JSON.stringify(node)?.slice(0, 80));
}

export interface Location {
  readonly line: number;
  readonly column: number;
}

export interface Span {
  readonly start: Location;
  readonly end: Location;
}

export interface Ident {
  readonly value: string;
  readonly quote_style?: string | null;
  readonly span?: Span;
}

/** `a.b.c`, each part an identifier (other part forms are refused). */
export type ObjectName = readonly { readonly Identifier: Ident }[];

// ---------------------------------------------------------------------------------------------
// Statements
// ---------------------------------------------------------------------------------------------

/** The statements the table store runs, by their variant name. */
export interface StatementBodies {
  readonly Query: Query;
  readonly Insert: Insert;
  readonly Update: Update;
  readonly Delete: Delete;
  readonly Merge: Merge;
  readonly CreateTable: CreateTable;
  readonly CreateView: CreateView;
  readonly Drop: Drop;
  readonly Truncate: Truncate;
  readonly StartTransaction: StartTransaction;
  readonly Commit: object;
  readonly Rollback: object;
}

export type StatementKind = keyof StatementBodies;

export type Statement = { readonly [K in StatementKind]: { readonly [P in K]: StatementBodies[K] } }[StatementKind];

export interface StartTransaction {
  readonly begin?: boolean;
  readonly transaction?: string | null;
}

// ---------------------------------------------------------------------------------------------
// Queries
// ---------------------------------------------------------------------------------------------

export interface Query {
  readonly with?: With | null;
  readonly body: SetExpr;
  readonly order_by?: OrderBy | null;
  readonly limit_clause?: LimitClause | null;
  readonly fetch?: Fetch | null;
}

export interface With {
  readonly recursive: boolean;
  readonly cte_tables: readonly Cte[];
}

export interface Cte {
  readonly alias: TableAlias;
  readonly query: Query;
  readonly materialized?: unknown;
}

export interface TableAlias {
  readonly name: Ident;
  readonly columns?: readonly AliasColumn[] | null;
  readonly explicit?: boolean;
}

/** An alias column: a bare identifier, or `{ name }` (with a type the sandbox refuses). */
export type AliasColumn = Ident | { readonly name: Ident };

export interface OrderBy {
  readonly kind: { readonly Expressions: readonly OrderByExpr[] } | { readonly All: unknown };
}

export interface OrderByExpr {
  readonly expr: Expr;
  readonly options?: { readonly asc?: boolean | null; readonly nulls_first?: boolean | null } | null;
}

export type LimitClause = { readonly LimitOffset: { readonly limit?: Expr | null; readonly offset?: { readonly value: Expr; readonly rows?: unknown } | null } };

export interface Fetch {
  readonly quantity?: Expr | null;
}

export type SetExpr =
  | { readonly Select: Select }
  | { readonly Query: Query }
  | { readonly SetOperation: SetOperation }
  | { readonly Values: unknown };

export interface SetOperation {
  readonly left: SetExpr;
  readonly op: string;
  readonly right: SetExpr;
  readonly set_quantifier?: string | null;
}

export interface Select {
  readonly distinct?: string | object | null;
  readonly projection: readonly SelectItem[];
  readonly from?: readonly TableWithJoins[] | null;
  readonly selection?: Expr | null;
  readonly group_by?: GroupBy | null;
  readonly having?: Expr | null;
  readonly flavor?: string;
  readonly select_token?: { readonly span?: Span } | null;
}

export type SelectItem =
  | { readonly UnnamedExpr: Expr }
  | { readonly ExprWithAlias: { readonly expr: Expr; readonly alias: Ident } }
  | { readonly Wildcard: WildcardOptions | null }
  | { readonly QualifiedWildcard: readonly [{ readonly ObjectName: ObjectName } | { readonly Expr: Expr }, WildcardOptions | null] };

export interface WildcardOptions {
  readonly opt_exclude?: { readonly Single: Ident | ObjectName } | { readonly Multiple: readonly (Ident | ObjectName)[] } | null;
}

export type GroupBy = { readonly Expressions: readonly [readonly Expr[], readonly unknown[]] } | { readonly All: readonly unknown[] };

export interface TableWithJoins {
  readonly relation: TableFactor;
  readonly joins?: readonly Join[] | null;
}

export interface Join {
  readonly relation: TableFactor;
  readonly join_operator: JoinOperator;
}

export type JoinConstraint = { readonly On: Expr } | { readonly Using: readonly ObjectName[] } | "Natural" | "None";

export type JoinOperator =
  | { readonly Join: JoinConstraint }
  | { readonly Inner: JoinConstraint }
  | { readonly Left: JoinConstraint }
  | { readonly LeftOuter: JoinConstraint }
  | { readonly Right: JoinConstraint }
  | { readonly RightOuter: JoinConstraint }
  | { readonly FullOuter: JoinConstraint }
  | { readonly CrossJoin: JoinConstraint }
  | "CrossJoin";

export type TableFactor =
  | { readonly Table: { readonly name: ObjectName; readonly alias?: TableAlias | null; readonly args?: unknown } }
  | { readonly Derived: { readonly subquery: Query; readonly alias?: TableAlias | null; readonly lateral?: boolean } }
  | { readonly NestedJoin: { readonly table_with_joins: TableWithJoins } }
  | { readonly Function: { readonly name: ObjectName; readonly lateral?: boolean; readonly args?: readonly FunctionArg[] | null; readonly alias?: TableAlias | null } }
  | { readonly TableFunction: { readonly expr?: { readonly Function?: FunctionCall }; readonly alias?: TableAlias | null } };

// ---------------------------------------------------------------------------------------------
// Expressions
// ---------------------------------------------------------------------------------------------

export type Value =
  | { readonly Number: readonly [string, boolean] }
  | { readonly SingleQuotedString: string }
  | { readonly DollarQuotedString: { readonly value: string } }
  | { readonly Boolean: boolean }
  | "Null"
  | { readonly Placeholder: string };

/** A literal or a bind placeholder, with where it stands in the statement. */
export interface ValueWithSpan {
  readonly value: Value;
  readonly span?: Span;
}

export interface LikeExpr {
  readonly expr: Expr;
  readonly negated: boolean;
  readonly pattern: Expr;
  readonly escape_char?: ValueWithSpan;
  readonly any?: boolean;
}

export interface CastExpr {
  readonly kind: string;
  readonly expr: Expr;
  readonly data_type: DataType;
  readonly format?: unknown;
}

export type Expr =
  | { readonly Identifier: Ident }
  | { readonly CompoundIdentifier: readonly Ident[] }
  | { readonly Value: ValueWithSpan }
  | { readonly Nested: Expr }
  | { readonly UnaryOp: { readonly op: string; readonly expr: Expr } }
  | { readonly BinaryOp: { readonly left: Expr; readonly op: string; readonly right: Expr } }
  | { readonly IsNull: Expr }
  | { readonly IsNotNull: Expr }
  | { readonly IsDistinctFrom: readonly [Expr, Expr] }
  | { readonly IsNotDistinctFrom: readonly [Expr, Expr] }
  | { readonly InList: { readonly expr: Expr; readonly list: readonly Expr[]; readonly negated: boolean } }
  | { readonly InSubquery: { readonly expr: Expr; readonly subquery: Query; readonly negated: boolean } }
  | { readonly Between: { readonly expr: Expr; readonly negated: boolean; readonly low: Expr; readonly high: Expr } }
  | { readonly Like: LikeExpr }
  | { readonly ILike: LikeExpr }
  | {
      readonly Case: {
        readonly operand?: Expr | null;
        readonly conditions: readonly { readonly condition: Expr; readonly result: Expr }[];
        readonly else_result?: Expr | null;
      };
    }
  | { readonly Cast: CastExpr }
  | { readonly TypedString: { readonly data_type: DataType; readonly value: ValueWithSpan } }
  | { readonly Function: FunctionCall }
  | { readonly Subquery: Query }
  | { readonly Exists: { readonly subquery: Query; readonly negated: boolean } }
  | { readonly JsonAccess: { readonly value: Expr; readonly path: { readonly path: readonly JsonPathElement[] } } }
  | {
      readonly Trim: {
        readonly expr: Expr;
        readonly trim_characters?: readonly Expr[] | null;
        readonly trim_where?: unknown;
        readonly trim_what?: unknown;
      };
    }
  | { readonly Substring: { readonly expr: Expr; readonly substring_from?: Expr | null; readonly substring_for?: Expr | null } }
  | "Wildcard";

export type JsonPathElement = { readonly Dot: { readonly key: string } } | { readonly Bracket: { readonly key: Expr } };

export interface FunctionCall {
  readonly name: ObjectName;
  readonly args?: FunctionArguments;
  readonly within_group?: readonly OrderByExpr[] | null;
  readonly parameters?: unknown;
  readonly over?: unknown;
  readonly filter?: unknown;
  readonly null_treatment?: unknown;
}

export type FunctionArguments =
  | "None"
  | { readonly List: { readonly args?: readonly FunctionArg[] | null; readonly duplicate_treatment?: string | null } }
  | { readonly Subquery: Query };

export type FunctionArg = { readonly Unnamed: FunctionArgExpr } | { readonly Named: { readonly name: Ident; readonly arg: FunctionArgExpr } };

export type FunctionArgExpr = { readonly Expr: Expr } | "Wildcard" | { readonly QualifiedWildcard: ObjectName };

// ---------------------------------------------------------------------------------------------
// Data types
// ---------------------------------------------------------------------------------------------

/** `VARCHAR(10)`: a length in characters (other units are refused). */
export type CharacterLength = { readonly IntegerLength: { readonly length: number; readonly unit?: unknown } } | "Max";

/** Decimal precision and scale, as written. */
export type ExactNumberInfo = "None" | { readonly Precision: number } | { readonly PrecisionAndScale: readonly [number, number] };

export type DataType =
  | { readonly String: CharacterLength | null | undefined }
  | { readonly Varchar: CharacterLength | null | undefined }
  | { readonly Nvarchar: CharacterLength | null | undefined }
  | { readonly Char: CharacterLength | null | undefined }
  | { readonly Character: CharacterLength | null | undefined }
  | { readonly CharacterVarying: CharacterLength | null | undefined }
  | { readonly CharVarying: CharacterLength | null | undefined }
  | "Text"
  | { readonly Int: number | null | undefined }
  | { readonly Integer: number | null | undefined }
  | { readonly BigInt: number | null | undefined }
  | { readonly SmallInt: number | null | undefined }
  | { readonly TinyInt: number | null | undefined }
  | { readonly Decimal: ExactNumberInfo | undefined }
  | { readonly Numeric: ExactNumberInfo | undefined }
  | { readonly Dec: ExactNumberInfo | undefined }
  | { readonly Float: unknown }
  | { readonly Double: unknown }
  | "Float4"
  | "Float8"
  | "Float64"
  | "DoublePrecision"
  | "Real"
  | "Boolean"
  | "Bool"
  | "Date"
  | "Datetime"
  | "TimestampNtz"
  | { readonly Datetime: unknown }
  | { readonly TimestampNtz: unknown }
  | { readonly Timestamp: readonly [unknown, string] }
  | { readonly Array: unknown }
  | { readonly Custom: readonly [ObjectName, readonly string[] | null] };

// ---------------------------------------------------------------------------------------------
// DML
// ---------------------------------------------------------------------------------------------

export interface Values {
  readonly rows: readonly (readonly Expr[] | { readonly content: readonly Expr[] })[];
}

export interface Insert {
  readonly table: { readonly TableName: ObjectName } | { readonly TableFunction: unknown };
  readonly columns?: readonly (Ident | ObjectName)[] | null;
  readonly source: Query;
  readonly overwrite?: boolean;
}

export interface Assignment {
  readonly target: { readonly ColumnName: ObjectName } | { readonly Tuple: unknown };
  readonly value: Expr;
}

export interface Update {
  readonly table: TableWithJoins;
  readonly assignments: readonly Assignment[];
  readonly from?: { readonly AfterSet: readonly TableWithJoins[] } | { readonly BeforeSet: unknown } | null;
  readonly selection?: Expr | null;
}

export interface Delete {
  readonly tables?: readonly ObjectName[];
  readonly from: { readonly WithFromKeyword: readonly TableWithJoins[] } | { readonly WithoutKeyword: readonly TableWithJoins[] };
  readonly using?: readonly TableWithJoins[] | null;
  readonly selection?: Expr | null;
}

export type MergeAction =
  | { readonly Update: { readonly assignments: readonly Assignment[] } }
  | { readonly Delete: object | null }
  | "Delete"
  | { readonly Insert: { readonly columns?: readonly (Ident | ObjectName)[] | null; readonly kind: { readonly Values: Values } | "Row" } };

export interface MergeClause {
  readonly clause_kind: string;
  readonly predicate?: Expr | null;
  readonly action: MergeAction;
}

export interface Merge {
  readonly table: TableFactor;
  readonly source: TableFactor;
  readonly on: Expr;
  readonly clauses: readonly MergeClause[];
}

// ---------------------------------------------------------------------------------------------
// DDL
// ---------------------------------------------------------------------------------------------

export type ColumnOption =
  | "Null"
  | "NotNull"
  | { readonly Default: Expr }
  | { readonly Comment: string }
  | { readonly Unique: unknown }
  | { readonly PrimaryKey: unknown }
  | { readonly ForeignKey: unknown }
  | { readonly Identity: unknown }
  | { readonly Collation: unknown };

export interface ColumnDef {
  readonly name: Ident;
  readonly data_type: DataType;
  readonly options?: readonly { readonly name?: Ident | null; readonly option: ColumnOption }[] | null;
}

/** A primary key column: `{ column: { expr } }` in 0.62, a bare expression before. */
export type IndexColumn = { readonly column: { readonly expr: Expr } } | Expr;

export type TableConstraint = { readonly PrimaryKey: { readonly columns: readonly IndexColumn[] } } | { readonly Unique: unknown } | { readonly ForeignKey: unknown };

export type TableOptions = "None" | { readonly Plain: readonly ({ readonly Comment: { readonly WithEq: string } | { readonly WithoutEq: string } })[] };

export interface CreateTable {
  readonly or_replace?: boolean;
  readonly if_not_exists?: boolean;
  readonly name: ObjectName;
  readonly columns?: readonly ColumnDef[] | null;
  readonly constraints?: readonly TableConstraint[] | null;
  readonly query?: Query | null;
  readonly table_options?: TableOptions;
}

export interface CreateView {
  readonly or_replace?: boolean;
  readonly if_not_exists?: boolean;
  readonly or_alter?: boolean;
  readonly name: ObjectName;
  readonly columns?: readonly { readonly name: Ident }[] | null;
  readonly query: Query;
  readonly comment?: string | null;
}

export interface Drop {
  readonly object_type: string;
  readonly if_exists?: boolean;
  readonly names: readonly ObjectName[];
}

export interface Truncate {
  readonly table_names: readonly { readonly name: ObjectName }[];
  readonly if_exists?: boolean;
}

// ---------------------------------------------------------------------------------------------
// Reading nodes
// ---------------------------------------------------------------------------------------------

/** An absent or empty field: undefined, null, false, `"None"`, or a list of such. */
export function isEmpty(value: unknown): boolean {
  if (value === undefined || value === null || value === false) return true;
  if (value === "None" || value === "NONE") return true;
  if (Array.isArray(value)) return value.every(isEmpty);
  return false;
}

/** How a field the translator does not read is named when it is refused. */
const FEATURE_NAMES: Readonly<Record<string, string>> = {
  qualify: "QUALIFY",
  top: "TOP",
  connect_by: "CONNECT BY",
  lateral_views: "LATERAL VIEW",
  locks: "FOR UPDATE",
  named_window: "WINDOW",
  prewhere: "PREWHERE",
  cluster_by: "CLUSTER BY",
  into: "SELECT INTO",
  returning: "RETURNING",
  over: "window functions (OVER)",
  filter: "FILTER clause",
  null_treatment: "IGNORE/RESPECT NULLS",
  sample: "SAMPLE",
  version: "time travel (AT/BEFORE)",
  copy_grants: "COPY GRANTS",
  temporary: "TEMPORARY objects",
  materialized: "MATERIALIZED VIEW",
  like: "CREATE TABLE ... LIKE",
  clone: "CLONE",
  with_tags: "WITH TAG",
  with_row_access_policy: "ROW ACCESS POLICY",
  with_aggregation_policy: "AGGREGATION POLICY",
  change_tracking: "CHANGE_TRACKING",
  data_retention_time_in_days: "DATA_RETENTION_TIME_IN_DAYS",
  pipe_operators: "pipe operators",
};

/**
 * Refuses any populated field of `node` that the caller does not handle. Spans and tokens carry
 * no meaning; everything else either is read by the caller or must be empty. `handled` may also
 * name fields the parser emits that these types leave out (keywords the translator ignores).
 */
export function only(node: object, handled: readonly string[], where: string): void {
  for (const key of Object.keys(node)) {
    const value = (node as Record<string, unknown>)[key];
    if (handled.includes(key) || key === "span" || key.endsWith("_token") || key === "optimizer_hints") {
      if (key === "optimizer_hints" && !isEmpty(value)) throw new UnsupportedError(`optimizer hints in ${where}`);
      continue;
    }
    if (!isEmpty(value)) {
      throw new UnsupportedError(`${FEATURE_NAMES[key] ?? key.toUpperCase().replace(/_/g, " ")} in ${where}`);
    }
  }
}

/** Snowflake identifier resolution: unquoted is upper-cased, quoted is kept exact. */
export function identName(ident: Ident): string {
  if (!ident || typeof ident.value !== "string") throw new UnsupportedError("identifier form " + JSON.stringify(ident));
  return ident.quote_style === '"' ? ident.value : ident.value.toUpperCase();
}

/** The identifiers of a dotted name. */
export function objectNameParts(name: ObjectName): Ident[] {
  if (!Array.isArray(name)) throw new UnsupportedError("object name form");
  return name.map((part: { readonly Identifier?: Ident }) => {
    if (part && part.Identifier) return part.Identifier;
    throw new UnsupportedError("object name part " + Object.keys(part ?? {}).join(","));
  });
}

/** An identifier, or a dotted name of one part: as INSERT column lists and EXCLUDE give them. */
export function singleIdent(item: Ident | ObjectName): Ident[] {
  return Array.isArray(item) ? objectNameParts(item as ObjectName) : [item as Ident];
}
