import { parseArgs } from "node:util";
import {
  createInProcessJobRunner,
  createPgBossJobRunner,
  createSmtpMailer,
  DIGEST_SCHEDULE,
  jobKindsWithMail,
  mailConfigFrom,
  REMINDER_SCHEDULE,
  startReminderSchedule,
} from "@fivestep/api";
import { createDb, dialectOf, hasActiveAdmin, migrateToLatest, seedDemo } from "@fivestep/db";
import { createAdministrator, seedDemoWithAccounts } from "./accounts.ts";
import { BackupError, backupDatabase, restoreDatabase } from "./backup.ts";
import { databaseUrl, redactUrl, trustProxySetting } from "./config.ts";
import { importFile } from "./import-command.ts";
import { createReportPdfRenderer, rendererOrigin } from "./reports.ts";
import { buildServer } from "./server.ts";

const USAGE = `Usage: fivestep <command> [options]

Commands:
  start [--demo] [--port N] [--host H]   migrate, optionally load the demo data and accounts, and serve
  migrate                                bring the database to the latest schema
  seed-demo                              load the demo catalogue, areas and observations
  import <file> --mapping <name> [--accept-good-rows] [--save-mapping-as <name>] [--revision-reason "…"]
                                         import a CSV or XLSX file with the mapping saved as <name>
                                         (or --mapping-file mapping.json), with the admin console's
                                         checks; prints progress and every problem; exits 1 on
                                         problems unless --accept-good-rows (then only the good
                                         rows are written); --save-mapping-as saves the mapping;
                                         a file that changes values of locked periods needs
                                         --revision-reason (one reason for all, kept with each)
  create-admin <email> [--name "Name"]   create a system administrator (or reset one's password);
                                         prints a new random password once
  backup <file>                          copy the SQLite database to <file> with SQLite's online
                                         backup (safe while the server runs); PostgreSQL: pg_dump
  restore <file>                         replace the SQLite database with a backup (checked first);
                                         refused while the server (or anything) has it open

The database is DATABASE_URL (a SQLite file, or a postgres:// URL); by default ./data/fivestep.db.`;

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  const { values, positionals } = parseArgs({
    args: rest,
    options: {
      demo: { type: "boolean", default: false },
      port: { type: "string", default: process.env.PORT ?? "3000" },
      name: { type: "string", default: "Administrator" },
      host: { type: "string", default: process.env.HOST ?? "127.0.0.1" },
      mapping: { type: "string" },
      "mapping-file": { type: "string" },
      "accept-good-rows": { type: "boolean", default: false },
      "save-mapping-as": { type: "string" },
      "revision-reason": { type: "string" },
    },
    strict: true,
    allowPositionals: true,
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
    case "import": {
      const file = positionals[0];
      if (!file || (!values.mapping && !values["mapping-file"])) {
        console.error(
          'import: give the file and the mapping, e.g. import smoking.csv --mapping "Trafford Data Lab"',
        );
        return 2;
      }
      const db = createDb(url);
      try {
        await migrateToLatest(db);
        return await importFile(db, file, {
          ...(values.mapping ? { mapping: values.mapping } : {}),
          ...(values["mapping-file"] ? { mappingFile: values["mapping-file"] } : {}),
          acceptGoodRows: values["accept-good-rows"],
          ...(values["save-mapping-as"] ? { saveMappingAs: values["save-mapping-as"] } : {}),
          ...(values["revision-reason"] ? { revisionReason: values["revision-reason"] } : {}),
          out: (line) => console.log(line),
          err: (line) => console.error(line),
        });
      } finally {
        await db.destroy();
      }
    }
    case "create-admin": {
      const email = positionals[0];
      if (!email) {
        console.error(
          "create-admin: give the administrator's email address, e.g. create-admin pat@council.example",
        );
        return 2;
      }
      const db = createDb(url);
      await migrateToLatest(db);
      const result = await createAdministrator(db, email, values.name);
      await db.destroy();
      console.log(`${result.created ? "Created administrator" : "Reset the password of"} ${result.email}.`);
      console.log(`Password (shown once; change it after signing in): ${result.password}`);
      return 0;
    }
    case "backup":
    case "restore": {
      const file = positionals[0];
      if (!file) {
        console.error(`${command}: give the backup file, e.g. ${command} /backups/fivestep.db`);
        return 2;
      }
      try {
        if (command === "backup") {
          const done = await backupDatabase(url, file);
          console.log(`Backed up ${redactUrl(url)} to ${done.file} (${done.bytes} bytes).`);
        } else {
          const done = await restoreDatabase(url, file);
          console.log(`Restored ${done.file} from ${file} (${done.tables} tables). Start the server now.`);
        }
        return 0;
      } catch (error) {
        if (!(error instanceof BackupError)) throw error;
        console.error(`${command}: ${error.message}`);
        return 1;
      }
    }
    case "start": {
      const port = Number(values.port);
      if (!Number.isInteger(port) || port < 0 || port > 65535) {
        console.error(`--port: "${values.port}" is not a port number`);
        return 2;
      }
      // Email goes out when SMTP_URL, MAIL_FROM and PUBLIC_URL are set; otherwise reminders stay
      // in-app. A half-configured server stops here, before touching the database, with the reason.
      const mail = mailConfigFrom();
      const db = createDb(url);
      await migrateToLatest(db);
      const credentials = values.demo ? await seedDemoWithAccounts(db) : [];
      if (!values.demo && !(await hasActiveAdmin(db))) {
        console.log(
          'No administrator yet. Create one with: fivestep create-admin <email> --name "Your Name"',
        );
      }
      const mailer = mail ? createSmtpMailer(mail) : null;
      // Report exports' PDFs are printed by this instance's Chromium through its own socket, once
      // it listens (until then, and without Chromium, a PDF export fails with the reason).
      let app: Awaited<ReturnType<typeof buildServer>> | undefined;
      const pdfRenderer = createReportPdfRenderer({
        db,
        origin: () => (app ? rendererOrigin(app.server.address()) : null),
      });
      const kinds = jobKindsWithMail(mailer, { pdfRenderer });
      // Imports' commits and reminders run as jobs: queued by pg-boss on PostgreSQL (any instance
      // may run them, a dead instance's job is retried), in this process on SQLite (a dead
      // process's jobs fail).
      const jobs =
        dialectOf(url) === "postgres"
          ? createPgBossJobRunner({ db, url, kinds })
          : createInProcessJobRunner({ db, kinds, workUrl: url });
      await jobs.start();
      // Every instance ticks; each reminder is claimed once in the database, so it is sent once.
      // The weekly digest: DIGEST_SCHEDULE (cron, default Mondays 07:00), claimed per person and week.
      const pattern = process.env.REMINDER_SCHEDULE?.trim() || REMINDER_SCHEDULE;
      const digestPattern = process.env.DIGEST_SCHEDULE?.trim() || DIGEST_SCHEDULE;
      const schedule =
        pattern === "off"
          ? null
          : startReminderSchedule(jobs, {
              pattern,
              digestPattern,
              onError: (error) => console.error(`Reminders could not be queued: ${String(error)}`),
            });
      app = await buildServer({
        db,
        jobs,
        logLevel: process.env.LOG_LEVEL ?? "info",
        secureCookies: process.env.COOKIE_SECURE === "1",
        trustProxy: trustProxySetting(),
      });
      const shutdown = async () => {
        schedule?.stop();
        await app?.close();
        mailer?.close();
        await db.destroy();
        process.exit(0);
      };
      process.once("SIGINT", shutdown);
      process.once("SIGTERM", shutdown);
      const address = await app.listen({ port, host: values.host });
      const base = address.replace("127.0.0.1", "localhost");
      console.log(`\nFivestep is running on ${redactUrl(url)}${values.demo ? " with demo data" : ""}.`);
      console.log(`  Planner:       ${base}/`);
      console.log(`  Admin console: ${base}/admin/`);
      console.log(
        `  Email:         ${mail ? `from ${mail.from}, links to ${mail.publicUrl}` : "off (SMTP_URL unset): notifications stay in-app"}${schedule ? `; reminders ${pattern}` : "; reminders off"}\n`,
      );
      if (credentials.length > 0) {
        console.log("Demo accounts (new passwords at every demo start):");
        for (const c of credentials) console.log(`  ${c.email.padEnd(30)} ${c.password}   ${c.roles}`);
        console.log("");
      }
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
