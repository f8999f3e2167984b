/**
 * Where a statement of the sandbox runs: a driver session (its user, role and current
 * database), a setup script, or a procedure body; and the records the sandbox keeps of the
 * procedure calls it ran.
 */
import type { Catalog, DatabaseEntry } from "./catalog";
import type { TraceEvent } from "./javascript";
import type { LoginRequest } from "./protocol/backend";
import { SnowflakeError, type BindValue } from "./types";

export interface Session {
  readonly id: number;
  readonly user: string;
  role: string;
  database?: string;
  schema?: string;
  warehouse?: string;
}

export interface StatementRecord {
  readonly sql: string;
  readonly binds: readonly BindValue[];
  /** The trace events the procedure added just before this statement (`snowflake.addEvent`); absent when none. */
  readonly events?: readonly TraceEvent[];
}

/** One procedure call and the statements its body issued itself (not those of procedures it called). */
export interface CallRecord {
  readonly procedure: string;
  readonly depth: number;
  readonly statements: StatementRecord[];
  /** What the procedure returned; unset when it failed. */
  answer?: unknown;
  /** The error it failed with. */
  error?: string;
}

/** Where a statement runs: a session, a setup script, or a procedure body. */
export interface Context {
  readonly session?: Session;
  database?: string;
  schema?: string;
  /** Set inside an application: its setup script and its procedures. */
  readonly application?: DatabaseEntry;
  /** Set while a setup script runs: the version's files, for EXECUTE IMMEDIATE FROM. */
  readonly setup?: { readonly files: ReadonlyMap<string, string>; readonly directory: string };
  readonly depth: number;
  /** Statements this context issued, when it is a procedure call being recorded. */
  readonly log?: StatementRecord[];
  /** The procedure whose body issues the statements (`SCHEMA.NAME`). */
  readonly procedure?: string;
}

/** A statement as it is run and recorded: trimmed, without its final `;`. */
export function statementText(sqlText: string): string {
  return sqlText.trim().replace(/;\s*$/, "");
}

/** Opens driver sessions: the login's role must exist in the catalog; names are upper-cased as Snowflake resolves them. */
export class Sessions {
  private opened = 0;

  constructor(private readonly catalog: Catalog) {}

  login(request: LoginRequest): Session {
    const role = (request.role ?? "ACCOUNTADMIN").toUpperCase();
    if (!this.catalog.roles.has(role)) {
      throw new SnowflakeError(
        "390189",
        "08004",
        `Role '${role}' specified in the connect string does not exist or not authorized. Contact your local system administrator, or attempt to login with another role, e.g. PUBLIC.`,
      );
    }
    const session: Session = { id: ++this.opened, user: request.user.toUpperCase(), role };
    if (request.database !== undefined) session.database = request.database.toUpperCase();
    if (request.schema !== undefined) session.schema = request.schema.toUpperCase();
    if (request.warehouse !== undefined) session.warehouse = request.warehouse.toUpperCase();
    return session;
  }
}
