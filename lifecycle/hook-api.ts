/**
 * The hook API: what a hooks file imports from "floe".
 *
 * ```ts
 * import { defineResumeHooks, ok, error } from "floe";
 *
 * export default defineResumeHooks({
 *   validate(ctx) {
 *     const rows = ctx.sql<{ N: number }>("SELECT COUNT(*) AS N FROM STATE.APP_CONFIG WHERE KEY = ?", ["warehouse"]);
 *     return rows[0].N > 0 ? ok() : error("WAREHOUSE_MISSING", "Configure a warehouse before resuming.");
 *   },
 * });
 * ```
 * `floe render` turns `validate` into `PUBLIC.RESUME_CONNECTOR_VALIDATE()` and `internal` into
 * `PUBLIC.RESUME_CONNECTOR_INTERNAL()`. The answer builders below are compiled into those
 * procedures together with the hook, so they must stay synchronous and free of Node APIs.
 */
import { snowflakeRunner, type SnowflakeApi } from "./snowflake-api";

/** A value that can be bound to a `?` placeholder. */
export type SqlBind = string | number | boolean | null;

/** What a hook receives. */
export interface HookContext {
  /**
   * Runs one statement synchronously and returns its rows as objects keyed by the column names
   * Snowflake reports (upper case unless quoted in the query).
   */
  sql<Row extends object = Record<string, unknown>>(text: string, binds?: readonly SqlBind[]): Row[];
}

/** The `{response_code, message}` answer of a hook. */
export interface HookAnswer {
  readonly response_code: string;
  readonly message?: string;
}

export type Hook = (ctx: HookContext) => HookAnswer;

/** The two customisable steps of a lifecycle change. A missing hook answers OK. */
export interface LifecycleHooks {
  /** State validation: a non-OK answer stops the change and is returned to the caller unchanged. */
  validate?(ctx: HookContext): HookAnswer;
  /** Internal callback: OK continues, `rollback(...)` undoes the change, anything else is an error. */
  internal?(ctx: HookContext): HookAnswer;
}

export interface ResumeHooks extends LifecycleHooks {
  readonly kind: "resume";
}

export interface PauseHooks extends LifecycleHooks {
  readonly kind: "pause";
}

/** Declares the hooks of RESUME_CONNECTOR (`RESUME_CONNECTOR_VALIDATE` / `RESUME_CONNECTOR_INTERNAL`). */
export function defineResumeHooks(hooks: LifecycleHooks): ResumeHooks {
  return { ...hooks, kind: "resume" };
}

/** Declares the hooks of PAUSE_CONNECTOR (`PAUSE_CONNECTOR_VALIDATE` / `PAUSE_CONNECTOR_INTERNAL`). */
export function definePauseHooks(hooks: LifecycleHooks): PauseHooks {
  return { ...hooks, kind: "pause" };
}

/** `{"response_code": "OK"}`, with a message if given. */
export function ok(message?: string): HookAnswer {
  return message === undefined ? { response_code: "OK" } : { response_code: "OK", message: message };
}

/** A failure with a code of your own, e.g. `error("WAREHOUSE_MISSING", "Configure a warehouse first.")`. */
export function error(code: string, message: string): HookAnswer {
  return { response_code: code, message: message };
}

/** From an internal callback: the work was undone, restore the previous status. */
export function rollback(message: string): HookAnswer {
  return { response_code: "ROLLBACK", message: message };
}

/** The context a rendered hook procedure passes to the hook: `ctx.sql` over `snowflake`. */
export function createHookContext(snowflake: SnowflakeApi): HookContext {
  const runner = snowflakeRunner(snowflake);
  return {
    sql<Row extends object>(text: string, binds?: readonly SqlBind[]): Row[] {
      return runner.query(text, binds) as unknown as Row[];
    },
  };
}
