/**
 * The runner of a user hook inside its procedure. Kept apart from procedures.ts, which reaches
 * every lifecycle module: a hook procedure's body is bundled from this module and the hook API
 * only, so it carries (and the bundler reads) none of the lifecycle's state machine or SQL.
 * Compiled into the stored procedures: synchronous, no Node APIs.
 */
import { createHookContext, type HookContext } from "./hook-api";
import { okResponse, type ConnectorResponse } from "./responses";
import type { SnowflakeApi } from "./snowflake-api";

/** A hook as runHook calls it: the context, then the procedure's arguments (a configuration object). */
type AnyHook = (ctx: HookContext, ...args: unknown[]) => unknown;

/**
 * Runs one user hook (or answers OK when it was left out), passing the procedure's arguments
 * after the context. An exception inside the hook propagates: Snowflake reports it as the
 * procedure's error, which the calling handler classifies, as it does an answer of the wrong shape.
 */
export function runHook(snowflake: SnowflakeApi, hooks: object, step: string, args?: readonly unknown[]): ConnectorResponse {
  const hook = (hooks as Record<string, AnyHook | undefined>)[step];
  if (hook === undefined) return okResponse();
  const callArgs: [HookContext, ...unknown[]] = [createHookContext(snowflake)];
  if (args !== undefined) for (let i = 0; i < args.length; i++) callArgs.push(args[i]);
  // The answer goes back as is: the calling handler checks its shape and reports a bad one.
  return hook.apply(hooks, callArgs) as ConnectorResponse;
}
