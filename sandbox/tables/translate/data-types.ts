/**
 * Types: Snowflake's data types as the table store keeps them in DuckDB, and the small type
 * system the translation runs on. Only as much as Snowflake's semantics need: whether a value is
 * JSON (VARIANT, OBJECT, ARRAY) decides how casts, comparisons and stores behave.
 */
import { syntaxError, UnsupportedError, type SnowflakeType } from "../../types";
import { objectNameParts, variant, type CharacterLength, type DataType, type ExactNumberInfo } from "./ast";
import type { ColumnMeta } from "./output";

/** A Snowflake type and the DuckDB type that stores it. */
export interface TypeInfo {
  readonly sf: SnowflakeType;
  readonly duck: string;
  readonly precision?: number;
  readonly scale?: number;
  readonly length?: number;
}

export const INTEGER_TYPE: TypeInfo = { sf: "FIXED", duck: "DECIMAL(38,0)", precision: 38, scale: 0 };
export const TEXT_TYPE: TypeInfo = { sf: "TEXT", duck: "VARCHAR" };
export const REAL_TYPE: TypeInfo = { sf: "REAL", duck: "DOUBLE" };
export const BOOLEAN_TYPE: TypeInfo = { sf: "BOOLEAN", duck: "BOOLEAN" };
export const DATE_TYPE: TypeInfo = { sf: "DATE", duck: "DATE" };
export const TIMESTAMP_TYPE: TypeInfo = { sf: "TIMESTAMP_NTZ", duck: "TIMESTAMP" };

function decimalType(precision: number | undefined, scale: number | undefined, label: string): TypeInfo {
  const p = precision ?? 38;
  const s = scale ?? 0;
  if (!Number.isInteger(p) || p < 1 || p > 38 || !Number.isInteger(s) || s < 0 || s > p) {
    throw syntaxError(`invalid precision/scale for ${label}: (${p},${s})`);
  }
  return { sf: "FIXED", duck: `DECIMAL(${p},${s})`, precision: p, scale: s };
}

function textType(length: CharacterLength | null | undefined): TypeInfo {
  if (length === undefined || length === null) return TEXT_TYPE;
  const [kind, value] = variant(length);
  if (kind === "IntegerLength" && value.unit === undefined) return { ...TEXT_TYPE, length: value.length };
  throw new UnsupportedError("character length " + kind);
}

function exactNumber(info: ExactNumberInfo | undefined, label: string): TypeInfo {
  if (info === "None" || info === undefined) return INTEGER_TYPE;
  const [kind, value] = variant(info);
  switch (kind) {
    case "Precision":
      return decimalType(value, 0, label);
    case "PrecisionAndScale":
      return decimalType(value[0], value[1], label);
    default:
      throw new UnsupportedError(`${label} ${String(kind)}`);
  }
}

/** A named type with modifiers (`NUMBER(10, 2)`, `VARIANT`), which the parser leaves as written. */
function customType(name: string, modifiers: readonly string[]): TypeInfo {
  const mods = modifiers.map((m) => Number(m));
  const noMods = () => {
    if (mods.length > 0) throw new UnsupportedError(`${name}(${modifiers.join(",")})`);
  };
  switch (name) {
    case "NUMBER":
      if (mods.length > 2) throw syntaxError("NUMBER takes at most precision and scale");
      return mods.length === 0 ? INTEGER_TYPE : decimalType(mods[0], mods[1] ?? 0, "NUMBER");
    case "BYTEINT":
      noMods();
      return INTEGER_TYPE;
    case "VARIANT":
      noMods();
      return { sf: "VARIANT", duck: "JSON" };
    case "OBJECT":
      noMods();
      return { sf: "OBJECT", duck: "JSON" };
    case "TIMESTAMPNTZ":
      return TIMESTAMP_TYPE;
    default:
      throw new UnsupportedError("data type " + name);
  }
}

