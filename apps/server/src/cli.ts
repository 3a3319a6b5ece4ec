import { parseArgs } from "node:util";
import { createDb, migrateToLatest, seedDemo } from "@fivestep/db";
import { databaseUrl, redactUrl } from "./config.ts";
import { buildServer } from "./server.ts";

const USAGE = `Usage: fivestep <command> [options]

Commands:
  start [--demo] [--port N] [--host H]   migrate, optionally load the demo data, and serve
  migrate                                bring the database to the latest schema
  seed-demo                              load the demo catalogue, areas and observations

The database is DATABASE_URL (a SQLite file, or a postgres:// URL); by default ./data/fivestep.db.`;

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  const { values } = parseArgs({
    args: rest,
    options: {
      demo: { type: "boolean", default: false },
      port: { type: "string", default: process.env.PORT ?? "3000" },
      host: { type: "string", default: process.env.HOST ?? "127.0.0.1" },
    },
    strict: true,
  });
  const url = databaseUrl();

  switch (command) {
    case "migrate": {
      const db = createDb(url);
      const result = await migrateToLatest(db);
      console.log(`Migrated ${redactUrl(url)}: ${result.results?.length ?? 0} migration(s) applied.`);
      await db.destroy();
      return 0;
    }
    case "seed-demo": {
      const db = createDb(url);
      await migrateToLatest(db);
      const counts = await seedDemo(db);
      console.log(
        `Demo data loaded into ${redactUrl(url)}: ${counts.areas} areas, ${counts.indicators} indicators, ${counts.observations} observations.`,
      );
      await db.destroy();
      return 0;
    }
    case "start": {
      const port = Number(values.port);
      if (!Number.isInteger(port) || port < 0 || port > 65535) {
        console.error(`--port: "${values.port}" is not a port number`);
        return 2;
      }
      const db = createDb(url);
      await migrateToLatest(db);
      if (values.demo) await seedDemo(db);
      const app = await buildServer({ db, logLevel: process.env.LOG_LEVEL ?? "info" });
      const shutdown = async () => {
        await app.close();
        await db.destroy();
        process.exit(0);
      };
      process.once("SIGINT", shutdown);
      process.once("SIGTERM", shutdown);
      const address = await app.listen({ port, host: values.host });
      const base = address.replace("127.0.0.1", "localhost");
      console.log(`\nFivestep is running on ${redactUrl(url)}${values.demo ? " with demo data" : ""}.`);
      console.log(`  Planner:       ${base}/`);
      console.log(`  Admin console: ${base}/admin/\n`);
      return -1; // keep running
    }
    default:
      console.log(USAGE);
      return command === undefined || command === "help" || command === "--help" ? 0 : 2;
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    if (code >= 0) process.exit(code);
  },
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  },
);
