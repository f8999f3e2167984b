/**
 * What a failed Snowflake statement means to the user: the facade's error classifier.
 *
 * `002003` (does not exist or not authorized), `003001` (insufficient privileges), `002002`
 * (already exists) and the login refusals are the user's to fix, and the message says how;
 * anything else is reported with Snowflake's code, SQL state and message. Every message is
 * redacted of the connection's secrets.
 *
 * SERIALIZATION RULE (see facade.ts): captured by value into the dynamic providers.
 */
import { redactText } from "../errors/redact";

/** What went wrong, as far as the user can act on it. */
export type SnowflakeErrorKind = "not_found" | "insufficient_privileges" | "already_exists" | "login" | "unexpected";

/** A failed statement, with a message that says what to do. Never carries a secret. */
export interface SnowflakeFacadeError extends Error {
  readonly name: "SnowflakeFacadeError";
  readonly kind: SnowflakeErrorKind;
  /** Snowflake's error code, six digits (`002003`), or the driver's code. */
  readonly code: string | undefined;
  readonly sqlState: string | undefined;
}

/**
 * Makes a {@link SnowflakeFacadeError}. A plain Error with fields, not a subclass: Pulumi's
 * closure serialization rewrites `super(message)` to `Error.call(this, message)`, which leaves
 * the message of a serialized subclass empty in the provider process (tested).
 */
export function facadeError(kind: SnowflakeErrorKind, message: string, code: string | undefined, sqlState: string | undefined): SnowflakeFacadeError {
  const error = new Error(message) as Error & { name: string; kind: SnowflakeErrorKind; code: string | undefined; sqlState: string | undefined };
  error.name = "SnowflakeFacadeError";
  error.kind = kind;
  error.code = code;
  error.sqlState = sqlState;
  return error as SnowflakeFacadeError;
}

export function isFacadeError(error: unknown): error is SnowflakeFacadeError {
  return error instanceof Error && error.name === "SnowflakeFacadeError" && typeof (error as { kind?: unknown }).kind === "string";
}

/** A facade error of the given kind (deletes treat "not_found" as already done). */
export function isErrorKind(error: unknown, kind: SnowflakeErrorKind): boolean {
  return (error as { kind?: unknown } | null)?.kind === kind;
}

/** Snowflake's error codes that floe tells apart. */
const ERROR_CODES: Readonly<Record<string, SnowflakeErrorKind>> = {
  "002003": "not_found",
  "002043": "not_found",
  "003001": "insufficient_privileges",
  "002002": "already_exists",
  "390100": "login",
  "390144": "login",
  "390318": "login",
};

/** What a statement was doing, for the error message, and what the role needs for it. */
export interface Operation {
  /** `creating application package EXAMPLE_PKG` */
  readonly what: string;
  /** `CREATE APPLICATION PACKAGE ON ACCOUNT`: shown when the role lacks a privilege. */
  readonly needs: string;
  /** The argument that names the object, shown when it already exists: `[packageName]`. */
  readonly argument?: string;
}

export interface FacadeContext {
  /** The session's role, named in privilege errors. */
  readonly role?: string;
  /** Values that must never appear in an error message. */
  readonly secrets?: readonly (string | undefined)[];
}

/** Snowflake's code of a driver error, six digits (`2003` → `002003`), or the driver's own code. */
export function errorCode(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === "number" || (typeof code === "string" && /^\d+$/.test(code))) return String(code).padStart(6, "0");
  return typeof code === "string" ? code : undefined;
}

/** Classifies a driver error into a {@link SnowflakeFacadeError} whose message says what to do. */
export function classifyError(error: unknown, operation: Operation, context: FacadeContext): SnowflakeFacadeError {
  const code = errorCode(error);
  const sqlState = (error as { sqlState?: unknown } | null)?.sqlState;
  const state = typeof sqlState === "string" ? sqlState : undefined;
  const secrets = context.secrets ?? [];
  // Redact the driver's text first, then collapse it: collapsing first changes a secret that
  // holds two spaces, a tab or a newline, so that it no longer matches itself.
  const original = redactText(error instanceof Error ? error.message : String(error), secrets);
  const said = original.replace(/\s+/g, " ").trim();
  const role = context.role === undefined ? "the session's role" : `role ${context.role}`;
  const kind: SnowflakeErrorKind = (code !== undefined ? ERROR_CODES[code] : undefined) ?? "unexpected";
  const messages: Record<SnowflakeErrorKind, () => string> = {
    not_found: () =>
      `${operation.what} failed: an object it uses does not exist, or ${role} is not allowed to see it (Snowflake ${code}: ${said}). ` +
      `Check the names, and that ${role} owns the object or was granted access to it.`,
    insufficient_privileges: () =>
      `${operation.what} failed: ${role} lacks a privilege (Snowflake ${code}: ${said}). ` +
      `It needs ${operation.needs}: grant it to ${role}, or set snowflake:role to a role that has it.`,
    already_exists: () =>
      `${operation.what} failed: the object already exists (Snowflake ${code}: ${said}). ` +
      `floe does not take over existing objects silently: drop it, or choose another name${operation.argument === undefined ? "" : ` with ${operation.argument}`}.`,
    login: () =>
      `${operation.what} failed: Snowflake refused the login (${code}: ${said}). ` +
      `Check snowflake:account, snowflake:user and the private key or password (or the connection in connections.toml).`,
    unexpected: () =>
      `${operation.what} failed with Snowflake error ${code ?? "(no code)"}${state === undefined ? "" : ` (SQL state ${state})`}: ${said}`,
  };
  return facadeError(kind, redactText(messages[kind](), secrets), code, state);
}
