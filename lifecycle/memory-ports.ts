/**
 * The in-memory implementation of the lifecycle ports, for unit tests and for walking the
 * lifecycle without Snowflake. Behaves like the SQL implementation: the status is stored as a
 * raw value (so a missing or unreadable row can be staged), writes are compare-and-set, and
 * procedures are looked up by name (so a missing one fails like a missing procedure does).
 */
import type { LifecyclePorts, Scheduler, StatusChange, StatusFields, TaskReactor } from "./ports";
import { ProcedureCallError } from "./ports";
import { resolveIdentifier } from "./sql-text";
import { describeRaw, parseStoredStatus, storedObject, type FullConnectorStatus, type StoredStatus } from "./status";

export type MemoryProcedure = (args: readonly unknown[]) => unknown;

export interface MemoryInstance {
  /** INSTANCE_NAME as stored in the registry (identifier text). */
  readonly name: string;
  initialized: boolean;
  dispatcherRunning: boolean;
  readonly commands: string[];
  /** How many times its streams were recreated. */
  streamsRecreated: number;
}

export interface MemoryPrerequisite {
  completed: boolean;
}

/** One operation the ports performed, in order: what a test asserts on. */
export type MemoryEvent =
  | { readonly kind: "privileges"; readonly privileges: readonly string[] }
  | { readonly kind: "read-status" }
  | { readonly kind: "write-status"; readonly next: StatusChange; readonly written: boolean }
  | { readonly kind: "call"; readonly procedure: string }
  | { readonly kind: "save-config"; readonly key: string }
  | { readonly kind: "read-config"; readonly key: string }
  | { readonly kind: "prerequisites"; readonly id: string | null; readonly completed: boolean }
  | { readonly kind: "scheduler"; readonly action: "resume" | "suspend" }
  | { readonly kind: "task-reactor"; readonly instance: string; readonly command: string };

export interface MemoryConnectorOptions {
  /** Stored status value; `undefined` means no row. Defaults to CONFIGURING/INSTALLED. */
  readonly status?: unknown;
  readonly privileges?: readonly string[];
  readonly procedures?: Record<string, MemoryProcedure>;
  /** Task Reactor instances (INSTANCE_NAME as stored); leave out for an app without Task Reactor. */
  readonly instances?: readonly string[];
  /** Prerequisite IDs and whether each is completed. */
  readonly prerequisites?: Readonly<Record<string, boolean>>;
  /**
   * The scheduler task: "started" or "suspended" when it exists, "missing" when the app has a
   * scheduler but no task; leave out for an app without a scheduler.
   */
  readonly scheduler?: "started" | "suspended" | "missing";
}

export class MemoryConnector {
  /** The stored status value, or undefined when the row is missing. */
  stored: unknown;
  readonly privileges: Set<string>;
  readonly procedures: Map<string, MemoryProcedure>;
  readonly config = new Map<string, unknown>();
  readonly instances: MemoryInstance[] | undefined;
  readonly prerequisites: Map<string, MemoryPrerequisite>;
  schedulerTask: "started" | "suspended" | "missing" | undefined;
  readonly events: MemoryEvent[] = [];

  constructor(options: MemoryConnectorOptions = {}) {
    this.stored = "status" in options ? options.status : { status: "CONFIGURING", configurationStatus: "INSTALLED" };
    this.privileges = new Set(options.privileges ?? []);
    this.procedures = new Map(Object.entries(options.procedures ?? {}));
    this.instances = options.instances?.map((name) => ({ name, initialized: true, dispatcherRunning: false, commands: [], streamsRecreated: 0 }));
    this.prerequisites = new Map(Object.entries(options.prerequisites ?? {}).map(([id, completed]) => [id, { completed }]));
    this.schedulerTask = options.scheduler;
  }

  /** The stored status parsed, or null when missing or unreadable. */
  get status(): StoredStatus | null {
    return this.stored === undefined ? null : parseStoredStatus(this.stored);
  }

  setStatus(status: FullConnectorStatus): void {
    this.stored = { status: status.status, configurationStatus: status.configurationStatus };
  }

