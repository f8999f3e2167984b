/**
 * The fake account behind floe's sandbox HTTP endpoint (sandbox/protocol/server.ts), so that
 * the real snowflake-sdk driver, and through it the providers' snowflake-sdk runner, can talk
 * to it.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { startProtocolServer } from "../../sandbox/protocol/server";
import type { SessionBackend } from "../../sandbox/protocol/backend";
import { FakeAccount } from "./fake-account";

interface ProtocolServer {
  readonly url: string;
  close(): Promise<void>;
}

interface ServerModule {
  startProtocolServer(backend: unknown, options?: { port?: number; host?: string }): Promise<ProtocolServer>;
}

/** The sandbox endpoint module. */
export function loadSandboxServer(): ServerModule {
  return { startProtocolServer: (backend, options) => startProtocolServer(backend as SessionBackend, options) };
}

function columnType(values: unknown[]): "FIXED" | "TEXT" | "BOOLEAN" {
  const known = values.filter((v) => v !== null && v !== undefined);
  if (known.length > 0 && known.every((v) => typeof v === "number")) return "FIXED";
  if (known.length > 0 && known.every((v) => typeof v === "boolean")) return "BOOLEAN";
  return "TEXT";
}

/** Serves `account` at http://127.0.0.1:<port>; logins with password "wrong" are refused (390100). */
export async function serveFakeAccount(server: ServerModule, account: FakeAccount): Promise<ProtocolServer & { uploads: string }> {
  const uploads = fs.mkdtempSync(path.join(os.tmpdir(), "floe-sandbox-uploads-"));
  const backend = {
    login(request: { password?: string }) {
      if (request.password === "wrong") throw Object.assign(new Error("Incorrect username or password was specified."), { code: "390100", sqlState: "08004" });
      return {};
    },
    execute(_session: unknown, sqlText: string) {
      const rows = account.run(sqlText);
      const put = /^PUT 'file:\/\/([^']+)'/.exec(sqlText);
      // The driver copies the file itself after the reply; the fake account has read it already.
      if (put !== null) return { kind: "upload", directory: uploads, source: put[1], autoCompress: false, overwrite: true };
      const names = [...new Set(rows.flatMap((r) => Object.keys(r)))];
      return {
        columns: names.map((name) => ({ name, type: columnType(rows.map((r) => r[name])), nullable: true, ...(columnType(rows.map((r) => r[name])) === "FIXED" ? { precision: 38, scale: 0 } : {}) })),
        rows: rows.map((r) => names.map((n) => r[n] ?? null)),
      };
    },
    close() {},
  };
  const started = await server.startProtocolServer(backend);
  return {
    url: started.url,
    uploads,
    async close() {
      await started.close();
      fs.rmSync(uploads, { recursive: true, force: true });
    },
  };
}
