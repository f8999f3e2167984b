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
 * `PUBLIC.RESUME_CONNECTOR_INTERNAL()`; the other definers map their hooks the same way (see
 * each one). The answer builders below are compiled into those procedures together with the
 * hook, so they must stay synchronous and free of Node APIs.
 */
import { queryRunner, type SnowflakeApi } from "./snowflake-api";

/** A value that can be bound to a `?` placeholder. */
export type SqlBind = string | number | boolean | null;

/** What a hook receives. */
export interface HookContext {
  /**
   * Runs one statement synchronously and returns its rows as objects keyed by the column names
   * Snowflake reports (upper case unless quoted in the query).
   */
  sql<Row extends object = Record<string, unknown>>(text: string, binds?: readonly SqlBind[]): Row[];
  /**
   * The value stored in STATE.APP_CONFIG under `key` (`connector_configuration`,
   * `connection_configuration`, ...), or null when there is none. One statement.
   */
  readConfig<Value = Readonly<Record<string, unknown>>>(key: string): Value | null;
}

/** The `{response_code, message}` answer of a hook. */
export interface HookAnswer {
  readonly response_code: string;
  readonly message?: string;
}

/**
 * What a connection validator may answer: an OK answer may carry `config`, the connection
 * configuration to save instead of the one given (the SDK reads the same key).
 */
export interface ConnectionValidation<Config extends object = ConfigurationObject> extends HookAnswer {
  readonly config?: Config;
}

export type Hook = (ctx: HookContext) => HookAnswer;

/** A configuration object as a hook receives it: the VARIANT argument, parsed. */
export type ConfigurationObject = Readonly<Record<string, unknown>>;

/**
 * The connector configuration of CONFIGURE_CONNECTOR(CONFIG): only these keys are accepted
 * (any other key is refused before the hooks run), each optional.
 */
export interface ConnectorConfiguration {
  readonly warehouse?: string;
  readonly destination_database?: string;
  readonly destination_schema?: string;
  readonly data_owner_role?: string;
  readonly operational_warehouse?: string;
  readonly global_schedule?: { readonly scheduleType?: string; readonly scheduleDefinition?: string };
  readonly agent_username?: string;
  readonly agent_role?: string;
  readonly cortex_warehouse?: string;
  readonly cortex_user_role?: string;
}

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

/** The hooks of CONFIGURE_CONNECTOR(CONFIG). A missing hook answers OK. */
export interface ConfigureHooks {
  /** Runs before the configuration is saved; a non-OK answer is returned and nothing is saved. */
  validate?(ctx: HookContext, config: ConnectorConfiguration): HookAnswer;
  /** Runs after it is saved; a non-OK answer is returned and the configuration status does not move. */
  internal?(ctx: HookContext, config: ConnectorConfiguration): HookAnswer;
}

/** The hooks of SET_CONNECTION_CONFIGURATION(CONNECTION_CONFIGURATION) and TEST_CONNECTION(). */
export interface ConnectionHooks<Config extends object = ConfigurationObject> {
  /**
   * Runs before the configuration is saved; a non-OK answer is returned and nothing is saved.
   * Answer `okWithConfig(rewritten)` to save a different configuration (a secret's name instead
   * of the secret, say).
   */
  validate?(ctx: HookContext, config: Config): ConnectionValidation<Config>;
  /** Runs after it is saved, with the configuration as saved; a non-OK answer is returned. */
  internal?(ctx: HookContext, config: Config): HookAnswer;
  /**
   * PUBLIC.TEST_CONNECTION(): called last by SET_CONNECTION_CONFIGURATION, whose answer it
   * becomes; only OK moves the configuration status to CONNECTED.
   */
  testConnection?(ctx: HookContext): HookAnswer;
}

/** The hooks of FINALIZE_CONNECTOR_CONFIGURATION(CUSTOM_CONFIGURATION). */
export interface FinalizeHooks<Config extends object = ConfigurationObject> {
  /** FINALIZE_CONNECTOR_CONFIGURATION_VALIDATE: a non-OK answer is returned, nothing changes. */
  validate?(ctx: HookContext, config: Config): HookAnswer;
  /** VALIDATE_SOURCE: checks the source system can be reached; a non-OK answer is returned. */
  validateSource?(ctx: HookContext, config: Config): HookAnswer;
  /**
   * FINALIZE_CONNECTOR_CONFIGURATION_INTERNAL: sets the connector up (tasks, tables...). Its
   * answer is what FINALIZE_CONNECTOR_CONFIGURATION returns; only OK moves the connector to
   * STARTED / FINALIZED.
   */
  internal?(ctx: HookContext, config: Config): HookAnswer;
}

