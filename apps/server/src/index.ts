export { databaseUrl, redactUrl } from "./config.ts";
export { buildServer, DEFAULT_APP_DIRS, type ServerOptions } from "./server.ts";
