/**
 * The ports through which the lifecycle handlers talk to Snowflake. Each has a SQL
 * implementation (`sql-ports.ts`, the one compiled into the stored procedures) and an
 * in-memory one (`memory-ports.ts`, for unit tests and the in-memory walk).
 */
import type { ConfigurationStatus, ConnectorStatus, StoredStatus } from "./status";

/** Account privileges held by the application (`SYSTEM$HOLD_PRIVILEGE_ON_ACCOUNT`). */
export interface PrivilegeCheck {
  /** Returns the privileges of the list that the application does not hold, in list order. */
  missing(privileges: readonly string[]): string[];
}

export type StatusRead =
  | { readonly kind: "found"; readonly stored: StoredStatus }
  | { readonly kind: "missing" }
  /** `value` is the stored object when it is one (with a status value floe does not know). */
  | { readonly kind: "unreadable"; readonly raw: string; readonly value: Readonly<Record<string, unknown>> | null };

/** The two fields a compare-and-set compares, as read (null when not set). */
export interface StatusFields {
  readonly status: unknown;
  readonly configurationStatus: unknown;
}

/** What a status write sets; every other key of the stored object is kept. */
export interface StatusChange {
  readonly status: ConnectorStatus;
  readonly configurationStatus?: ConfigurationStatus;
}

/** The `connector_status` row of STATE.APP_STATE. */
export interface StatusStore {
  read(): StatusRead;
  /**
   * Applies `change` only if the stored status and configuration status still equal
   * `expected`. Returns false, changing nothing, when another call changed them first.
   */
  compareAndSet(expected: StatusFields, change: StatusChange): boolean;
}

/** Why a procedure call failed: it does not exist, or it raised an error. */
export type ProcedureFailure = "missing" | "failed";

/** Thrown by a ProcedureCaller. `procedure` is the name as called, e.g. `PUBLIC.RESUME_CONNECTOR_VALIDATE`. */
export class ProcedureCallError extends Error {
  readonly procedure: string;
  readonly failure: ProcedureFailure;
  readonly code: string | undefined;
  constructor(procedure: string, failure: ProcedureFailure, message: string, code?: string) {
    super(message);
    this.name = "ProcedureCallError";
    this.procedure = procedure;
    this.failure = failure;
    this.code = code;
  }
}

/** Calls another procedure of the application and returns its answer as-is. */
export interface ProcedureCaller {
  /** Throws ProcedureCallError when the procedure is missing or fails. */
  call(procedure: string, args: readonly unknown[]): unknown;
}

/**
 * The Task Reactor instances of the application, in the SDK's layout: the registry
 * TASK_REACTOR_INSTANCES.INSTANCE_REGISTRY and, per instance schema, COMMANDS_QUEUE,
 * DISPATCHER_TASK, CONFIG and the streams QUEUE_STREAM and COMMANDS_QUEUE_STREAM. Present only
 * when the app includes Task Reactor. Instance names given to the methods are resolved names
 * (see resolveIdentifier), quoted by the implementation where needed.
 */
export interface TaskReactor {
  /** INSTANCE_NAME of every initialized instance, as stored (identifier text). */
  instances(): string[];
  /** Queues a RESUME_INSTANCE command and resumes the instance's DISPATCHER_TASK. */
  resumeInstance(instance: string): void;
  /** Queues a PAUSE_INSTANCE command; the dispatcher keeps running to handle it. */
  pauseInstance(instance: string): void;
  /** Records the time in the instance's CONFIG and recreates its two streams as clones of themselves. */
  recreateStreams(instance: string): void;
}

/** The connector's scheduler task, STATE.SCHEDULER_TASK; present only when the app includes it. */
export interface Scheduler {
  /** Resumes the task if it exists. */
  resume(): void;
  /** Suspends the task if it exists. */
  suspend(): void;
}

export type ConfigRead = { readonly found: false } | { readonly found: true; readonly value: unknown };

/** Key/value configuration in STATE.APP_CONFIG. */
export interface ConfigStore {
  save(key: string, value: unknown): void;
  read(key: string): ConfigRead;
}

/** The rows of STATE.PREREQUISITES. */
export interface PrerequisiteStore {
  /** Sets one prerequisite's IS_COMPLETED. Returns false, changing nothing, when no row has that ID. */
  update(id: string, completed: boolean): boolean;
  /** Marks every prerequisite completed. */
  completeAll(): void;
}

/** Everything a handler may use. Task Reactor and the scheduler are absent when the app does not include them. */
export interface LifecyclePorts {
  readonly privileges: PrivilegeCheck;
  readonly status: StatusStore;
  readonly procedures: ProcedureCaller;
  readonly config: ConfigStore;
  readonly prerequisites: PrerequisiteStore;
  readonly taskReactor?: TaskReactor;
  readonly scheduler?: Scheduler;
}

/** The ports RESUME_CONNECTOR and PAUSE_CONNECTOR use: neither configuration nor prerequisites. */
export type StateChangePorts = Pick<LifecyclePorts, "privileges" | "status" | "procedures" | "taskReactor" | "scheduler">;
