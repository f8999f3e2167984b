/**
 * Slot readers: how the `<slot>` placeholders of a documented form read tokens. Each reader
 * takes the statement's tokens and a position and returns the value read and the position
 * after it, or what it expected. Readers never throw; the matcher turns a miss into the
 * "expected ..." of the refusal.
 */
import { identifierValue, type Token } from "../lexer";

export type SlotResult =
  | { readonly ok: true; readonly value: unknown; readonly next: number }
  | { readonly ok: false; readonly expected: string; readonly at: number };

export interface SlotInput {
  readonly text: string;
  readonly tokens: readonly Token[];
}

export type SlotReader = (input: SlotInput, pos: number) => SlotResult;

const miss = (expected: string, at: number): SlotResult => ({ ok: false, expected, at });
const hit = (value: unknown, next: number): SlotResult => ({ ok: true, value, next });

function isWord(t: Token, word?: string): boolean {
  return t.kind === "word" && (word === undefined || t.value.toUpperCase() === word);
}

function isPunct(t: Token, symbol: string): boolean {
  return t.kind === "punct" && t.value === symbol;
}

/**
 * Snowflake's reserved keywords (plus the clause words STARTS and LIMIT of SHOW): never an
 * unquoted identifier. Refusing them here keeps an optional name from swallowing the keyword
 * of the next clause (`IN DATABASE LIMIT 10`, `ADD VERSION USING ...`).
 */
const RESERVED = new Set(
  (
    "ALL ALTER AND ANY AS BETWEEN BY CASE CAST CHECK COLUMN CONNECT CONSTRAINT CREATE CROSS CURRENT DELETE DISTINCT " +
    "DROP ELSE EXISTS FALSE FOLLOWING FOR FROM FULL GRANT GROUP HAVING ILIKE IN INCREMENT INNER INSERT INTERSECT INTO " +
    "IS JOIN LATERAL LEFT LIKE LOCALTIME LOCALTIMESTAMP MINUS NATURAL NOT NULL OF ON OR ORDER QUALIFY REGEXP REVOKE " +
    "RIGHT RLIKE ROW ROWS SAMPLE SELECT SET SOME START TABLE TABLESAMPLE THEN TO TRIGGER TRUE TRY_CAST UNION UNIQUE " +
    "UPDATE USING VALUES WHEN WHENEVER WHERE WITH STARTS LIMIT"
  ).split(" "),
);

function isNamePart(t: Token): boolean {
  return t.kind === "quoted" || (t.kind === "word" && !RESERVED.has(t.value.toUpperCase()));
}

/** One identifier part: a word or a "quoted" identifier. */
function identifier(what: string): SlotReader {
  return ({ tokens }, pos) => {
    const t = tokens[pos];
    if (!isNamePart(t)) return miss(what, pos);
    return hit(identifierValue(t), pos + 1);
  };
}

/** A dotted object name: `A`, `A.B`, `"a".B.C`, as Snowflake resolves it (unquoted upper-cased). */
function objectName(what: string): SlotReader {
  return ({ tokens }, pos) => {
    const parts: string[] = [];
    let i = pos;
    for (;;) {
      const t = tokens[i];
      if (!isNamePart(t)) return miss(what, i);
      parts.push(identifierValue(t));
      i++;
      if (!isPunct(tokens[i], ".")) return hit(parts, i);
      i++;
    }
  };
}

/** Consumes balanced parentheses starting at an opening `(`; returns the index after the `)`. */
function skipParens(tokens: readonly Token[], pos: number): number | null {
  let depth = 0;
  for (let i = pos; i < tokens.length; i++) {
    const t = tokens[i];
    if (t.kind === "eof") return null;
    if (t.kind === "punct" && (t.value === "(" || t.value === "[")) depth++;
    if (t.kind === "punct" && (t.value === ")" || t.value === "]")) {
      depth--;
      if (depth === 0) return i + 1;
    }
  }
  return null;
}

/** A data type as written, upper-cased: `VARIANT`, `NUMBER(38,0)`, `DOUBLE PRECISION`. */
const dataType: SlotReader = ({ text, tokens }, pos) => {
  const first = tokens[pos];
  if (first.kind !== "word") return miss("a data type", pos);
  let value = first.value.toUpperCase();
  let i = pos + 1;
  if ((value === "DOUBLE" && isWord(tokens[i], "PRECISION")) || (value === "CHARACTER" && isWord(tokens[i], "VARYING"))) {
    value += " " + tokens[i].value.toUpperCase();
    i++;
  }
  if (isPunct(tokens[i], "(")) {
    const end = skipParens(tokens, i);
    if (end === null) return miss("')' closing the type's parameters", i);
    value += text.slice(tokens[i].start, tokens[end - 1].end).replace(/\s+/g, "");
    i = end;
  }
  return hit(value, i);
};

