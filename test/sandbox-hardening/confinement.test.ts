/**
 * Every host path the sandbox touches derives from object names through a mapping that cannot
 * leave its folder: hostile quoted names (`../`, `/`, NUL, 300 characters, emoji) create, fill,
 * list, replace and drop stages and databases through the real driver, and every file outside
 * the sandbox's folder is left exactly as it was.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { privateTmpdir, serveSandbox, snapshotTree, type Served } from "./helpers";

const tmp = privateTmpdir();
let served: Served;
let before: Map<string, string>;
const outside = (relative: string) => relative.startsWith("floe-sandbox-");

beforeAll(async () => {
  // Bait where `../` chains from the sandbox's folder would land.
  for (const name of ["victim", "victim2", "abs"]) {
    fs.mkdirSync(path.join(tmp, name));
    fs.writeFileSync(path.join(tmp, name, "keep.txt"), `${name} must survive`);
  }
  fs.writeFileSync(path.join(tmp, "upload.sql"), "SELECT 1;\n");
  served = await serveSandbox();
  await served.sql("CREATE DATABASE DB");
  before = snapshotTree(tmp, outside);
});
afterAll(() => served?.close());

/** A quoted identifier, its quotes doubled. */
const quoted = (name: string) => `"${name.replace(/"/g, '""')}"`;
/** A string literal: Snowflake reads backslash escapes inside single quotes. */
const literal = (text: string) => `'${text.replace(/\\/g, "\\\\").replace(/'/g, "\\'")}'`;

const HOSTILE: readonly [string, string][] = [
  ["a ../ chain onto a folder outside", "../../../../victim"],
  ["a deeper ../ chain", "../../../../../../../../victim"],
  ["an absolute path", path.join(tmp, "abs")],
  ["a slash only", "/"],
  ["dots only", ".."],
  ["a NUL character", "a\u0000b"],
  ["300 characters", "x".repeat(300)],
  ["unicode and emoji", "Ünïcødé ステージ 🚀"],
  ["quotes and backslashes", 'a"b\\c'],
];

describe("stage names cannot reach the host", () => {
  it.each(HOSTILE)("%s: create, put, list, replace and drop stay inside the sandbox", async (_label, name) => {
    const stage = `DB.PUBLIC.${quoted(name)}`;
    // A location with spaces or quotes is written as a string literal, as Snowflake allows.
    const location = literal(`@${stage}`);
    await served.sql(`CREATE STAGE ${stage}`);
    await served.sql(`PUT 'file://${path.join(tmp, "upload.sql")}' ${location} AUTO_COMPRESS = FALSE`);
    expect((await served.sql(`LIST ${location}`)).map((r) => String(r.name).replace(/^.*\//, ""))).toEqual(["upload.sql"]);
    await served.sql(`CREATE OR REPLACE STAGE ${stage}`);
    expect(await served.sql(`LIST ${location}`)).toEqual([]);
    await served.sql(`PUT 'file://${path.join(tmp, "upload.sql")}' ${location} AUTO_COMPRESS = FALSE`);
    await served.sql(`REMOVE ${location}`);
    await served.sql(`DROP STAGE ${stage}`);
    expect(snapshotTree(tmp, outside)).toEqual(before);
  });

  it.each(HOSTILE)("%s as a database name: DROP DATABASE stays inside the sandbox", async (_label, name) => {
    if (name.includes("\0")) {
      // DuckDB, which holds the tables, cannot name a schema with NUL: refused, nothing created.
      for (let attempt = 0; attempt < 2; attempt++) {
        // The second attempt gets the same answer, not "already exists".
        expect((await served.error(`CREATE DATABASE ${quoted(name)}`)).message).toContain("names containing the NUL character");
      }
      expect(snapshotTree(tmp, outside)).toEqual(before);
      return;
    }
    await served.sql(`CREATE DATABASE ${quoted(name)}`);
    await served.sql(`CREATE STAGE ${quoted(name)}.PUBLIC.S`);
    await served.sql(`PUT 'file://${path.join(tmp, "upload.sql")}' ${literal(`@${quoted(name)}.PUBLIC.S`)} AUTO_COMPRESS = FALSE`);
    await served.sql(`DROP DATABASE ${quoted(name)}`);
    expect(snapshotTree(tmp, outside)).toEqual(before);
  });

  it.each([
    ["..", "'..' is not allowed"],
    ["a/../../b", "'..' is not allowed"],
    ["./x", "'.' is not allowed"],
    ["a\\..\\b", "backslashes are not allowed"],
  ])("refuses the stage path %s with a clear error", async (sub, why) => {
    await served.sql("CREATE STAGE IF NOT EXISTS DB.PUBLIC.PLAIN");
    const location = literal(`@DB.PUBLIC.PLAIN/${sub}`);
    for (const statement of [`LIST ${location}`, `REMOVE ${location}`]) {
      const error = await served.error(statement);
      expect(error.message).toContain("invalid stage path");
      expect(error.message).toContain(why);
    }
    const put = await served.error(`PUT 'file://${path.join(tmp, "upload.sql")}' ${location}`);
    expect(put.message).toContain(why);
    expect(snapshotTree(tmp, outside)).toEqual(before);
  });

  it("keeps every stage directory inside the sandbox's own folder", async () => {
    const roots = fs.readdirSync(tmp).filter(outside);
    expect(roots).toHaveLength(1);
    const stages = path.join(tmp, roots[0], "stages");
    for (const entry of fs.readdirSync(stages, { recursive: true }) as string[]) {
      // Each level is one mapped segment: readable letters, an underscore and a hash.
      for (const segment of entry.split(path.sep).slice(0, 3)) expect(segment).toMatch(/^[A-Za-z0-9_]{0,24}_[0-9a-f]{24}$/);
    }
  });
});
