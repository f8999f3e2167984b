// floe as the installed package runs it: the compiled dist/ (run `npm run build` first), started
// directly by node — not through npx or bin/floe.js, which in a checkout runs the sources.
"use strict";
require("../dist/cli/floe.js").main();
