/**
 * A sandbox served on a random port with one snowflake-sdk connection, for the hardening tests,
 * and a private temporary folder: each test file runs in its own process (vitest forks), and
 * pointing TMPDIR at a folder of its own keeps it apart from every other floe process on the
 * machine (the sandbox's folder, the driver's uploads, anything a test lists).
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { privateTmpdir as sharedPrivateTmpdir } from "../helpers/tmp";
import { Sandbox, type SandboxOptions } from "../../sandbox/sandbox";
import type { ProtocolServer } from "../../sandbox/protocol/server";
import type { BindValue } from "../../sandbox/types";
import { connect, destroy, execute, type Connection, type DriverError } from "../../snowflake/driver";
import { executeError } from "../helpers/driver";

/** Points os.tmpdir() at a folder of this test file's own (see test/helpers/tmp.ts). */
export function privateTmpdir(): string {
  return sharedPrivateTmpdir("floe-hardening-");
}

export interface Served {
  readonly sandbox: Sandbox;
  readonly server: ProtocolServer;
  readonly connection: Connection;
  sql(text: string, binds?: readonly BindValue[]): Promise<Record<string, unknown>[]>;
  error(text: string, binds?: readonly BindValue[]): Promise<DriverError>;
  /** Another connection, with an optional role. */
  connect(role?: string): Promise<Connection>;
  close(): Promise<void>;
}

export async function serveSandbox(options: SandboxOptions = {}): Promise<Served> {
  const sandbox = await Sandbox.start(options);
  const server = await sandbox.serve();
  const connections: Connection[] = [];
  const open = async (role?: string) => {
    const c = await connect({ ...server.connectionOptions(), ...(role === undefined ? {} : { role }) });
    connections.push(c);
    return c;
  };
  const connection = await open();
  return {
    sandbox,
    server,
    connection,
    sql: async (text, binds = []) => (await execute(connection, text, { binds })).rows,
    error: (text, binds = []) => executeError(connection, text, { binds }),
    connect: open,
    close: async () => {
      for (const c of connections) await destroy(c).catch(() => undefined);
      await sandbox.close();
    },
  };
}

/** Every path below `dir`, with file contents, for before/after comparisons. */
export function snapshotTree(dir: string, skip: (relative: string) => boolean = () => false): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (current: string) => {
    for (const entry of fs.readdirSync(current, { withFileTypes: true })) {
      const full = path.join(current, entry.name);
      const relative = path.relative(dir, full);
      if (skip(relative)) continue;
      if (entry.isDirectory()) {
        out.set(relative + "/", "");
        walk(full);
      } else out.set(relative, fs.readFileSync(full, "utf8"));
    }
  };
  walk(dir);
  return out;
}
