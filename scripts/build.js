#!/usr/bin/env node
// The package build (`npm run build`; `prepare` runs it, so `npm ci`, `npm pack` and an install
// from git all build): floe's TypeScript compiled by tsc (tsconfig.build.json) into dist/ as
// CommonJS with declarations and source maps, then the files that are not TypeScript but that
// compiled code loads beside itself. dist/ is rebuilt from nothing, so a removed source never
// leaves a stale module behind.
//
// Then floe's own lifecycle procedures are compiled, once, from the compiled generator: their
// bodies never depend on a user's input, so `floe render` reads them from dist/procedures.json
// instead of type-checking and bundling floe's lifecycle code on every run. The same step gates
// floe's fixed SQL (templates, lifecycle procedures) and records what passed, so a render gates
// only the statements that depend on the user. dist/build-info.json holds the fingerprint of the
// sources the build was made from; the artifact and every cache entry are keyed by it.
//
// A build step is one entry of STEPS; each prints one line with its time.
"use strict";
const { spawnSync } = require("node:child_process");
const fs = require("node:fs");
const path = require("node:path");

const ROOT = path.resolve(__dirname, "..");
const DIST = path.join(ROOT, "dist");

/** Non-TypeScript files compiled code loads by path, copied to the same place under dist/. */
const ASSETS = [
  "sandbox/tables/duckdb-worker.cjs",
  // The procedure runner: plain JavaScript so that a worker thread loads it without a loader.
  "sandbox/vm-worker.cjs",
  "sandbox/vm-engine.cjs",
  "sandbox/vm-engine.d.cts",
  "sandbox/vm-context-api.js",
];

const STEPS = [
  ["clean dist/", () => fs.rmSync(DIST, { recursive: true, force: true })],
  [
    "tsc -p tsconfig.build.json",
    () => {
      const tsc = require.resolve("typescript/bin/tsc", { paths: [ROOT] });
      const result = spawnSync(process.execPath, [tsc, "-p", path.join(ROOT, "tsconfig.build.json")], { cwd: ROOT, stdio: "inherit" });
      if (result.status !== 0) throw new Error(`tsc failed (exit ${result.status ?? result.signal})`);
    },
  ],
  [
    "copy assets",
    () => {
      for (const asset of ASSETS) {
        fs.mkdirSync(path.dirname(path.join(DIST, asset)), { recursive: true });
        fs.copyFileSync(path.join(ROOT, asset), path.join(DIST, asset));
      }
    },
  ],
  [
    "lifecycle procedures",
    () => {
      const fingerprint = require(path.join(DIST, "generators", "cache", "fingerprint.js"));
      const info = { fingerprint: fingerprint.sourceFingerprint(ROOT), tools: fingerprint.toolVersions() };
      fs.writeFileSync(path.join(DIST, "build-info.json"), JSON.stringify(info, null, 2) + "\n");
      const artifact = require(path.join(DIST, "generators", "compile", "lifecycle-artifact.js"));
      const built = artifact.buildLifecycleArtifact();
      if (built.fingerprint !== info.fingerprint) throw new Error("the lifecycle artifact was built by another fingerprint than the build's");
      fs.writeFileSync(artifact.ARTIFACT_FILE, JSON.stringify(built) + "\n");
    },
  ],
];

for (const [label, run] of STEPS) {
  const started = Date.now();
  process.stderr.write(`floe build: ${label} ...`);
  try {
    run();
  } catch (error) {
    process.stderr.write(" failed\n");
    process.stderr.write(`${error && error.message ? error.message : error}\n`);
    process.exit(1);
  }
  process.stderr.write(` done (${((Date.now() - started) / 1000).toFixed(1)} s)\n`);
}
