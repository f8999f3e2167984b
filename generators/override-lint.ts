/**
 * Lints an override file (a user's SQL file that replaces one of floe's procedures) for
 * statements that render and install fine but break the app's safety. It runs wherever the model
 * is built, so `floe render`, `floe plan` and the Pulumi components see the same findings.
 *
 * Refused (errors, with file:line:col), because nothing can make them right:
 * - a DROP of the STATE schema or of an object in it, and a `CREATE OR REPLACE` of either: the
 *   setup script runs again at every upgrade, so the statement would wipe the connector's status
 *   and configuration on each upgrade.
 *
 * Warned (`file:line: ...` in the render's warnings, which `floe render` prints and `floe plan`
 * reports), because a reviewer must decide:
 * - a GRANT on an internal hook procedure (`*_VALIDATE`, `*_INTERNAL`, `TEST_CONNECTION`,
 *   `VALIDATE_SOURCE`) to an application role: the lifecycle calls these between its status
 *   checks, and a consumer who can call one directly skips them. A grant is a visible, reviewable
 *   change (the plan lists it under grants, and `--fail-on grants` gates it), and a support role
 *   may be given one on purpose, so it is flagged rather than refused;
 * - `TRUNCATE` of a STATE table and `DELETE FROM` one: a migration may mean it, but it runs at
 *   every upgrade.
 *
 * Other checks of override files (the one procedure they must create, its signature) live in
 * model.ts; this module only adds the lint, so that further rules stay in one place.
 */
import type { Token } from "../sql/lexer";
import type { CatalogStatement } from "../sql/statements";
import { locate, type SourceDiagnostic } from "../errors";
import { PROCEDURES } from "./procedures";

/** The schema that holds the connector's state tables (sql-templates/core.sql). */
export const STATE_SCHEMA = "STATE";

/** One statement of an override file, as model.ts reads it. */
export interface OverrideStatement {
  readonly text: string;
  /** Offset of the statement in the file. */
  readonly start: number;
  readonly tokens: readonly Token[];
  readonly statement: CatalogStatement | null;
}

export interface OverrideLint {
  readonly errors: readonly SourceDiagnostic[];
  /** `file:line: message`. */
  readonly warnings: readonly string[];
}

/** Procedures that only the lifecycle may call: floe's hook procedures, and the SDK's internal callbacks by name. */
export function isInternalProcedure(name: string): boolean {
  const upper = name.toUpperCase();
  if (/_(VALIDATE|INTERNAL)$/.test(upper) || upper === "TEST_CONNECTION" || upper === "VALIDATE_SOURCE") return true;
  return PROCEDURES.some((p) => p.name === upper && p.grants.length === 0);
}

/** An identifier token as Snowflake resolves it: unquoted words upper-cased, quoted kept. */
function identifier(token: Token | undefined): string | undefined {
  if (token === undefined) return undefined;
  if (token.kind === "word") return token.value.toUpperCase();
  if (token.kind === "quoted") return token.value;
  return undefined;
}

/** Reads a dotted name starting at token `i`; returns its parts and the index after it. */
function readName(tokens: readonly Token[], i: number): { parts: string[]; next: number } {
  const parts: string[] = [];
  let at = i;
  for (;;) {
    const part = identifier(tokens[at]);
    if (part === undefined) break;
    parts.push(part);
    at++;
    if (tokens[at]?.kind === "punct" && tokens[at].value === ".") at++;
    else break;
  }
  return { parts, next: at };
}

function words(tokens: readonly Token[], from: number, count: number): string[] {
  return tokens.slice(from, from + count).map((t) => (t.kind === "word" ? t.value.toUpperCase() : `\u0000${t.value}`));
}

/** Does a name (`STATE.APP_STATE`, `APP.STATE.APP_STATE`) lie in the STATE schema? */
function inStateSchema(parts: readonly string[]): boolean {
  return parts.length >= 2 && parts[parts.length - 2] === STATE_SCHEMA;
}

