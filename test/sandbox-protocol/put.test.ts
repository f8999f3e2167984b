/**
 * The sandbox's HTTP protocol layer through the real snowflake-sdk driver (harness.ts): PUT, with
 * the driver copying (and compressing) the file into the directory the backend names.
 */
import { randomBytes } from "node:crypto";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { gunzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { execute } from "../../snowflake/driver";
import { executeError } from "../helpers/driver";
import { useProtocolServer, SELECT_ONE } from "./harness";

const h = useProtocolServer();
const { backend } = h;

describe("PUT", () => {
  function putFixture(name: string): { file: string; stage: string; bytes: Buffer } {
    const dir = mkdtempSync(join(h.workDir, "src-"));
    const file = join(dir, name);
    // Not valid UTF-8 and not text, so any transcoding on the way would show.
    const bytes = Buffer.concat([Buffer.from([0xff, 0xfe, 0x00, 0x80]), randomBytes(70_000)]);
    writeFileSync(file, bytes);
    return { file, stage: join(h.workDir, "stage-" + randomBytes(4).toString("hex")), bytes };
  }

  it("makes the driver copy the file byte for byte into the backend's directory (AUTO_COMPRESS=FALSE)", async () => {
    const { file, stage, bytes } = putFixture("payload.bin");
    const sql = `PUT file://${file} @~/staged AUTO_COMPRESS=FALSE`;
    backend.answer(sql, { kind: "upload", directory: stage, source: file, autoCompress: false, overwrite: false });
    const { rows } = await execute(h.connection, sql);
    expect(backend.calls.map((call) => call.sqlText)).toEqual([sql]);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ source: "payload.bin", target: "payload.bin", sourceSize: bytes.length, targetSize: bytes.length, status: "UPLOADED" });
    expect(readFileSync(join(stage, "payload.bin")).equals(bytes)).toBe(true);
  });

  it("lets the driver gzip the file when AUTO_COMPRESS=TRUE", async () => {
    const { file, stage, bytes } = putFixture("data.bin");
    const sql = `PUT file://${file} @~/staged`;
    backend.answer(sql, { kind: "upload", directory: stage, source: file, autoCompress: true, overwrite: true });
    const { rows } = await execute(h.connection, sql);
    expect(rows[0]).toMatchObject({ source: "data.bin", target: "data.bin.gz", targetCompression: "GZIP", status: "UPLOADED" });
    expect(gunzipSync(readFileSync(join(stage, "data.bin.gz"))).equals(bytes)).toBe(true);
  });

  it("refuses a PUT answered with a result set, and an upload for a non-PUT", async () => {
    backend.answer("PUT file:///nowhere @~", SELECT_ONE);
    backend.answer("SELECT UPLOAD", { kind: "upload", directory: h.workDir, source: "/x", autoCompress: false, overwrite: false });
    const put = await executeError(h.connection, "PUT file:///nowhere @~");
    expect(put.code).toBe("000603");
    const select = await executeError(h.connection, "SELECT UPLOAD");
    expect(select.code).toBe("000603");
    expect(select.message).toContain("UploadRequest");
  });
});
