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
  /** Typed hooks compiled into the SDK's *_VALIDATE, *_INTERNAL, TEST_CONNECTION and VALIDATE_SOURCE procedures. */
  hooks: ["hooks/resume.ts", "hooks/flow.ts"],
  /** What the consumer does before configuring the app: listed by PUBLIC.PREREQUISITES, ticked off with UPDATE_PREREQUISITE. */
  prerequisites: [
    { id: "warehouse", title: "A warehouse for the connector", description: "Create a warehouse and name it in the configuration step." },
  ],
  /** Account privileges the manifest requests; RESUME and PAUSE need EXECUTE TASK. */
  privileges: ["EXECUTE TASK"],
  root: __dirname,
});
