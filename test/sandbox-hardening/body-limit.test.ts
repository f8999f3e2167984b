/**
 * The request-body limit holds after decompression: a gzip body that inflates past the limit
 * is refused (413) without the backend seeing it, however small it is on the wire, and the
 * inflation stops at the limit instead of producing the whole body first.
 */
import { createGzip, gzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { SessionBackend } from "../../sandbox/protocol/backend";
import { startProtocolServer, type ProtocolServer } from "../../sandbox/protocol/server";

const seen: string[] = [];
const backend: SessionBackend = {
  login: () => ({}),
  execute: (_session, sqlText) => {
    seen.push(sqlText);
    return { columns: [{ name: "ONE", type: "FIXED", nullable: false, precision: 1, scale: 0 }], rows: [[1]] };
  },
  close: () => undefined,
};

async function post(server: ProtocolServer, path: string, body: Buffer | string, headers: Record<string, string> = {}) {
  const response = await fetch(server.url + path, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: typeof body === "string" ? body : new Blob([new Uint8Array(body)]),
  });
  return { status: response.status, json: (await response.json()) as { success: boolean; message: string; data: { token?: string } | null } };
}

async function login(server: ProtocolServer): Promise<Record<string, string>> {
  const { json } = await post(server, "/session/v1/login-request", JSON.stringify({ data: { ACCOUNT_NAME: "a", LOGIN_NAME: "u", PASSWORD: "p" } }));
  return { authorization: `Snowflake Token="${json.data!.token!}"` };
}

/** gzip of a JSON request whose sqlText pads it to `bytes` once inflated, made in 1 MB steps. */
async function bomb(bytes: number): Promise<Buffer> {
  const gzip = createGzip({ level: 9 });
  const out: Buffer[] = [];
  gzip.on("data", (chunk: Buffer) => out.push(chunk));
  const done = new Promise<void>((resolve) => gzip.on("end", resolve));
  gzip.write('{"sqlText":"SELECT 1 --');
  const step = Buffer.alloc(1024 * 1024, "x");
  for (let written = 0; written < bytes; written += step.length) {
    if (!gzip.write(step)) await new Promise((resolve) => gzip.once("drain", resolve));
  }
  gzip.end('"}');
  await done;
  return Buffer.concat(out);
}

describe("the default limit of 64 MB", () => {
  let server: ProtocolServer;
  beforeAll(async () => {
    server = await startProtocolServer(backend);
  });
  afterAll(() => server?.close());

  it("refuses a 400 KB gzip body that inflates to 400 MB, and keeps serving", async () => {
    const headers = await login(server);
    const body = await bomb(400 * 1024 * 1024);
    expect(body.length).toBeLessThan(1024 * 1024);
    seen.length = 0;
    const refused = await post(server, "/queries/v1/query-request", body, { ...headers, "content-encoding": "gzip" });
    expect(refused.status).toBe(413);
    expect(refused.json.message).toBe("floe sandbox: request body larger than 67108864 bytes once decompressed");
    expect(seen).toEqual([]);
    const fine = await post(server, "/queries/v1/query-request", gzipSync(JSON.stringify({ sqlText: "SELECT 1" })), { ...headers, "content-encoding": "gzip" });
    expect(fine.json.success).toBe(true);
    expect(seen).toEqual(["SELECT 1"]);
  });
});

describe("a limit of 4 KB", () => {
  let server: ProtocolServer;
  beforeAll(async () => {
    server = await startProtocolServer(backend, { maxBodyBytes: 4096 });
  });
  afterAll(() => server?.close());

  const request = (padding: number) => JSON.stringify({ sqlText: "SELECT 1 --" + "x".repeat(padding) });

  it("counts the body once decompressed, not as sent", async () => {
    const headers = await login(server);
    const small = gzipSync(request(8000));
    expect(small.length).toBeLessThan(4096);
    seen.length = 0;
    const refused = await post(server, "/queries/v1/query-request", small, { ...headers, "content-encoding": "gzip" });
    expect(refused.status).toBe(413);
    expect(refused.json.message).toBe("floe sandbox: request body larger than 4096 bytes once decompressed");
    expect(seen).toEqual([]);
  });

  it("counts a plain body as sent, and lets bodies within the limit through", async () => {
    const headers = await login(server);
    seen.length = 0;
    const refused = await post(server, "/queries/v1/query-request", request(5000), headers);
    expect(refused.status).toBe(413);
    expect(refused.json.message).toBe("floe sandbox: request body larger than 4096 bytes as sent");
    expect((await post(server, "/queries/v1/query-request", request(3000), headers)).json.success).toBe(true);
    expect((await post(server, "/queries/v1/query-request", gzipSync(request(3000)), { ...headers, "content-encoding": "gzip" })).json.success).toBe(true);
    expect(seen).toHaveLength(2);
  });
});
