/**
 * The strict reader for the Snowflake statements that are not table statements: application
 * packages and applications, roles, grants, schemas, stages, procedures, tasks, scripts.
 *
 * Every statement is read against a documented form (`grammar/forms.ts`): Snowflake's clause
 * set, in Snowflake's clause order. A statement that starts like one of these forms but does
 * not follow it is an SqlReadError that quotes the documented form and its reference page.
 * `readStatement` returns null for statements of no form here (SELECT, INSERT, ...) and for
 * well-formed table DDL (CREATE TABLE/VIEW, DROP TABLE/VIEW), which the table engine reads.
 *
 * The renderers use it as the checker for the shapes the general SQL parser lacks, the plan
 * uses it to read grants back out of SQL files, and the sandbox dispatches on it.
 *
 * sql/ holds floe's reading of Snowflake SQL: the lexer, the grammar of documented statement
 * forms, this reader and the Snowflake Scripting block reader, shared by the renderers, the plan
 * and the sandbox. May import: errors.
 */
import { readFormStatement } from "./grammar/forms";
import { tokenize, type Token } from "./lexer";

export type Name = readonly string[];

export interface ProcedureArgument {
  readonly name: string;
  readonly type: string;
}

export type GrantTarget =
  | { readonly kind: "APPLICATION ROLE"; readonly name: Name }
  | { readonly kind: "ROLE"; readonly name: Name }
  | { readonly kind: "APPLICATION"; readonly name: Name }
  | { readonly kind: "USER"; readonly name: Name };

export type GrantObject =
  | { readonly kind: "ACCOUNT" }
  | { readonly kind: string; readonly name: Name; readonly signature?: readonly string[] };

export type ExecuteAs = "OWNER" | "CALLER" | "RESTRICTED CALLER";

/**
 * Every statement may carry `extras`: documented clauses it uses that floe reads but does not
 * represent (COPY GRANTS, WITH GRANT OPTION, STARTS WITH, ...). A real account honours them;
 * the sandbox refuses a statement that has any, rather than ignore them.
 */
interface Common {
  readonly extras?: readonly string[];
}

export type CatalogStatement = Common &
  (
    | { readonly kind: "create_database"; readonly name: Name; readonly orReplace: boolean; readonly ifNotExists: boolean }
    | {
        readonly kind: "create_schema";
        readonly name: Name;
        readonly orReplace: boolean;
        readonly ifNotExists: boolean;
        readonly orAlterVersioned: boolean;
      }
    | {
        readonly kind: "create_stage";
        readonly name: Name;
        readonly orReplace: boolean;
        readonly ifNotExists: boolean;
        readonly options: Readonly<Record<string, string>>;
      }
    | { readonly kind: "create_application_role"; readonly name: Name; readonly orReplace: boolean; readonly ifNotExists: boolean }
    | {
        readonly kind: "create_role";
        readonly name: Name;
        readonly orReplace: boolean;
        readonly ifNotExists: boolean;
        readonly options: Readonly<Record<string, string>>;
      }
    | {
        readonly kind: "create_application_package";
        readonly name: Name;
        readonly orReplace: boolean;
        readonly ifNotExists: boolean;
        readonly options: Readonly<Record<string, string>>;
      }
    | {
        readonly kind: "create_application";
        readonly name: Name;
        readonly ifNotExists: boolean;
        readonly fromPackage: Name;
        readonly version?: string;
        readonly patch?: number;
      }
    | {
        readonly kind: "alter_application_package";
        readonly name: Name;
        readonly action: "add_version" | "add_patch" | "drop_version" | "set";
        readonly version: string;
        readonly using?: string;
        readonly label?: string;
        /** `set`: the options given, e.g. COMMENT, DISTRIBUTION. */
        readonly options?: Readonly<Record<string, string>>;
      }
    | { readonly kind: "alter_application_upgrade"; readonly name: Name; readonly version?: string; readonly patch?: number }
    | {
        readonly kind: "create_procedure";
        readonly name: Name;
        readonly orReplace: boolean;
        readonly ifNotExists: boolean;
        readonly args: readonly ProcedureArgument[];
        readonly returns: string;
        readonly language: string;
        readonly executeAs: ExecuteAs;
        readonly comment?: string;
        /** Names of the handler options given, e.g. RUNTIME_VERSION, HANDLER (Java, Python, Scala). */
        readonly options: readonly string[];
        readonly body: string;
        /** Offset of the body's first character in the statement text. */
        readonly bodyOffset: number;
        /** False for a Snowflake Scripting block written without $$ or quotes. */
        readonly delimited: boolean;
      }
    | {
        readonly kind: "create_task";
        readonly name: Name;
        readonly orReplace: boolean;
        readonly ifNotExists: boolean;
        readonly options: Readonly<Record<string, string>>;
        readonly body: string;
      }
    | { readonly kind: "alter_task"; readonly name: Name; readonly ifExists: boolean; readonly action: "RESUME" | "SUSPEND" }
    | {
        readonly kind: "create_stream";
        readonly name: Name;
        readonly orReplace: boolean;
        readonly ifNotExists: boolean;
        /** What the stream records: changes to a table or view, or a clone of another stream's offset. */
        readonly source: { readonly kind: "TABLE" | "VIEW" | "CLONE"; readonly name: Name };
      }
    | {
        readonly kind: "create_sequence";
        readonly name: Name;
        readonly orReplace: boolean;
        readonly ifNotExists: boolean;
        readonly start?: number;
        readonly increment?: number;
      }
    | {
        readonly kind: "grant" | "revoke";
        readonly privileges: readonly string[];
        readonly on: GrantObject;
        readonly to: GrantTarget;
      }
    | { readonly kind: "grant_application_role" | "revoke_application_role"; readonly role: Name; readonly to: GrantTarget }
    | { readonly kind: "execute_immediate_from"; readonly path: string }
    | { readonly kind: "call"; readonly name: Name; readonly args: readonly string[] }
    | { readonly kind: "put"; readonly localPath: string; readonly stage: string; readonly options: Readonly<Record<string, string>> }
    | { readonly kind: "list"; readonly stage: string }
    | { readonly kind: "remove"; readonly stage: string }
    | { readonly kind: "use"; readonly object: "DATABASE" | "SCHEMA" | "ROLE" | "WAREHOUSE"; readonly name: Name }
    | { readonly kind: "drop"; readonly object: string; readonly name: Name; readonly ifExists: boolean; readonly signature?: readonly string[] }
    | {
        readonly kind: "show";
        readonly what: string;
        readonly like?: string;
        /** `IN x`, `TO x` or `OF x` (SHOW GRANTS TO ROLE r lists r's privileges, OF ROLE r who holds r). */
        readonly in?: { readonly object: string; readonly name: Name; readonly preposition: "IN" | "TO" | "OF" };
      }
    /** An anonymous Snowflake Scripting block (DECLARE ... BEGIN ... END, BEGIN ... END). */
    | { readonly kind: "block"; readonly body: string }
  );

/**
 * Reads one statement. Returns null when the statement is of none of the catalog forms (the
 * caller hands it to a table engine or an SQL parser); throws SqlReadError when it starts like
 * one of them but breaks its documented grammar.
 */
export function readStatement(text: string, tokens: readonly Token[] = tokenize(text)): CatalogStatement | null {
  return readFormStatement(text, tokens);
}
