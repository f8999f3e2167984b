/**
 * Renders one connector per hooks file given on the command line, in one process: what
 * `floe render` does for each, measured as a whole process by the render benchmark.
 */
import { renderConnector } from "../generators/pipeline";

async function main(): Promise<void> {
  const files = process.argv.slice(2);
  for (const [i, file] of files.entries()) {
    await renderConnector({ name: `BENCH_${i}`, hooks: [file] });
  }
}

main().catch((e: unknown) => {
  process.stderr.write(String(e instanceof Error ? e.message : e) + "\n");
  process.exit(1);
});
