/**
 * What a query can see: the relations of its FROM clause with their columns, its aliases and
 * common table expressions, and the scopes around it. Column references resolve here, with
 * Snowflake's case-sensitivity where DuckDB has none.
 */
import { SnowflakeError } from "../../types";
import type { ColInfo } from "./data-types";
import type { JsonTypes } from "./output";

/** A relation in a FROM clause, by the name the query knows it by. */
export interface RelBinding {
  readonly alias: string;
  /** Undefined when the relation's columns cannot be known statically. */
  readonly columns?: readonly ColInfo[] | undefined;
}

/** A query or subquery, rendered. */
export interface QueryOut {
  readonly sql: string;
  /** Output columns, or undefined when a wildcard over an unknown relation hides them. */
  readonly columns?: readonly ColInfo[] | undefined;
}

export class QueryScope {
  readonly rels: RelBinding[] = [];
  readonly aliases: ColInfo[] = [];
  readonly ctes = new Map<string, readonly ColInfo[] | undefined>();
  constructor(readonly parent?: QueryScope) {}

  /** A common table expression in sight, by name. */
  cte(name: string): { columns: readonly ColInfo[] | undefined } | undefined {
    if (this.ctes.has(name)) return { columns: this.ctes.get(name) };
    return this.parent?.cte(name);
  }
}

export function invalidIdentifier(display: string): SnowflakeError {
  return new SnowflakeError("000904", "42000", `SQL compilation error:\ninvalid identifier '${display}'`);
}

/** Columns renamed by an alias list (`AS t(a, b)`); unknown columns become unknown-kind ones. */
export function renameColumns(columns: readonly ColInfo[] | undefined, names: readonly string[]): ColInfo[] | undefined {
  if (!columns) return names.map((name) => ({ name, kind: "unknown" }));
  return columns.map((c, i) => (i < names.length ? { ...c, name: names[i]! } : c));
}

/** The result columns whose JSON is known to be an OBJECT or an ARRAY (a name given both is left out). */
export function jsonTypesOf(columns: readonly ColInfo[] | undefined): JsonTypes {
  const out: Record<string, "OBJECT" | "ARRAY"> = {};
  const conflicting = new Set<string>();
  for (const c of columns ?? []) {
    if (!c.semi) continue;
    if (out[c.name] && out[c.name] !== c.semi) conflicting.add(c.name);
    out[c.name] = c.semi;
  }
  for (const name of conflicting) delete out[name];
  return out;
}

/**
 * Finds a column reference's type, and applies Snowflake's case-sensitivity where DuckDB would
 * not: DuckDB matches identifiers case-insensitively, so a quoted "status" would silently find
 * STATUS here and then fail on Snowflake.
 */
export function resolveColumn(scope: QueryScope, qualifier: string | undefined, name: string, display: string): ColInfo | undefined {
  const folded = name.toUpperCase();
  for (let s: QueryScope | undefined = scope; s; s = s.parent) {
    let rels = s.rels;
    if (qualifier !== undefined) {
      rels = s.rels.filter((r) => r.alias === qualifier);
      if (rels.length === 0) {
        if (s.rels.some((r) => r.alias.toUpperCase() === qualifier.toUpperCase())) throw invalidIdentifier(display);
        continue;
      }
    }
    let unknown = false;
    let caseMismatch = false;
    for (const rel of rels) {
      if (!rel.columns) {
        unknown = true;
        continue;
      }
      const hit = rel.columns.find((c) => c.name === name);
      if (hit) return hit;
      if (rel.columns.some((c) => c.name.toUpperCase() === folded)) caseMismatch = true;
    }
    if (qualifier === undefined) {
      const alias = s.aliases.find((c) => c.name === name);
      if (alias) return alias;
      if (s.aliases.some((c) => c.name.toUpperCase() === folded)) caseMismatch = true;
    }
    if (unknown) return undefined;
    if (caseMismatch) throw invalidIdentifier(display);
    if (qualifier !== undefined) return undefined;
  }
  return undefined;
}
