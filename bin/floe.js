#!/usr/bin/env node
// Launcher for the `floe` command: floe runs from its TypeScript sources (no build step),
// so register tsx's CommonJS loader and hand over to the CLI.
require("tsx/cjs");
require("../cli/floe.ts").main();
