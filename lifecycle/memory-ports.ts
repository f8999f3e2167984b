/**
 * The in-memory implementation of the lifecycle ports, for unit tests and for walking the
 * lifecycle without Snowflake. Behaves like the SQL implementation: the status is stored as a
 * raw value (so a missing or unreadable row can be staged), writes are compare-and-set, and
 * procedures are looked up by name (so a missing one fails like a missing procedure does).
 */
import type { LifecyclePorts, StatusChange, StatusFields, TaskReactor } from "./ports";
import { ProcedureCallError } from "./ports";
import { describeRaw, parseStoredStatus, storedObject, type FullConnectorStatus, type StoredStatus } from "./status";

export type MemoryProcedure = (args: readonly unknown[]) => unknown;

export interface MemoryInstance {
  readonly name: string;
  initialized: boolean;
  dispatcherRunning: boolean;
  readonly commands: string[];
}

/** One operation the ports performed, in order: what a test asserts on. */
export type MemoryEvent =
  | { readonly kind: "privileges"; readonly privileges: readonly string[] }
  | { readonly kind: "read-status" }
  | { readonly kind: "write-status"; readonly next: StatusChange; readonly written: boolean }
  | { readonly kind: "call"; readonly procedure: string }
  | { readonly kind: "save-config"; readonly key: string }
  | { readonly kind: "task-reactor"; readonly instance: string; readonly command: string };

export interface MemoryConnectorOptions {
  /** Stored status value; `undefined` means no row. Defaults to CONFIGURING/INSTALLED. */
  readonly status?: unknown;
  readonly privileges?: readonly string[];
  readonly procedures?: Record<string, MemoryProcedure>;
  /** Task Reactor instances; leave out for an app without Task Reactor. */
  readonly instances?: readonly string[];
}

export class MemoryConnector {
  /** The stored status value, or undefined when the row is missing. */
  stored: unknown;
  readonly privileges: Set<string>;
  readonly procedures: Map<string, MemoryProcedure>;
  readonly config = new Map<string, unknown>();
  readonly instances: MemoryInstance[] | undefined;
  readonly events: MemoryEvent[] = [];

  constructor(options: MemoryConnectorOptions = {}) {
    this.stored = "status" in options ? options.status : { status: "CONFIGURING", configurationStatus: "INSTALLED" };
    this.privileges = new Set(options.privileges ?? []);
    this.procedures = new Map(Object.entries(options.procedures ?? {}));
    this.instances = options.instances?.map((name) => ({ name, initialized: true, dispatcherRunning: false, commands: [] }));
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
      },
    };
    return this.instances === undefined ? ports : { ...ports, taskReactor: this.taskReactor(this.instances) };
  }

  private taskReactor(instances: MemoryInstance[]): TaskReactor {
    const find = (name: string): MemoryInstance => {
      const instance = instances.find((i) => i.name === name);
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
    };
  }
}
