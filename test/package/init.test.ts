/**
 * `floe init`: what it writes, what it refuses, and that it never overwrites or half-writes.
 * (The scaffold installed and run for real: packed-install.test.ts.)
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { Writable } from "node:stream";
import { describe, expect, it } from "vitest";
import { connectorNameOf, initCommand, projectNameOf, type InitOptions } from "../../cli/init";
import { FloeError } from "../../errors";
import { renderConnector } from "../../generators/pipeline";
import { SandboxApp } from "../../sandbox/app";
import templateConnector from "../../templates/init/connector";
import { tempDir } from "../helpers/tmp";

const ROOT = path.resolve(__dirname, "..", "..");
const OWN = JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8")) as Record<string, Record<string, string> & { version: string }>;
const work = tempDir("floe-init-");
let counter = 0;

function newDir(name = "orders-connector"): string {
  counter++;
  return path.join(work, String(counter), name);
}

async function init(dir: string, options: InitOptions = {}): Promise<string> {
  let out = "";
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      out += chunk.toString();
      done();
    },
  });
  const code = await initCommand(dir, options, stream);
  expect(code).toBe(0);
  // eslint-disable-next-line no-control-regex -- ANSI colour codes begin with ESC (\x1b)
  return out.replace(/\x1b\[[0-9;]*m/g, "");
}

function tree(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const entry of fs.readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (entry.isFile()) out[path.relative(dir, path.join(entry.parentPath, entry.name))] = fs.readFileSync(path.join(entry.parentPath, entry.name), "utf8");
  }
  return out;
}

const SCAFFOLD = [".github/workflows/floe-plan.yml", ".gitignore", "Pulumi.yaml", "README.md", "connector.ts", "hooks/flow.ts", "hooks/resume.ts", "index.ts", "package.json", "tsconfig.json"];

describe("floe init", () => {
  it("derives the connector's and the project's names from the directory", () => {
    expect(connectorNameOf("orders-connector")).toBe("ORDERS_CONNECTOR");
    expect(connectorNameOf("My Connector.v2")).toBe("MY_CONNECTOR_V2");
    expect(connectorNameOf("2024-sync")).toBe("C_2024_SYNC");
    expect(connectorNameOf("---")).toBe("CONNECTOR");
    expect(projectNameOf("My Connector")).toBe("my-connector");
    expect(projectNameOf("orders_connector")).toBe("orders_connector");
  });

  it("scaffolds a new directory: every file, the names filled in, package.json with floe and pinned Pulumi", async () => {
    const dir = newDir();
    const out = await init(dir);
    const files = tree(dir);
    expect(Object.keys(files).sort()).toEqual(SCAFFOLD);
    expect(files["connector.ts"]).toContain('name: "ORDERS_CONNECTOR"');
    expect(files["Pulumi.yaml"]).toMatch(/^name: orders-connector$/m);
    expect(files["README.md"]).toMatch(/^# orders-connector$/m);
    for (const text of Object.values(files)) expect(text).not.toMatch(/MY_CONNECTOR|my-connector/);
    const pkg = JSON.parse(files["package.json"]) as Record<string, any>;
    expect(Object.keys(pkg)).toEqual(["name", "version", "private", "scripts", "dependencies", "devDependencies"]);
    expect(pkg.dependencies).toEqual({
      "@pulumi/pulumi": OWN.devDependencies["@pulumi/pulumi"],
      "@pulumi/snowflake": OWN.devDependencies["@pulumi/snowflake"],
      floe: `^${OWN.version}`,
      tsx: OWN.dependencies.tsx,
    });
    expect(pkg.devDependencies).toEqual({ "@types/node": OWN.devDependencies["@types/node"], typescript: OWN.devDependencies.typescript });
    expect(out).toContain("created  .github/workflows/floe-plan.yml");
    expect(out).toContain(`Next:\n  cd ${path.relative(process.cwd(), dir)}\n  npm install\n  npx floe render\n  npx floe simulate resume\n`);
  });

  it("writes --floe as given, and a path to a tarball as a file: spec relative to the new package.json", async () => {
    const tarball = path.join(work, "floe-9.9.9.tgz");
    fs.writeFileSync(tarball, "");
    const dir = newDir();
    await init(dir, { floe: tarball });
    expect(JSON.parse(fs.readFileSync(path.join(dir, "package.json"), "utf8")).dependencies.floe).toBe(`file:${path.relative(dir, tarball)}`);
    const other = newDir();
    await init(other, { floe: "github:someone/floe#v0.1.0", name: "ORDERS" });
    expect(JSON.parse(fs.readFileSync(path.join(other, "package.json"), "utf8")).dependencies.floe).toBe("github:someone/floe#v0.1.0");
    expect(fs.readFileSync(path.join(other, "connector.ts"), "utf8")).toContain('name: "ORDERS"');
  });

  it("completes the package.json that npm install left, keeping every value of the user's", async () => {
    const dir = newDir();
    fs.mkdirSync(path.join(dir, "node_modules"), { recursive: true });
    fs.mkdirSync(path.join(dir, ".git"));
    fs.writeFileSync(path.join(dir, "package-lock.json"), "{}\n");
    const mine = { license: "MIT", scripts: { render: "floe render --out out" }, dependencies: { floe: "file:../floe-0.1.0.tgz", "@pulumi/pulumi": "^3.200.0" } };
    fs.writeFileSync(path.join(dir, "package.json"), JSON.stringify(mine));
    const out = await init(dir);
    const pkg = JSON.parse(fs.readFileSync(path.join(dir, "package.json"), "utf8")) as Record<string, any>;
    expect(Object.keys(pkg)).toEqual(["name", "version", "private", "license", "scripts", "dependencies", "devDependencies"]);
    expect(pkg.license).toBe("MIT");
    expect(pkg.scripts.render).toBe("floe render --out out");
    expect(pkg.scripts.typecheck).toBe("tsc --noEmit -p .");
    expect(pkg.dependencies.floe).toBe("file:../floe-0.1.0.tgz");
    expect(pkg.dependencies["@pulumi/pulumi"]).toBe("^3.200.0");
    expect(pkg.dependencies["@pulumi/snowflake"]).toBe(OWN.devDependencies["@pulumi/snowflake"]);
    expect(out).toContain("updated  package.json: added name, version, private, scripts.simulate, scripts.plan, scripts.typecheck, dependencies.@pulumi/snowflake");
    expect(out).toContain(`kept     package.json: @pulumi/pulumi ^3.200.0 (floe is tested with ${OWN.devDependencies["@pulumi/pulumi"]})`);
    expect(fs.readFileSync(path.join(dir, "package-lock.json"), "utf8")).toBe("{}\n");
  });

  it("counts floe's own cache folder as none of the user's files", async () => {
    const dir = newDir();
    fs.mkdirSync(path.join(dir, ".floe-cache", "floe"), { recursive: true });
    await init(dir);
    expect(fs.existsSync(path.join(dir, "connector.ts"))).toBe(true);
  });

  it("refuses a directory with other files, writing nothing; with --force adds the missing files and keeps the rest", async () => {
    const dir = newDir();
    fs.mkdirSync(path.join(dir, "hooks"), { recursive: true });
    fs.writeFileSync(path.join(dir, "README.md"), "mine\n");
    fs.writeFileSync(path.join(dir, "hooks", "resume.ts"), "// mine\n");
    const before = tree(dir);
    await expect(init(dir)).rejects.toThrow(
      new FloeError(
        `${path.relative(process.cwd(), dir)} is not empty (it holds README.md, hooks). floe init scaffolds a new connector repository: run it in a new or empty directory, or pass --force to add the scaffold's files next to what is there (existing files are kept, never overwritten).`,
      ),
    );
    expect(tree(dir)).toEqual(before);
    const out = await init(dir, { force: true });
    const after = tree(dir);
    expect(after["README.md"]).toBe("mine\n");
    expect(after["hooks/resume.ts"]).toBe("// mine\n");
    expect(Object.keys(after).sort()).toEqual(SCAFFOLD);
    expect(out).toContain("kept     hooks/resume.ts (it exists; not overwritten)");
    expect(out).toContain("kept     README.md (it exists; not overwritten)");
    expect(out).toContain("created  connector.ts");
  });

  it("checks everything before writing: a bad package.json, a file in the way, a bad name, a file as the directory", async () => {
    const badJson = newDir();
    fs.mkdirSync(badJson, { recursive: true });
    fs.writeFileSync(path.join(badJson, "package.json"), "{ not json");
    await expect(init(badJson)).rejects.toThrow(/package\.json is not valid JSON \(.*\); fix or remove it and run floe init again\. Nothing was written\./);
    expect(fs.readdirSync(badJson)).toEqual(["package.json"]);

    const blocked = newDir();
    fs.mkdirSync(blocked, { recursive: true });
    fs.writeFileSync(path.join(blocked, ".github"), "a file\n");
    await expect(init(blocked, { force: true })).rejects.toThrow(/\.github is a file, but floe init needs a directory there for \.github\/workflows\/floe-plan\.yml\. Nothing was written\./);
    expect(fs.readdirSync(blocked)).toEqual([".github"]);

    const badName = newDir();
    await expect(init(badName, { name: "orders-connector" })).rejects.toThrow('--name must be an identifier (letters, digits and _, not starting with a digit), got "orders-connector".');
    expect(fs.existsSync(badName)).toBe(false);

    const file = path.join(work, "a-file");
    fs.writeFileSync(file, "");
    await expect(init(file)).rejects.toThrow(/a-file exists and is not a directory\./);
  });

  it("scaffolds hooks that floe compiles and the sandbox runs: resume refused while on hold, events recorded", async () => {
    const rendered = await renderConnector(templateConnector);
    expect(rendered.model.name).toBe("MY_CONNECTOR");
    const hooks = rendered.model.procedures.filter((p) => p.origin.kind === "hook").map((p) => p.signature);
    expect(hooks).toEqual([
      "PUBLIC.CONFIGURE_CONNECTOR_VALIDATE(VARIANT)",
      "PUBLIC.SET_CONNECTION_CONFIGURATION_VALIDATE(VARIANT)",
      "PUBLIC.TEST_CONNECTION()",
      "PUBLIC.VALIDATE_SOURCE(VARIANT)",
      "PUBLIC.FINALIZE_CONNECTOR_CONFIGURATION_INTERNAL(VARIANT)",
      "PUBLIC.RESUME_CONNECTOR_VALIDATE()",
      "PUBLIC.RESUME_CONNECTOR_INTERNAL()",
      "PUBLIC.PAUSE_CONNECTOR_INTERNAL()",
    ]);
    const app = await SandboxApp.start(rendered);
    try {
      app.writeStatus({ status: "PAUSED", configurationStatus: "FINALIZED" });
      app.inspect("INSERT INTO STATE.APP_STATE (KEY, VALUE, UPDATED_AT) SELECT 'maintenance', PARSE_JSON(?), SYSDATE()", [JSON.stringify({ reason: "source upgrade" })]);
      expect(await app.call("RESUME_CONNECTOR")).toEqual({
        response_code: "ON_HOLD",
        message: "The connector is on hold (source upgrade); delete the maintenance row of STATE.APP_STATE to resume it.",
      });
      app.inspect("DELETE FROM STATE.APP_STATE WHERE KEY = 'maintenance'");
      expect(await app.call("RESUME_CONNECTOR")).toEqual({ response_code: "OK", message: "Connector successfully resumed." });
      expect(app.inspect("SELECT VALUE FROM STATE.APP_STATE WHERE KEY = 'last_lifecycle_event'")).toEqual([[{ event: "resumed" }]]);
      expect(await app.call("PAUSE_CONNECTOR")).toEqual({ response_code: "OK", message: "Connector successfully paused." });
      expect(app.inspect("SELECT VALUE FROM STATE.APP_STATE WHERE KEY = 'last_lifecycle_event'")).toEqual([[{ event: "paused" }]]);
    } finally {
      await app.close();
    }
  });

  it("scaffolds wizard hooks the sandbox runs: the prerequisite listed, configure refusing without a warehouse, the connection rewritten and tested, finalize answering", async () => {
    const app = await SandboxApp.start(await renderConnector(templateConnector));
    try {
      const json = (value: unknown) => [JSON.stringify(value)];
      expect(await app.query(`SELECT ID FROM ${app.name}.PUBLIC.PREREQUISITES`)).toEqual([{ ID: "warehouse" }]);
      expect(await app.call("COMPLETE_PREREQUISITES_STEP")).toMatchObject({ response_code: "OK" });
      expect(await app.call("CONFIGURE_CONNECTOR", "PARSE_JSON(?)", json({ destination_database: "DB" }))).toEqual({
        response_code: "WAREHOUSE_MISSING",
        message: "Name the warehouse the connector runs on in warehouse.",
      });
      expect(await app.call("CONFIGURE_CONNECTOR", "PARSE_JSON(?)", json({ warehouse: "WH" }))).toMatchObject({ response_code: "OK" });
      expect(await app.call("SET_CONNECTION_CONFIGURATION", "PARSE_JSON(?)", json({ endpoint: "https://api", secret: "S", extra: 1 }))).toEqual({
        response_code: "OK",
        message: "Connection to https://api configured.",
      });
      expect(await app.call("GET_CONNECTION_CONFIGURATION")).toEqual({ response_code: "OK", endpoint: "https://api", secret: "S" });
      expect(await app.call("FINALIZE_CONNECTOR_CONFIGURATION", "PARSE_JSON(?)", json({ resources: [] }))).toMatchObject({ response_code: "NO_RESOURCES" });
      expect(await app.call("FINALIZE_CONNECTOR_CONFIGURATION", "PARSE_JSON(?)", json({ resources: ["a"] }))).toEqual({ response_code: "OK", message: "Set up to ingest 1 resources." });
      expect(await app.call("GET_CONNECTOR_STATUS")).toEqual({ response_code: "OK", status: "STARTED", configurationStatus: "FINALIZED" });
    } finally {
      await app.close();
    }
  });
});
