/**
 * The example connector: what `npm start`, `floe render` and the Pulumi program (index.ts) build
 * by default. Copy it to start a connector of your own.
 */
import { defineConnector } from "floe";

export default defineConnector({
  name: "EXAMPLE_CONNECTOR",
  description: "An example connector built on the Native SDK for Connectors lifecycle, provisioned with floe.",
  version: "V1",
  hooks: ["hooks/resume.ts", "hooks/configure.ts", "hooks/connection.ts", "hooks/finalize.ts"],
  privileges: ["EXECUTE TASK"],
  prerequisites: [
    {
      id: "warehouse",
      title: "A warehouse for the connector",
      description: "Create a warehouse the connector may use, and name it in the configuration step.",
      documentationUrl: "https://docs.snowflake.com/en/sql-reference/sql/create-warehouse",
    },
    {
      id: "api_secret",
      title: "A secret with the API token",
      description: "Store the source system's API token in a secret; the connection step names it.",
      learnMoreUrl: "https://docs.snowflake.com/en/sql-reference/sql/create-secret",
      customProperties: { step: "connection" },
    },
  ],
  root: __dirname,
});
