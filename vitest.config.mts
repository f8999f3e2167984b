import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

const here = (file: string) => fileURLToPath(new URL(file, import.meta.url));

export default defineConfig({
  resolve: {
    // Hooks files and tests import the package by its own name, as users do (package.json exports).
    alias: [
      { find: /^floe$/, replacement: here("./api/index.ts") },
      { find: /^floe\/generators$/, replacement: here("./generators/index.ts") },
      { find: /^floe\/sandbox$/, replacement: here("./sandbox/index.ts") },
      { find: /^floe\/pulumi$/, replacement: here("./components/index.ts") },
    ],
  },
  test: {
    include: ["test/**/*.test.ts"],
    setupFiles: ["test/setup/deferred-modules.ts"],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: "forks",
  },
});
