/**
 * The example connector: what `npm start`, `floe render` and the Pulumi program (index.ts) build
 * by default. Copy it to start a connector of your own.
 */
import { defineConnector } from "floe";

export default defineConnector({
  name: "EXAMPLE_CONNECTOR",
  description: "An example connector built on the Native SDK for Connectors lifecycle, provisioned with floe.",
  version: "V1",
  hooks: ["hooks/resume.ts"],
  privileges: ["EXECUTE TASK"],
  root: __dirname,
});