export interface ConfigureHookSet extends ConfigureHooks {
  readonly kind: "configure";
}

export interface ConnectionHookSet<Config extends object = ConfigurationObject> extends ConnectionHooks<Config> {
  readonly kind: "connection";
}

export interface FinalizeHookSet<Config extends object = ConfigurationObject> extends FinalizeHooks<Config> {
  readonly kind: "finalize";
}

/** Declares the hooks of RESUME_CONNECTOR (`RESUME_CONNECTOR_VALIDATE` / `RESUME_CONNECTOR_INTERNAL`). */
export function defineResumeHooks(hooks: LifecycleHooks): ResumeHooks {
  return { ...hooks, kind: "resume" };
}

/** Declares the hooks of PAUSE_CONNECTOR (`PAUSE_CONNECTOR_VALIDATE` / `PAUSE_CONNECTOR_INTERNAL`). */
export function definePauseHooks(hooks: LifecycleHooks): PauseHooks {
  return { ...hooks, kind: "pause" };
}

/**
 * Declares the hooks of CONFIGURE_CONNECTOR: `validate` becomes
 * `PUBLIC.CONFIGURE_CONNECTOR_VALIDATE(CONFIG VARIANT)`, `internal`
 * `PUBLIC.CONFIGURE_CONNECTOR_INTERNAL(CONFIG VARIANT)`.
 *
 * ```ts
 * export const configure = defineConfigureHooks({
 *   validate(ctx, config) {
 *     return config.warehouse === undefined ? error("WAREHOUSE_MISSING", "Name a warehouse.") : ok();
 *   },
 * });
 * ```
 */
export function defineConfigureHooks(hooks: ConfigureHooks): ConfigureHookSet {
  return { ...hooks, kind: "configure" };
}

/**
 * Declares the hooks of SET_CONNECTION_CONFIGURATION: `validate` and `internal` become
 * `PUBLIC.SET_CONNECTION_CONFIGURATION_VALIDATE` / `_INTERNAL(CONNECTION_CONFIGURATION VARIANT)`,
 * `testConnection` becomes `PUBLIC.TEST_CONNECTION()`. Give the configuration's shape as the
 * type argument: `defineConnectionHooks<{ endpoint: string }>({...})`.
 */
export function defineConnectionHooks<Config extends object = ConfigurationObject>(hooks: ConnectionHooks<Config>): ConnectionHookSet<Config> {
  return { ...hooks, kind: "connection" };
}

/**
 * Declares the hooks of FINALIZE_CONNECTOR_CONFIGURATION: `validate` becomes
 * `PUBLIC.FINALIZE_CONNECTOR_CONFIGURATION_VALIDATE`, `validateSource` `PUBLIC.VALIDATE_SOURCE`,
 * `internal` `PUBLIC.FINALIZE_CONNECTOR_CONFIGURATION_INTERNAL`, each `(CUSTOM_CONFIGURATION VARIANT)`.
 */
export function defineFinalizeHooks<Config extends object = ConfigurationObject>(hooks: FinalizeHooks<Config>): FinalizeHookSet<Config> {
  return { ...hooks, kind: "finalize" };
}

/** `{"response_code": "OK"}`, with a message if given. */
export function ok(message?: string): HookAnswer {
  return message === undefined ? { response_code: "OK" } : { response_code: "OK", message: message };
}

/**
 * From a connection validator: OK, and save `config` instead of the configuration given, e.g.
 * `okWithConfig({ endpoint: config.endpoint, secret: "API_SECRET" })`.
 */
export function okWithConfig<Config extends object>(config: Config, message?: string): ConnectionValidation<Config> {
  return message === undefined ? { response_code: "OK", config: config } : { response_code: "OK", message: message, config: config };
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
  // Reads and writes alike go through query: a hook's body carries no second path.
  const runner = queryRunner(snowflake);
  return {
    sql<Row extends object>(text: string, binds?: readonly SqlBind[]): Row[] {
      return runner.query(text, binds) as unknown as Row[];
    },
    readConfig<Value>(key: string): Value | null {
      const rows = runner.query("SELECT VALUE FROM STATE.APP_CONFIG WHERE KEY = ? LIMIT 1", [key]);
      if (rows.length === 0 || rows[0].VALUE === null || rows[0].VALUE === undefined) return null;
      return rows[0].VALUE as Value;
    },
  };
}
