/**
 * The connector app: what `floe render`, `floe simulate`, `floe plan` and the Pulumi program
 * (index.ts) build. Every path in it is relative to this file's directory.
 */
import { defineConnector } from "floe";

export default defineConnector({
  /** The application's name; the application package is MY_CONNECTOR_PKG. */
  name: "MY_CONNECTOR",
  description: "MY_CONNECTOR, a Snowflake Native App connector built on the Native SDK for Connectors lifecycle.",
  version: "V1",
  /** Typed hooks compiled into the *_VALIDATE and *_INTERNAL procedures. */
  hooks: ["hooks/resume.ts"],
  /** Account privileges the manifest requests; RESUME and PAUSE need EXECUTE TASK. */
  privileges: ["EXECUTE TASK"],
  root: __dirname,
});
