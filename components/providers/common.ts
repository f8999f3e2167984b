/**
 * What the dynamic providers share: a facade for one operation, and comparing inputs.
 *
 * SERIALIZATION RULE (see snowflake/facade.ts): everything here is captured by value into the
 * serialized providers; only local modules and types may be imported.
 */
import { SnowflakeFacade, type SnowflakeRunner } from "../../snowflake/facade";
import { secretsOf, type SnowflakeConnection } from "../../snowflake/driver";
import { isErrorKind } from "../../snowflake/errors";
export { isErrorKind };

/**
 * Gives a provider operation its session: in production a lease on the process's shared
 * session (snowflake/sessions.ts); injected in tests. The operation closes what it was given.
 */
export type OpenRunner = (connection: SnowflakeConnection) => Promise<SnowflakeRunner>;

/**
 * A dynamic provider with every method, and results typed to what floe's providers return (a
 * `pulumi.dynamic.ResourceProvider<I, O>`, narrower).
 */
export interface FloeProvider<I, O> {
  create(inputs: I): Promise<{ readonly id: string; readonly outs: O }>;
  diff(id: string, olds: O, news: I): Promise<{ readonly changes: boolean; readonly replaces: string[]; readonly deleteBeforeReplace: boolean }>;
  update(id: string, olds: O, news: I): Promise<{ readonly outs: O }>;
  delete(id: string, props: O): Promise<void>;
  /** `{}` when the object is gone. */
  read(id: string, props?: O): Promise<{ readonly id?: string; readonly props?: O }>;
}

/** The value Pulumi puts in place of an input that is not known yet (during a preview). */
export const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

/** True when a value is, or contains, an unknown placeholder. */
export function isUnknown(value: unknown): boolean {
  if (value === UNKNOWN) return true;
  if (Array.isArray(value)) return value.some(isUnknown);
  if (value !== null && typeof value === "object") return Object.values(value).some(isUnknown);
  return false;
}

function canonical(value: unknown): string {
  if (value === undefined) return "undefined";
  if (value === null || typeof value !== "object") return JSON.stringify(value);
  if (Array.isArray(value)) return "[" + value.map(canonical).join(",") + "]";
  const entries = Object.keys(value)
    .filter((k) => (value as Record<string, unknown>)[k] !== undefined)
    .sort()
    .map((k) => JSON.stringify(k) + ":" + canonical((value as Record<string, unknown>)[k]));
  return "{" + entries.join(",") + "}";
}

/** The keys whose values differ between the recorded outputs and the new inputs (unknown counts as different). */
export function changedKeys(olds: object, news: object, keys: readonly string[]): string[] {
  const before = olds as Record<string, unknown>;
  const after = news as Record<string, unknown>;
  return keys.filter((key) => isUnknown(after[key]) || canonical(before[key]) !== canonical(after[key]));
}

/** Runs one operation on a session from `open` and closes (or hands back) that session, whatever happens. */
export async function withFacade<T>(open: OpenRunner, connection: SnowflakeConnection, work: (facade: SnowflakeFacade) => Promise<T>): Promise<T> {
  const runner = await open(connection);
  try {
    return await work(new SnowflakeFacade(runner, { role: connection.role, secrets: secretsOf(connection) }));
  } finally {
    await runner.close();
  }
}

/** What tells floe's grant resources apart: the statements, the id, and the inputs naming the grant. */
export interface GrantSpec<I extends { readonly connection: SnowflakeConnection }> {
  /** The inputs that name the grant: a change to any of them is another grant (a replacement). */
  readonly keys: readonly (keyof I & string)[];
  id(inputs: I): string;
  grant(facade: SnowflakeFacade, inputs: I): Promise<unknown>;
  revoke(facade: SnowflakeFacade, inputs: I): Promise<unknown>;
  /** Whether the grant is in place (read, for a refresh). */
  holds(facade: SnowflakeFacade, inputs: I): Promise<boolean>;
}

/**
 * A provider of one grant. Another grantee or grant is another resource, revoked before the new
 * one is granted (deleteBeforeReplace), so that replacing a grant never revokes what it has just
 * granted; a changed connection alone runs nothing. A grant whose object is gone (not_found) is
 * gone with it: delete succeeds and read reports it missing.
 */
export function grantProvider<I extends { readonly connection: SnowflakeConnection }>(open: OpenRunner, spec: GrantSpec<I>): FloeProvider<I, I> {
  return {
    async create(inputs) {
      await withFacade(open, inputs.connection, (f) => spec.grant(f, inputs));
      return { id: spec.id(inputs), outs: { ...inputs } };
    },
    async diff(_id, olds, news) {
      const replaces = changedKeys(olds, news, spec.keys);
      const changes = changedKeys(olds, news, [...spec.keys, "connection"]);
      return { changes: changes.length > 0, replaces, deleteBeforeReplace: true };
    },
    async update(_id, _olds, news) {
      // Only the connection changed: nothing to run.
      return { outs: { ...news } };
    },
    async delete(_id, props) {
      try {
        await withFacade(open, props.connection, (f) => spec.revoke(f, props));
      } catch (e) {
        if (!isErrorKind(e, "not_found")) throw e;
      }
    },
    async read(id, props) {
      if (props === undefined) return { id };
      const holds = await withFacade(open, props.connection, (f) => spec.holds(f, props)).catch((e: unknown) => {
        if (isErrorKind(e, "not_found")) return false;
        throw e;
      });
      return holds ? { id, props } : {};
    },
  };
}
