// Runs the Pulumi program of the current directory (a project that installed floe) under
// pulumi.runtime.setMocks, as Pulumi would run it (tsx preloaded: `node --require tsx/cjs`, the
// Pulumi.yaml of `floe init`), and writes every resource it registers — type, name, inputs, and
// for dynamic resources the serialized provider (`__provider`) — as JSON.
//
//   node --require tsx/cjs evaluate-program.cjs <out.json>
//
// Everything is resolved from the project, never from floe's checkout: this file only drives.
"use strict";
const fs = require("node:fs");
const path = require("node:path");
const { createRequire } = require("node:module");

const out = process.argv[2];
const project = process.cwd();
const requireHere = createRequire(path.join(project, "package.json"));
const pulumi = requireHere("@pulumi/pulumi");

const registered = [];
pulumi.runtime.setMocks(
  {
    newResource(args) {
      registered.push({ type: args.type, name: args.name, inputs: args.inputs });
      return { id: `${args.name}-id`, state: args.inputs };
    },
    call(args) {
      return args.inputs;
    },
  },
  "my-connector",
  "dev",
  false,
);
// The stack config a user sets with `pulumi config set`; the password as a secret.
pulumi.runtime.setAllConfig(
  { "snowflake:account": "MYORG-MYACCOUNT", "snowflake:user": "DEPLOYER", "snowflake:password": "pw-not-a-real-one" },
  ["snowflake:password"],
);

async function main() {
  const program = requireHere(path.join(project, "index.ts"));
  const outputs = Object.values(program).filter((value) => pulumi.Output.isInstance(value));
  await Promise.all(outputs.map((output) => output.promise()));
  // Registrations are asynchronous: wait until the record stops growing.
  let seen = -1;
  while (seen !== registered.length) {
    seen = registered.length;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  const stack = {};
  for (const [key, value] of Object.entries(program)) if (pulumi.Output.isInstance(value)) stack[key] = await value.promise();
  fs.writeFileSync(out, JSON.stringify({ resources: registered, outputs: stack }, null, 2));
}

main().catch((error) => {
  process.stderr.write(String((error && error.stack) || error) + "\n");
  process.exitCode = 1;
});