/** A string literal: '...' or $$...$$ (both are string constants in Snowflake). */
const stringLiteral: SlotReader = ({ tokens }, pos) => {
  const t = tokens[pos];
  if (t.kind !== "string" && t.kind !== "dollar") return miss("a string literal", pos);
  return hit(t.value, pos + 1);
};

const integer: SlotReader = ({ tokens }, pos) => {
  const t = tokens[pos];
  if (t.kind !== "number" || !/^\d+$/.test(t.value)) return miss("an integer", pos);
  return hit(Number(t.value), pos + 1);
};

/** An integer that may be negative (a sequence counting down): `-1`, `10`. */
const signedInteger: SlotReader = (input, pos) => {
  const t = input.tokens[pos];
  if (t.kind === "punct" && t.value === "-") {
    const next = integer(input, pos + 1);
    return next.ok ? hit(-(next.value as number), next.next) : miss("an integer", pos);
  }
  return integer(input, pos);
};

export interface BodyValue {
  readonly body: string;
  /** Offset of the body's first character in the statement text. */
  readonly offset: number;
  readonly delimited: boolean;
}

/**
 * A procedure body: a string literal or $$...$$, or (Snowflake Scripting only) a block written
 * without delimiters, which runs to the end of the statement.
 */
const procedureDefinition: SlotReader = ({ text, tokens }, pos) => {
  const t = tokens[pos];
  if (t.kind === "dollar") return hit({ body: t.value, offset: t.start + 2, delimited: true } satisfies BodyValue, pos + 1);
  if (t.kind === "string") return hit({ body: t.value, offset: t.start + 1, delimited: true } satisfies BodyValue, pos + 1);
  if (isWord(t, "DECLARE") || isWord(t, "BEGIN")) {
    const end = tokens.length - 1;
    return hit({ body: text.slice(t.start, tokens[end - 1].end), offset: t.start, delimited: false } satisfies BodyValue, end);
  }
  return miss("the procedure body ($$...$$, a string literal, or a DECLARE/BEGIN block)", pos);
};

export interface RestValue {
  readonly text: string;
  readonly offset: number;
}

/** Everything to the end of the statement: a task's statement, a view's query. */
function rest(what: string, firstWords?: readonly string[]): SlotReader {
  return ({ text, tokens }, pos) => {
    const t = tokens[pos];
    if (t.kind === "eof") return miss(what, pos);
    if (firstWords !== undefined && !firstWords.some((w) => isWord(t, w)) && !isPunct(t, "(")) return miss(what, pos);
    const end = tokens.length - 1;
    return hit({ text: text.slice(t.start, tokens[end - 1].end), offset: t.start } satisfies RestValue, end);
  };
}

/**
 * An expression, read as balanced tokens up to a `,` or `)` at depth zero, or one of the stop
 * keywords (what may follow it in the form). Its text is kept; the table engine parses it.
 */
function expression(stopWords: readonly string[] = []): SlotReader {
  return ({ text, tokens }, pos) => {
    let depth = 0;
    let i = pos;
    for (; i < tokens.length; i++) {
      const t = tokens[i];
      if (t.kind === "eof") break;
      if (t.kind === "punct" && (t.value === "(" || t.value === "[")) depth++;
      else if (t.kind === "punct" && (t.value === ")" || t.value === "]")) {
        if (depth === 0) break;
        depth--;
      } else if (depth === 0 && t.kind === "punct" && t.value === ",") break;
      else if (depth === 0 && t.kind === "word" && stopWords.includes(t.value.toUpperCase())) break;
    }
    if (i === pos) return miss("an expression", pos);
    return hit(text.slice(tokens[pos].start, tokens[i - 1].end), i);
  };
}

/** The inside of `( ... )`, as written: stage and table option lists. */
const parenthesizedOptions: SlotReader = ({ text, tokens }, pos) => {
  let depth = 0;
  let i = pos;
  for (; i < tokens.length; i++) {
    const t = tokens[i];
    if (t.kind === "eof") return miss("')'", i);
    if (t.kind === "punct" && t.value === "(") depth++;
    if (t.kind === "punct" && t.value === ")") {
      if (depth === 0) break;
      depth--;
    }
  }
  return hit(i === pos ? "" : text.slice(tokens[pos].start, tokens[i - 1].end), i);
};

/** Words that end a privilege: what follows a privilege list in GRANT and REVOKE. */
const PRIVILEGE_STOP = new Set(["ON", "TO", "FROM"]);

/** One privilege: one or more words, e.g. `USAGE`, `EXECUTE TASK`, `CREATE MATERIALIZED VIEW`. */
const privilege: SlotReader = ({ tokens }, pos) => {
  const words: string[] = [];
  let i = pos;
  while (tokens[i].kind === "word" && !PRIVILEGE_STOP.has(tokens[i].value.toUpperCase())) {
    words.push(tokens[i].value.toUpperCase());
    i++;
  }
  if (words.length === 0) return miss("a privilege", pos);
  return hit(words.join(" "), i);
};

