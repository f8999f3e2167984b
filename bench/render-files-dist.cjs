// Renders one connector per hooks file given on the command line, in one process, with the
// compiled floe (dist/): what `floe render` does for each, with the project's cache in the
// current folder. Used by the render-after-an-edit benchmark (bench/suites/targets.ts).
"use strict";
const { renderConnector } = require("../dist/generators/pipeline.js");

(async () => {
  const files = process.argv.slice(2);
  for (const [i, file] of files.entries()) await renderConnector({ name: `BENCH_${i}`, hooks: [file], root: process.cwd() });
})().catch((e) => {
  process.stderr.write(String(e && e.message ? e.message : e) + "\n");
  process.exit(1);
});
