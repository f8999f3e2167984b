/**
 * The stand-in providers an installed floe hands Pulumi (components/providers/hosted.ts):
 * serialized by Pulumi's own serializer, then loaded as the provider host loads them
 * (require-from-string, `.handler()`) in a plain Node process whose working directory is a
 * project, where they must find the provider module by package path — and say clearly when they
 * cannot. (The real floe package in a real project: packed-install.test.ts.)
 */
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { beforeAll, describe, expect, it } from "vitest";
import { hostedProvider, hostedProviders, installedSpecifier } from "../../components/providers/hosted";
import { sdkProviders } from "../../components/providers/sdk";
import { tempDir } from "../helpers/tmp";

const ROOT = path.resolve(__dirname, "..", "..");
const work = tempDir("floe-hosted-");

/** Loads the serialized text in `cwd` as Pulumi's dynamic provider host does, runs `script` on it, prints JSON. */
function host(cwd: string, serialized: string, script: string): Promise<{ code: number | null; out: any; stderr: string }> {
  const file = path.join(work, `provider-${Math.random().toString(36).slice(2)}.js`);
  fs.writeFileSync(file, serialized);
  const driver = `
    const requireFromString = require(${JSON.stringify(require.resolve("require-from-string", { paths: [path.join(ROOT, "node_modules", "@pulumi", "pulumi")] }))});
    const provider = requireFromString(require("node:fs").readFileSync(${JSON.stringify(file)}, "utf8")).handler();
    (async () => { ${script} })().then(
      (out) => process.stdout.write(JSON.stringify(out)),
      (e) => process.stdout.write(JSON.stringify({ error: e.message })),
    );`;
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ["-e", driver], { cwd, env: { ...process.env, NODE_OPTIONS: "" } });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    child.on("close", (code) => resolve({ code, out: stdout === "" ? null : JSON.parse(stdout), stderr }));
  });
}

describe("installedSpecifier", () => {
  it("names the package under its node_modules directory, and nothing outside one", () => {
    const p = (...parts: string[]) => path.join(path.sep, ...parts);
    expect(installedSpecifier(p("work", "app", "node_modules", "floe"))).toBe("floe/providers");
    expect(installedSpecifier(p("work", "app", "node_modules", "@acme", "floe"))).toBe("@acme/floe/providers");
    // pnpm: the last node_modules counts; the project resolves the same name.
    expect(installedSpecifier(p("work", "app", "node_modules", ".pnpm", "floe@0.1.0", "node_modules", "floe"))).toBe("floe/providers");
    expect(installedSpecifier(p("work", "floe"))).toBeUndefined();
    expect(installedSpecifier(p("work", "node_modules"))).toBeUndefined();
  });
});

describe("hostedProviders", () => {
  it("stands in for every provider floe has, with every method", () => {
    const hosted = hostedProviders("floe/providers", sdkProviders);
    expect(Object.keys(hosted)).toEqual(Object.keys(sdkProviders));
    for (const provider of Object.values(hosted)) expect(Object.keys(provider).sort()).toEqual(["create", "delete", "diff", "read", "update"]);
  });
});

describe("a hosted provider, serialized and run by the provider host", () => {
  let serialized: string;
  let project: string;

  beforeAll(async () => {
    // As pulumi.dynamic.Resource serializes its provider: a function returning the object.
    const provider = hostedProvider("acme-floe/providers", "application");
    serialized = (await pulumi.runtime.serializeFunction(() => provider, { allowSecrets: true })).text;
    // A project with a package exporting ./providers, recording what it is called with.
    project = path.join(work, "project");
    const pkg = path.join(project, "node_modules", "acme-floe");
    fs.mkdirSync(pkg, { recursive: true });
    fs.writeFileSync(path.join(pkg, "package.json"), JSON.stringify({ name: "acme-floe", exports: { "./providers": "./providers.js" } }));
    fs.writeFileSync(
      path.join(pkg, "providers.js"),
      `const from = __filename;
       exports.sdkProviders = { application: {
         create: async (inputs) => ({ id: "APP", outs: { ...inputs, from } }),
         diff: async (id, olds, news) => ({ changes: olds.patch !== news.patch, replaces: [], deleteBeforeReplace: false, id }),
         update: async (id, olds, news) => ({ outs: { ...news, updatedFrom: olds.patch } }),
         delete: async (id) => { globalThis.deleted = id; },
         read: async (id, props) => ({ id, props: { ...props, deleted: globalThis.deleted } }),
       } };`,
    );
  });

  it("is a few small functions and two strings, requiring nothing at load time", () => {
    expect(serialized.length).toBeLessThan(4096);
    expect(serialized).toContain('specifier: "acme-floe/providers", kind: "application"');
    expect([...new Set(serialized.match(/require\([^)]*\)/g))]).toEqual(["require(specifier)"]);
    expect(serialized).not.toContain(ROOT);
  });

  it("delegates every method to the package the project has installed", async () => {
    const result = await host(
      project,
      serialized,
      `const created = await provider.create({ name: "APP", patch: 0 });
       const diff = await provider.diff(created.id, created.outs, { name: "APP", patch: 1 });
       const updated = await provider.update(created.id, created.outs, { name: "APP", patch: 1 });
       await provider.delete(created.id, updated.outs);
       const read = await provider.read(created.id, updated.outs);
       return { methods: Object.keys(provider).sort(), created, diff, updated, read };`,
    );
    expect(result.stderr).toBe("");
    const from = path.join(fs.realpathSync(project), "node_modules", "acme-floe", "providers.js");
    expect(result.out).toEqual({
      methods: ["create", "delete", "diff", "read", "update"],
      created: { id: "APP", outs: { name: "APP", patch: 0, from } },
      diff: { changes: true, replaces: [], deleteBeforeReplace: false, id: "APP" },
      updated: { outs: { name: "APP", patch: 1, updatedFrom: 0 } },
      read: { id: "APP", props: { name: "APP", patch: 1, updatedFrom: 0, deleted: "APP" } },
    });
  });

  it("says what to do when the project has no such package, or an older one", async () => {
    const empty = fs.mkdtempSync(path.join(work, "empty-"));
    const missing = await host(empty, serialized, "return await provider.create({});");
    expect(missing.out).toEqual({
      error: `floe's Pulumi providers run the floe package installed in the Pulumi project, but acme-floe/providers cannot be loaded from ${fs.realpathSync(empty)}. Run npm install there; floe must stay a dependency of the project while its resources exist.`,
    });
    const privilege = hostedProvider("acme-floe/providers", "applicationPrivilege");
    const older = (await pulumi.runtime.serializeFunction(() => privilege, { allowSecrets: true })).text;
    const result = await host(project, older, "return await provider.delete('id', {});");
    expect(result.out).toEqual({ error: "acme-floe/providers has no applicationPrivilege provider: the installed floe is older than the one that created this resource; update it." });
  });
});
