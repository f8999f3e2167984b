// Runs the dynamic providers a Pulumi program serialized (evaluate-program.cjs wrote them) the way
// Pulumi's provider host does — require-from-string of the `__provider` text, then `.handler()`,
// in a plain Node process whose working directory is the project, with no TypeScript loader —
// against floe's sandbox served over HTTP, through snowflake-sdk. Prints one JSON object.
//
//   node run-providers.cjs <before.json> <after.json>
//
// before.json: the program as first deployed; after.json: the same program after a hook edit.
// create every resource of before, check the app answers; diff/update to after, check the
// upgrade; then delete everything, as `pulumi destroy` would, and read it back.
"use strict";
const fs = require("node:fs");
const path = require("node:path");
const { createRequire } = require("node:module");

const [beforeFile, afterFile] = process.argv.slice(2);
const project = process.cwd();
const requireHere = createRequire(path.join(project, "package.json"));
// The provider host requires require-from-string from @pulumi/pulumi's own dependencies.
const requireFromString = createRequire(requireHere.resolve("@pulumi/pulumi/package.json"))("require-from-string");
const sdk = createRequire(requireHere.resolve("floe/package.json"))("snowflake-sdk");
const { Sandbox } = requireHere("floe/sandbox");

const TYPE = "pulumi-nodejs:dynamic/floe:";
const ORDER = ["ApplicationPackage", "StageFile", "PackageVersion", "Application", "ApplicationPrivilege"];

function dynamicResources(file) {
  const { resources } = JSON.parse(fs.readFileSync(file, "utf8"));
  return resources
    .filter((r) => r.type.startsWith(TYPE))
    .map((r) => ({ ...r, kind: r.type.slice(TYPE.length) }))
    .sort((a, b) => ORDER.indexOf(a.kind) - ORDER.indexOf(b.kind));
}

/** The provider of one resource, loaded from its own serialized text as the host loads it. */
function providerOf(resource) {
  return requireFromString(resource.inputs.__provider).handler();
}

async function query(options, sqlText) {
  const connection = sdk.createConnection(options);
  await new Promise((resolve, reject) => connection.connect((error) => (error ? reject(error) : resolve())));
  try {
    return await new Promise((resolve, reject) => connection.execute({ sqlText, complete: (error, _s, rows) => (error ? reject(error) : resolve(rows)) }));
  } finally {
    await new Promise((resolve) => connection.destroy(() => resolve()));
  }
}

async function main() {
  sdk.configure({ logLevel: "OFF" });
  const sandbox = await Sandbox.start();
  const report = { creates: [], diffs: {}, updates: [], deletes: [] };
  try {
    const options = (await sandbox.serve()).connectionOptions();
    const connection = { account: options.account, user: options.username, password: options.password, accessUrl: options.accessUrl, role: "ACCOUNTADMIN" };
    const state = new Map();
    const inputsOf = (r) => {
      const { __provider, ...inputs } = r.inputs;
      inputs.connection = connection;
      // The engine hands the application the patch its version resource reported.
      if (r.kind === "Application") inputs.patch = state.get("connector-version").outs.patch;
      return inputs;
    };

    const before = dynamicResources(beforeFile);
    for (const r of before) {
      const created = await providerOf(r).create(inputsOf(r));
      state.set(r.name, { resource: r, id: created.id, outs: created.outs });
      report.creates.push(r.name);
    }
    const app = state.get("connector-app").outs.name;
    report.statusAfterCreate = (await query(options, `CALL ${app}.PUBLIC.GET_CONNECTOR_STATUS()`))[0];

    for (const r of dynamicResources(afterFile)) {
      const old = state.get(r.name);
      const provider = providerOf(r);
      const diff = await provider.diff(old.id, old.outs, inputsOf(r));
      report.diffs[r.name] = diff;
      if (diff.changes) {
        const updated = await provider.update(old.id, old.outs, inputsOf(r));
        state.set(r.name, { resource: r, id: old.id, outs: updated.outs });
        report.updates.push(r.name);
      }
    }
    const { connection: _, ...upgraded } = state.get("connector-app").outs;
    report.application = upgraded;
    report.readAfterUpdate = (await providerOf(state.get("connector-app").resource).read(state.get("connector-app").id, state.get("connector-app").outs)).props?.patch;
    report.statusAfterUpdate = (await query(options, `CALL ${app}.PUBLIC.GET_CONNECTOR_STATUS()`))[0];

    for (const name of [...state.keys()].reverse()) {
      const { resource, id, outs } = state.get(name);
      await providerOf(resource).delete(id, outs);
      report.deletes.push(name);
    }
    const pkg = state.get("connector-package");
    const application = state.get("connector-app");
    report.readAfterDelete = {
      package: await providerOf(pkg.resource).read(pkg.id, pkg.outs),
      application: await providerOf(application.resource).read(application.id, application.outs),
    };
  } finally {
    await sandbox.close();
  }
  // Where the code that ran came from: floe's compiled package in the project's node_modules.
  report.floeModules = Object.keys(require.cache)
    .filter((file) => file.includes(`${path.sep}floe${path.sep}`) && !file.includes(`${path.sep}floe${path.sep}node_modules${path.sep}`))
    .map((file) => path.relative(project, file))
    .sort();
  report.typescriptLoader = require.extensions[".ts"] !== undefined;
  return report;
}

main()
  .then((report) => process.stdout.write(JSON.stringify(report) + "\n"))
  .catch((error) => {
    process.stderr.write(String((error && error.stack) || error) + "\n");
    process.exitCode = 1;
  });
