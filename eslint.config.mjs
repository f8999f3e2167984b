// The linter `npm test` runs (`npm run lint`): ESLint with typescript-eslint's recommended rules,
// without type information. Why ESLint and not Biome: the rules floe's code already states its
// exceptions against (`@typescript-eslint/no-require-imports`, `no-explicit-any`,
// `no-control-regex`) are typescript-eslint's and ESLint's own, so every directive in the code
// names a rule that runs; and the type-checker is tsc, run by `npm test` before the linter, so
// the type-aware rule sets (several times slower on two cores) would mostly repeat it.
// Every `eslint-disable` names its rule and says why, and a directive that no longer silences
// anything is itself an error (reportUnusedDisableDirectives).
import js from "@eslint/js";
import globals from "globals";
import tseslint from "typescript-eslint";

export default tseslint.config(
  {
    ignores: [
      "node_modules/**",
      "dist/**",
      "build/**",
      "coverage/**",
      "test-results/**",
      ".floe-cache/**",
      // Inputs of tests: hooks and scripts that are wrong or hostile on purpose, and generated output.
      "test/**/fixtures/**",
      "test/golden/**",
    ],
  },
  {
    linterOptions: { reportUnusedDisableDirectives: "error" },
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ["**/*.ts", "**/*.mts", "**/*.cts"],
    rules: {
      // tsc reports unused locals and parameters (noUnusedLocals, noUnusedParameters).
      "@typescript-eslint/no-unused-vars": "off",
    },
  },
  {
    // Tests read parsed JSON, protocol messages and Pulumi's gRPC objects whose shape their
    // assertions check; typing each of them would restate the assertion.
    files: ["test/**/*.ts"],
    rules: { "@typescript-eslint/no-explicit-any": "off" },
  },
  {
    // Plain JavaScript that Node loads as CommonJS: the CLI's launcher, the build, the procedure
    // runner's worker and engine, and the tests' Node scripts.
    files: ["**/*.js", "**/*.cjs"],
    languageOptions: { sourceType: "commonjs", globals: { ...globals.node } },
    rules: {
      "@typescript-eslint/no-require-imports": "off",
      // Without tsc over these files: names starting with _ are unused on purpose, and a rest
      // sibling drops the properties named before it.
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_", caughtErrorsIgnorePattern: "^_", ignoreRestSiblings: true }],
    },
  },
  {
    files: ["**/*.mjs"],
    languageOptions: { sourceType: "module", globals: { ...globals.node } },
  },
  {
    // Evaluated as one expression inside a procedure's node:vm context, never loaded by Node:
    // it sees only the language's own globals.
    files: ["sandbox/vm-context-api.js"],
    languageOptions: { sourceType: "script", globals: {} },
    // The file is one function expression, which vm-engine.cjs evaluates for its value.
    rules: { "@typescript-eslint/no-unused-expressions": "off" },
  },
);
