/** `floe sandbox`: serves the embedded Snowflake sandbox to snowflake-sdk until interrupted. */
import { FloeError } from "../generators/errors";
import { Sandbox } from "../sandbox/sandbox";
import { pc } from "./common";

export async function sandboxCommand(options: { port?: string }): Promise<number> {
  const port = options.port === undefined ? 0 : Number(options.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new FloeError(`--port must be a port number (0-65535), got ${JSON.stringify(options.port)}.`);
  }
  const sandbox = await Sandbox.start();
  const server = await sandbox.serve(port);
  const settings = server.connectionOptions();
  process.stdout.write(
    `${pc.bold("floe sandbox")} listening on ${server.url}\n` +
      "Connect with snowflake-sdk:\n" +
      `  snowflake.createConnection(${JSON.stringify(settings)})\n` +
      "Any account, user and password are accepted. Press Ctrl+C to stop.\n",
  );
  await new Promise<void>((resolve) => {
    process.once("SIGINT", resolve);
    process.once("SIGTERM", resolve);
  });
  await sandbox.close();
  process.stdout.write("sandbox stopped\n");
  return 0;
}
