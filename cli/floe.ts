/**
 * The floe command line. Run with `npx floe <command>` (or `npm run floe -- <command>` inside
 * this repository).
 */
import { Command, Option } from "commander";
import { version } from "../package.json";
import { runCommand } from "./common";
import { renderCommand } from "./render";
import { sandboxCommand } from "./sandbox";

const collect = (value: string, previous: string[] = []) => [...previous, value];

export function buildProgram(): Command {
  const program = new Command();
  program
    .name("floe")
    .description("Snowflake Native App connectors as code: render, simulate and plan connector apps built on the Native SDK for Connectors lifecycle.")
    .version(version, "-v, --version")
    .showHelpAfterError()
    .configureOutput({ writeErr: (s) => process.stderr.write(s) })
    .exitOverride((err) => {
      // commander exits 1 on bad arguments already; keep 0 for --help/--version.
      process.exit(err.exitCode);
    });

  program
    .command("render")
    .description("Render the Native App bundle: setup.sql, manifest.yml and the SQL files, with hook procedures compiled from TypeScript.")
    .option("--hooks <file>", "hooks file (repeatable); default: the connector's hooks", collect)
    .option("--connector <file>", "connector definition (default: ./connector.ts, else the example connector)")
    .addOption(new Option("--out <dir>", "output directory").default("build/app"))
    .action((options: { hooks?: string[]; connector?: string; out: string }) => runCommand(() => renderCommand(options)));

  program
    .command("sandbox")
    .description("Serve the embedded Snowflake sandbox on 127.0.0.1 to snowflake-sdk until interrupted, printing the connection settings.")
    .option("--port <port>", "port to listen on (default: a random free port)")
    .action((options: { port?: string }) => runCommand(() => sandboxCommand(options)));

  return program;
}

if (require.main === module) {
  buildProgram().parseAsync(process.argv).catch((e: unknown) => {
    process.stderr.write(String(e) + "\n");
    process.exitCode = 1;
  });
}
