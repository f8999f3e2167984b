#!/usr/bin/env node
// The `floe` command.
//
// The installed package runs its compiled JavaScript (dist/); connector.ts is loaded with tsx
// only when a command reads it (cli/typescript.ts). A checkout of floe's repository, where the
// TypeScript sources are, runs the sources through tsx instead, so an edit shows at once and a
// stale dist/ is never run by mistake.
"use strict";
const fs = require("node:fs");
const path = require("node:path");

const source = path.join(__dirname, "..", "cli", "floe.ts");
if (fs.existsSync(source)) {
  require("tsx/cjs");
  require(source).main();
} else {
  require("../dist/cli/floe.js").main();
}
