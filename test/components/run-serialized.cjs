// Loads serialized providers as Pulumi's dynamic provider host does (require-from-string, then
// .handler()), in plain Node without any TypeScript loader, and runs a scenario. Prints JSON.
//
//   node test/components/run-serialized.cjs <dir> recording
//   node test/components/run-serialized.cjs <dir> login <accessUrl>
"use strict";
const fs = require("node:fs");
const path = require("node:path");
const requireFromString = require("require-from-string");

const [dir, scenario, accessUrl] = process.argv.slice(2);
const load = (name) => requireFromString(fs.readFileSync(path.join(dir, name + ".js"), "utf8")).handler();
const errorOf = (e) => ({ name: e.name, kind: e.kind, code: e.code, message: e.message });

async function recording() {
  const connection = { account: "MYORG-MYACCOUNT", user: "DEPLOYER", password: "pw-serialized-1" };
  const kinds = ["applicationPackage", "stageFile", "packageVersion", "application", "applicationPrivilege"];
  const all = load("recording");
  const loaded = Object.fromEntries(kinds.map((k) => [k, all[k]]));
  const methods = Object.fromEntries(kinds.map((k) => [k, Object.keys(loaded[k]).sort()]));
  const app = loaded.application;
  const inputs = { connection, name: "EXAMPLE_CONNECTOR", packageName: "EXAMPLE_PKG", version: "V1", patch: 0, allowReplace: false };
  const created = await app.create(inputs);
  const upgrade = await app.diff(created.id, created.outs, { ...inputs, patch: 1 });
  await app.update(created.id, created.outs, { ...inputs, patch: 1 });
  let refusal;
  try {
    await app.diff(created.id, created.outs, { ...inputs, name: "OTHER" });
  } catch (e) {
    refusal = e.message;
  }
  const version = await loaded.packageVersion.update("id", { connection, packageName: "EXAMPLE_PKG", location: "@EXAMPLE_PKG.FLOE.BUNDLE/app", version: "V1", files: {}, bundleHash: "a", patch: 0 }, { connection, packageName: "EXAMPLE_PKG", location: "@EXAMPLE_PKG.FLOE.BUNDLE/app", version: "V1", files: {}, bundleHash: "b" });
  await loaded.applicationPrivilege.create({ connection, application: "EXAMPLE_CONNECTOR", privilege: "EXECUTE TASK" });
  return { methods, created, upgrade, refusal, patch: version.outs.patch, sql: globalThis.__floeSql };
}

async function login() {
  const connection = { account: "MYORG-MYACCOUNT", user: "DEPLOYER", password: "pw-serialized-2", accessUrl };
  const app = load("default-application");
  try {
    await app.create({ connection, name: "EXAMPLE_CONNECTOR", packageName: "EXAMPLE_PKG", version: "V1", patch: 0, allowReplace: false });
    return { error: null };
  } catch (e) {
    return { error: errorOf(e), sdkLoadedFrom: Object.keys(require.cache).find((p) => p.includes(`${path.sep}snowflake-sdk${path.sep}`)) ?? null };
  }
}

async function full() {
  // The default providers end to end through snowflake-sdk, against a stand-in at accessUrl.
  const connection = { account: "MYORG-MYACCOUNT", user: "DEPLOYER", password: "pw-serialized-3", accessUrl };
  const kinds = ["applicationPackage", "stageFile", "packageVersion", "application", "applicationPrivilege"];
  const p = Object.fromEntries(kinds.map((k) => [k, load("default-" + k)]));
  const pkg = await p.applicationPackage.create({ connection, name: "EXAMPLE_PKG", comment: "c", distribution: "INTERNAL" });
  const files = { "manifest.yml": "manifest_version: 1\n", "setup.sql": "CREATE APPLICATION ROLE IF NOT EXISTS ADMIN;\n" };
  for (const [file, content] of Object.entries(files)) {
    await p.stageFile.create({ connection, location: pkg.outs.location, path: file, content, hash: file });
  }
  const version = await p.packageVersion.create({ connection, packageName: "EXAMPLE_PKG", location: pkg.outs.location, version: "V1", files: { "manifest.yml": "m", "setup.sql": "s" }, bundleHash: "b" });
  const app = await p.application.create({ connection, name: "EXAMPLE_CONNECTOR", packageName: "EXAMPLE_PKG", version: "V1", patch: version.outs.patch, allowReplace: false });
  await p.applicationPrivilege.create({ connection, application: "EXAMPLE_CONNECTOR", privilege: "EXECUTE TASK" });
  const read = await p.application.read(app.id, app.outs);
  return { location: pkg.outs.location, patch: version.outs.patch, read: read.props && { version: read.props.version, patch: read.props.patch } };
}

const scenarios = { recording, login, full };
scenarios[scenario]()
  .then((result) => process.stdout.write(JSON.stringify(result) + "\n"))
  .catch((e) => {
    process.stdout.write(JSON.stringify({ failed: errorOf(e) }) + "\n");
    process.exitCode = 1;
  });