const OBJECT_WORDS = new Set(["TABLE", "VIEW", "SCHEMA", "SEQUENCE", "STAGE", "TASK", "STREAM", "PROCEDURE", "FUNCTION", "DYNAMIC", "MATERIALIZED", "SECURE", "TRANSIENT", "TEMPORARY", "EXTERNAL", "HYBRID", "ICEBERG", "EVENT", "FILE", "FORMAT"]);

/**
 * What a DROP / CREATE OR REPLACE statement removes, when it is the STATE schema or an object in
 * it: `SCHEMA STATE`, `TABLE STATE.APP_STATE`. Undefined otherwise.
 */
function stateTarget(tokens: readonly Token[], from: number): string | undefined {
  let i = from;
  const kind: string[] = [];
  while (tokens[i]?.kind === "word" && OBJECT_WORDS.has(tokens[i].value.toUpperCase())) kind.push(tokens[i++].value.toUpperCase());
  if (kind.length === 0) return undefined;
  if (words(tokens, i, 2).join(" ") === "IF EXISTS" || words(tokens, i, 3).join(" ") === "IF NOT EXISTS") i += words(tokens, i, 2)[1] === "NOT" ? 3 : 2;
  const { parts } = readName(tokens, i);
  const object = kind[kind.length - 1];
  if (object === "SCHEMA" && parts[parts.length - 1] === STATE_SCHEMA) return `SCHEMA ${parts.join(".")}`;
  if (object !== "SCHEMA" && inStateSchema(parts)) return `${kind.join(" ")} ${parts.join(".")}`;
  return undefined;
}

/** Lints the statements of one override file; see the header for the rules. */
export function lintOverride(file: string, content: string, statements: readonly OverrideStatement[], shown: string): OverrideLint {
  const errors: SourceDiagnostic[] = [];
  const warnings: string[] = [];
  const at = (s: OverrideStatement, message: string) => locate(file, content, s.start, message);
  const warn = (s: OverrideStatement, message: string) => warnings.push(`${shown}:${at(s, "").line}: ${message}`);
  for (const s of statements) {
    const parsed = s.statement;
    if (parsed?.kind === "grant" && parsed.on.kind === "PROCEDURE" && "name" in parsed.on) {
      const name = parsed.on.name[parsed.on.name.length - 1];
      if (isInternalProcedure(name) && parsed.to.kind === "APPLICATION ROLE") {
        warn(
          s,
          `grants the internal procedure ${parsed.on.name.join(".")} to application role ${parsed.to.name.join(".")}; ` +
            "only the lifecycle should call it, between its status checks, and a consumer calling it directly skips them. Remove the grant unless that role must bypass the lifecycle.",
        );
      }
      continue;
    }
    const t = s.tokens;
    const first = words(t, 0, 4);
    if (first[0] === "DROP") {
      const target = stateTarget(t, 1);
      if (target !== undefined) {
        errors.push(at(s, `this drops ${target}, the connector's state; setup.sql runs again at every upgrade, so it would wipe the status and configuration each time. Remove it.`));
      }
    } else if (first[0] === "CREATE" && first[1] === "OR" && first[2] === "REPLACE") {
      const target = stateTarget(t, 3);
      if (target !== undefined) {
        errors.push(at(s, `this replaces ${target}, the connector's state, with an empty one at every upgrade (setup.sql runs again each time). Use CREATE ... IF NOT EXISTS.`));
      }
    } else if (first[0] === "TRUNCATE") {
      const { parts } = readName(t, first[1] === "TABLE" ? (first[2] === "IF" ? 4 : 2) : 1);
      if (inStateSchema(parts)) warn(s, `TRUNCATE of ${parts.join(".")} empties the connector's state at every upgrade (setup.sql runs again each time).`);
    } else if (first[0] === "DELETE" && first[1] === "FROM") {
      const { parts } = readName(t, 2);
      if (inStateSchema(parts)) warn(s, `DELETE FROM ${parts.join(".")} changes the connector's state at every upgrade (setup.sql runs again each time); make sure that is meant.`);
    }
  }
  return { errors, warnings };
}