  /** What the SQL compare-and-set compares: both fields' text, NULL matching a field not set. */
  private matches(expected: StatusFields): boolean {
    const value = storedObject(this.stored);
    if (value === null) return false;
    const text = (v: unknown) => (v === null || v === undefined ? null : typeof v === "string" ? v : describeRaw(v));
    return text(value.status) === text(expected.status) && text(value.configurationStatus) === text(expected.configurationStatus);
  }

  ports(): LifecyclePorts {
    const ports: LifecyclePorts = {
      privileges: {
        missing: (privileges) => {
          this.events.push({ kind: "privileges", privileges });
          return privileges.filter((p) => !this.privileges.has(p));
        },
      },
      status: {
        read: () => {
          this.events.push({ kind: "read-status" });
          if (this.stored === undefined || this.stored === null) return { kind: "missing" };
          const stored = parseStoredStatus(this.stored);
          return stored === null ? { kind: "unreadable", raw: describeRaw(this.stored), value: storedObject(this.stored) } : { kind: "found", stored };
        },
        compareAndSet: (expected, next) => {
          const written = this.matches(expected);
          if (written) {
            const value: Record<string, unknown> = { ...(storedObject(this.stored) ?? {}), status: next.status };
            if (next.configurationStatus !== undefined) value.configurationStatus = next.configurationStatus;
            this.stored = value;
          }
          this.events.push({ kind: "write-status", next, written });
          return written;
        },
      },
      procedures: {
        call: (procedure, args) => {
          this.events.push({ kind: "call", procedure });
          const body = this.procedures.get(procedure);
          if (body === undefined) {
            throw new ProcedureCallError(procedure, "missing", "SQL compilation error:\nUnknown function " + procedure, "002140");
          }
          try {
            return body(args);
          } catch (e) {
            throw new ProcedureCallError(procedure, "failed", e instanceof Error ? e.message : String(e), "100132");
          }
        },
      },
      config: {
        save: (key, value) => {
          this.events.push({ kind: "save-config", key });
          this.config.set(key, value);
        },
        read: (key) => {
          this.events.push({ kind: "read-config", key });
          return this.config.has(key) ? { found: true, value: this.config.get(key) } : { found: false };
        },
      },
      prerequisites: {
        update: (id, completed) => {
          this.events.push({ kind: "prerequisites", id, completed });
          const row = this.prerequisites.get(id);
          if (row !== undefined) row.completed = completed;
          return row !== undefined;
        },
        completeAll: () => {
          this.events.push({ kind: "prerequisites", id: null, completed: true });
          for (const row of this.prerequisites.values()) row.completed = true;
        },
      },
    };
    return {
      ...ports,
      ...(this.instances === undefined ? {} : { taskReactor: this.taskReactor(this.instances) }),
      ...(this.schedulerTask === undefined ? {} : { scheduler: this.scheduler() }),
    };
  }

  private scheduler(): Scheduler {
    const set = (action: "resume" | "suspend") => {
      this.events.push({ kind: "scheduler", action });
      // Like ALTER TASK IF EXISTS: nothing happens when the connector never created the task.
      if (this.schedulerTask !== "missing") this.schedulerTask = action === "resume" ? "started" : "suspended";
    };
    return { resume: () => set("resume"), suspend: () => set("suspend") };
  }

  private taskReactor(instances: MemoryInstance[]): TaskReactor {
    // The handler passes resolved names; the registry holds identifier text.
    const find = (name: string): MemoryInstance => {
      const instance = instances.find((i) => resolveIdentifier(i.name) === name);
      if (instance === undefined) throw new Error("Task Reactor instance " + name + " does not exist.");
      return instance;
    };
    return {
      instances: () => instances.filter((i) => i.initialized).map((i) => i.name).sort(),
      resumeInstance: (name) => {
        const instance = find(name);
        instance.commands.push("RESUME_INSTANCE");
        instance.dispatcherRunning = true;
        this.events.push({ kind: "task-reactor", instance: name, command: "RESUME_INSTANCE" });
      },
      pauseInstance: (name) => {
        find(name).commands.push("PAUSE_INSTANCE");
        this.events.push({ kind: "task-reactor", instance: name, command: "PAUSE_INSTANCE" });
      },
      recreateStreams: (name) => {
        find(name).streamsRecreated++;
        this.events.push({ kind: "task-reactor", instance: name, command: "RECREATE_STREAMS" });
      },
    };
  }
}
