/**
 * Serializes floe's dynamic providers the way `pulumi up` does (pulumi.runtime.serializeFunction
 * of `() => provider`, as @pulumi/pulumi/dynamic's serializeProvider calls it), in a plain
 * Node process with tsx's CommonJS hook — the loader Pulumi.yaml configures — rather than
 * under vitest. Writes one file per provider:
 *   default-<kind>.js    the providers ConnectorApp uses (snowflake-sdk runner)
 *   recording.js         all six over a runner that records into globalThis.__floeSql, as one
 *                        object (one closure walk instead of six: the test only runs them)
 *
 *   node --require tsx/cjs test/components/serialize-providers.ts <out-dir>
 */
import * as fs from "node:fs";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { makeProviders } from "../../components/providers";
import { defaultProviders } from "../../components/resources";

// Serialized by value with the providers: at run time it records into the process's global.
const recording = makeProviders(async (connection) => {
  const log = ((globalThis as Record<string, unknown>).__floeSql ??= []) as string[];
  log.push(`-- login ${connection.user}@${connection.account}`);
  return {
    async execute(sqlText: string) {
      log.push(sqlText);
      if (sqlText.startsWith("SHOW VERSIONS")) return [{ version: "V1", patch: 0 }];
      if (sqlText.includes(" ADD PATCH ")) return [{ version: "V1", patch: 1 }];
      return [];
    },
    async close() {
      log.push("-- close");
    },
  };
});

async function main(): Promise<void> {
  const out = process.argv[2];
  if (out === undefined) throw new Error("usage: serialize-providers.ts <out-dir>");
  fs.mkdirSync(out, { recursive: true });
  const started = Date.now();
  for (const [kind, provider] of Object.entries(defaultProviders)) {
    const serialized = await pulumi.runtime.serializeFunction(() => provider, { allowSecrets: true });
    fs.writeFileSync(path.join(out, `default-${kind}.js`), serialized.text);
  }
  const all = await pulumi.runtime.serializeFunction(() => recording, { allowSecrets: true });
  fs.writeFileSync(path.join(out, "recording.js"), all.text);
  process.stdout.write(JSON.stringify({ milliseconds: Date.now() - started }) + "\n");
}

main().catch((error: unknown) => {
  process.stderr.write(String((error as Error).stack ?? error) + "\n");
  process.exitCode = 1;
});