/** Maps a Snowflake data type node; only the types the sandbox stores are accepted. */
export function mapDataType(dataType: DataType): TypeInfo {
  const [kind, arg] = variant(dataType);
  switch (kind) {
    case "String":
    case "Varchar":
    case "Nvarchar":
    case "Char":
    case "Character":
    case "CharacterVarying":
    case "CharVarying":
      return textType(arg);
    case "Text":
      return TEXT_TYPE;
    case "Int":
    case "Integer":
    case "BigInt":
    case "SmallInt":
    case "TinyInt":
      if (arg !== undefined && arg !== null) throw new UnsupportedError(`${kind.toUpperCase()} with a display width`);
      return INTEGER_TYPE;
    case "Decimal":
    case "Numeric":
    case "Dec":
      return exactNumber(arg, kind.toUpperCase());
    case "Float":
    case "Double":
      if (arg !== "None" && arg !== undefined && arg !== null) throw new UnsupportedError(`${kind.toUpperCase()} with precision`);
      return REAL_TYPE;
    case "Float4":
    case "Float8":
    case "Float64":
    case "DoublePrecision":
    case "Real":
      return REAL_TYPE;
    case "Boolean":
    case "Bool":
      return BOOLEAN_TYPE;
    case "Date":
      return DATE_TYPE;
    case "Datetime":
    case "TimestampNtz":
      return TIMESTAMP_TYPE;
    case "Timestamp": {
      const tz = Array.isArray(arg) ? arg[1] : "None";
      if (tz !== "None") throw new UnsupportedError("TIMESTAMP WITH TIME ZONE");
      return TIMESTAMP_TYPE;
    }
    case "Array":
      if (arg !== "None" && arg !== undefined) throw new UnsupportedError("typed ARRAY");
      return { sf: "ARRAY", duck: "JSON" };
    case "Custom": {
      const [nameParts, modifiers] = arg;
      const parts = objectNameParts(nameParts);
      if (parts.length !== 1) throw new UnsupportedError("data type " + parts.map((p) => p.value).join("."));
      return customType(String(parts[0]!.value).toUpperCase(), modifiers ?? []);
    }
    default:
      throw new UnsupportedError("data type " + String(kind).toUpperCase());
  }
}

// ---------------------------------------------------------------------------------------------
// The translation's own types
// ---------------------------------------------------------------------------------------------

/** What a value is, as far as the translation needs to know. */
export type Kind = "json" | "text" | "number" | "bool" | "time" | "unknown";
/** The narrower type of a JSON value, when known. */
export type Semi = "OBJECT" | "ARRAY";

/** An expression rendered as DuckDB SQL, with its kind. */
export interface Rendered {
  readonly sql: string;
  readonly kind: Kind;
  readonly semi?: Semi | undefined;
  /** The JS value when the expression is a literal or bind (used for SYSTEM$ arguments). */
  readonly constant?: { readonly value: unknown } | undefined;
}

/** A column of a relation or query in scope. */
export interface ColInfo {
  readonly name: string;
  readonly kind: Kind;
  readonly semi?: Semi | undefined;
}

export function kindOfType(type: SnowflakeType): Kind {
  switch (type) {
    case "VARIANT":
    case "OBJECT":
    case "ARRAY":
      return "json";
    case "TEXT":
      return "text";
    case "FIXED":
    case "REAL":
      return "number";
    case "BOOLEAN":
      return "bool";
    case "DATE":
    case "TIMESTAMP_NTZ":
      return "time";
    default:
      return "unknown";
  }
}

export function colInfoOf(column: ColumnMeta): ColInfo {
  return {
    name: column.name,
    kind: kindOfType(column.type),
    semi: column.type === "OBJECT" || column.type === "ARRAY" ? column.type : undefined,
  };
}

export function kindOfValue(value: unknown): Kind {
  if (typeof value === "string") return "text";
  if (typeof value === "number" || typeof value === "bigint") return "number";
  if (typeof value === "boolean") return "bool";
  if (value instanceof Date) return "time";
  return "unknown";
}

/** The kind of several values that meet (CASE branches, COALESCE arguments): one kind, or unknown. */
export function commonKind(values: readonly Rendered[]): { kind: Kind; semi?: Semi | undefined } {
  const kinds = new Set(values.map((v) => v.kind).filter((k) => k !== "unknown"));
  if (kinds.size !== 1) return { kind: "unknown" };
  const semis = new Set(values.map((v) => v.semi));
  return { kind: [...kinds][0]!, semi: semis.size === 1 ? values[0]!.semi : undefined };
}

/** Coerces a value stored into a column to Snowflake's implicit cast for that column. */
export function storeValue(value: Rendered, column: ColumnMeta): string {
  const kind = kindOfType(column.type);
  // Snowflake stores a VARCHAR into a VARIANT as a JSON string (it does not parse it);
  // to_json() does exactly that and leaves JSON values untouched.
  if (kind === "json") {
    if (column.type === "VARIANT") return `to_json(${value.sql})`;
    return `sf_as_${column.type.toLowerCase()}(${value.sql})`;
  }
  if (kind === "text" && value.kind === "json") return `sf_text(${value.sql})`;
  return value.sql;
}
