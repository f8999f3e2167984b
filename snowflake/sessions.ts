/**
 * Shared sessions: one login per connection for as long as a process keeps deploying.
 *
 * Pulumi runs every dynamic provider operation of a deployment in one provider process, many at
 * a time; opening a session per operation logged in once per resource. Here an operation leases
 * the session of its connection instead: the first lease logs in, concurrent first leases wait
 * for that same login, later ones reuse the session, and a session no operation has used for
 * {@link IDLE_CLOSE_MS} is closed. A session the driver reports down, or that fails with a
 * session or network error, is dropped so that the next lease logs in again; a login that fails
 * is not kept either, so a corrected password is tried afresh.
 *
 * Sessions are keyed by every connection setting (secrets included, so a rotated key gets its
 * own session). The pool lives on the process, not in
 * this module: in floe's own checkout each kind of provider is serialized with its own copy of
 * this code (docs/pulumi.md), and every copy must find the same pool. Sessions share nothing a
 * statement could change for the next one: the facade never sends USE or ALTER SESSION.
 *
 * SERIALIZATION RULE (see facade.ts): captured by value into the dynamic providers.
 */
import { login, runnerOf, type Connection, type SnowflakeConnection } from "./driver";
import { errorCode } from "./errors";
import type { SnowflakeRunner } from "./facade";

/** A session unused this long is closed. */
export const IDLE_CLOSE_MS = 30_000;

/** Errors after which a session is not used again: disconnected, network, session invalid, gone or expired. */
const SESSION_LOST = ["405503", "401001", "390104", "390111", "390112", "390114"];

interface PooledSession {
  readonly session: Promise<Connection>;
  leases: number;
  idle?: ReturnType<typeof setTimeout>;
}

interface Pool {
  readonly sessions: Map<string, PooledSession>;
}

const POOL = "__floeSnowflakeSessions";

function pool(): Pool {
  const holder = globalThis as { [POOL]?: Pool };
  holder[POOL] ??= { sessions: new Map() };
  return holder[POOL];
}

/**
 * The pool key of a connection: all its settings, in a fixed order. It lives in this process's
 * memory only, beside the connection object that holds the same secrets, and is never printed.
 */
export function sessionKey(connection: SnowflakeConnection): string {
  const fields = Object.keys(connection)
    .sort()
    .map((key) => [key, (connection as unknown as Record<string, unknown>)[key]]);
  return JSON.stringify(fields);
}

/** Takes a session out of the pool and ends it; resolves when it is closed. */
function drop(key: string, entry: PooledSession): Promise<void> {
  const sessions = pool().sessions;
  if (sessions.get(key) !== entry) return Promise.resolve();
  sessions.delete(key);
  if (entry.idle !== undefined) clearTimeout(entry.idle);
  return entry.session.then(
    (session) => new Promise<void>((resolve) => session.destroy(() => resolve())),
    () => undefined,
  );
}

/**
 * A lease on the shared session of `connection`, logging in when there is none. `close` hands
 * the session back; it stays open for the next operation.
 */
export async function leaseSession(connection: SnowflakeConnection): Promise<SnowflakeRunner> {
  const { sessions } = pool();
  const key = sessionKey(connection);
  let entry = sessions.get(key);
  if (entry !== undefined) {
    const alive = await entry.session.then(
      (session) => session.isUp(),
      () => false,
    );
    if (!alive) {
      drop(key, entry);
      entry = undefined;
    }
  }
  if (entry === undefined) {
    const created: PooledSession = { session: login(connection), leases: 0 };
    sessions.set(key, created);
    created.session.catch(() => {
      if (sessions.get(key) === created) sessions.delete(key);
    });
    entry = created;
  }
  const leased = entry;
  leased.leases++;
  if (leased.idle !== undefined) clearTimeout(leased.idle);
  leased.idle = undefined;
  let session: Connection;
  try {
    session = await leased.session;
  } catch (error) {
    leased.leases--;
    throw error;
  }
  const runner = runnerOf(session);
  let returned = false;
  return {
    async execute(sqlText, binds) {
      try {
        return await runner.execute(sqlText, binds);
      } catch (error) {
        if (SESSION_LOST.includes(errorCode(error) ?? "")) void drop(key, leased);
        throw error;
      }
    },
    async close() {
      if (returned) return;
      returned = true;
      leased.leases--;
      if (leased.leases > 0 || sessions.get(key) !== leased) return;
      leased.idle = setTimeout(() => void drop(key, leased), IDLE_CLOSE_MS);
      // An idle session must not keep a finished process alive.
      leased.idle.unref?.();
    },
  };
}

/** Closes every shared session of this process (tests, and a process about to exit). */
export async function closeSharedSessions(): Promise<void> {
  await Promise.all([...pool().sessions.entries()].map(([key, entry]) => drop(key, entry)));
}