/** Object types a privilege can be granted on by name, longest first so two-word types win. */
export const OBJECT_TYPES = [
  "APPLICATION PACKAGE",
  "EXTERNAL TABLE",
  "MATERIALIZED VIEW",
  "DYNAMIC TABLE",
  "EVENT TABLE",
  "FILE FORMAT",
  "DATABASE",
  "TABLE",
  "VIEW",
  "STAGE",
  "TASK",
  "STREAM",
  "SEQUENCE",
  "WAREHOUSE",
  "INTEGRATION",
  "SECRET",
  "APPLICATION",
] as const;

const objectType: SlotReader = ({ tokens }, pos) => {
  for (const type of OBJECT_TYPES) {
    const words = type.split(" ");
    if (words.every((w, k) => isWord(tokens[pos + k], w))) return hit(type, pos + words.length);
  }
  return miss("an object type (TABLE, VIEW, STAGE, ...)", pos);
};

/**
 * A stage location: `@stage`, `@db.schema.stage/path/`, or the same quoted. The lexer splits
 * an unquoted location into tokens; the raw text runs to the next whitespace.
 */
const stageLocation: SlotReader = ({ text, tokens }, pos) => {
  const t = tokens[pos];
  if (t.kind === "string") return t.value.startsWith("@") ? hit(t.value, pos + 1) : miss("a stage location ('@stage/path')", pos);
  if (!isPunct(t, "@")) return miss("a stage location (@stage/path)", pos);
  let end = t.start + 1;
  while (end < text.length && !/[\s;]/.test(text[end])) end++;
  let i = pos;
  while (tokens[i].kind !== "eof" && tokens[i].start < end) i++;
  return hit(text.slice(t.start, end), i);
};

/** A local file for PUT: file:///path, quoted or not. */
const localFile: SlotReader = ({ tokens }, pos) => {
  const t = tokens[pos];
  if ((t.kind === "word" || t.kind === "string") && /^file:\/\//i.test(t.value)) return hit(t.value.replace(/^file:\/\//i, ""), pos + 1);
  return miss("a local file (file:///path)", pos);
};

/** Every slot a form may use. A form naming another slot is a bug caught when the forms load. */
export const SLOTS: Readonly<Record<string, SlotReader>> = {
  name: objectName("a name"),
  package_name: objectName("an application package name"),
  schema_name: objectName("a schema name"),
  db_name: objectName("a database name"),
  database_name: objectName("a database name"),
  role_name: objectName("a role name"),
  parent_role_name: objectName("a role name"),
  application_role: objectName("an application role name"),
  application_name: objectName("an application name"),
  application_package_name: objectName("an application package name"),
  user_name: objectName("a user name"),
  object_name: objectName("an object name"),
  procedure_name: objectName("a procedure name"),
  warehouse_name: objectName("a warehouse name"),
  integration_name: objectName("an integration name"),
  secret_name: objectName("a secret name"),
  source_stream: objectName("a stream name"),
  arg_name: identifier("an argument name"),
  col_name: identifier("a column name"),
  version_identifier: identifier("a version identifier"),
  arg_data_type: dataType,
  result_data_type: dataType,
  col_type: dataType,
  string_literal: stringLiteral,
  integer: integer,
  patch_num: integer,
  patch_number: integer,
  initial_value: signedInteger,
  sequence_interval: signedInteger,
  rows: integer,
  procedure_definition: procedureDefinition,
  sql: rest("the task's SQL statement"),
  select_statement: rest("a query (SELECT ...)", ["SELECT", "WITH"]),
  default_value: expression(),
  expr: expression(["NOT", "NULL", "PRIMARY", "UNIQUE", "COMMENT", "COLLATE", "CONSTRAINT", "DEFAULT"]),
  arg: expression(),
  value: expression(),
  boolean_expr: expression(["AS"]),
  options: parenthesizedOptions,
  privilege: privilege,
  object_type: objectType,
  internal_stage: stageLocation,
  path_to_version_directory: (input, pos) => {
    const t = input.tokens[pos];
    return t.kind === "string" ? hit(t.value, pos + 1) : stageLocation(input, pos);
  },
  absolute_file_path: stageLocation,
  file_path: localFile,
  key: identifier("a template variable name"),
};

/** A procedure body given as a string literal or $$...$$: the JavaScript and handler forms. */
const delimitedBody: SlotReader = ({ tokens }, pos) => {
  const t = tokens[pos];
  if (t.kind === "dollar") return hit({ body: t.value, offset: t.start + 2, delimited: true } satisfies BodyValue, pos + 1);
  if (t.kind === "string") return hit({ body: t.value, offset: t.start + 1, delimited: true } satisfies BodyValue, pos + 1);
  return miss("the procedure body as $$...$$ or a string literal", pos);
};

/** Reads a quoted slot `'<x>'`: a string literal, or for a procedure body its text and offset. */
export function quotedSlot(slot: string): SlotReader {
  return slot === "procedure_definition" ? delimitedBody : stringLiteral;
}
