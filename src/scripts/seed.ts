// `npm run seed`: the demo data against any database (DATABASE_URL, or the embedded one).
import "reflect-metadata";
import { loadConfig } from "../config/config.js";
import { startPortalDesk } from "../server/app.js";
import { demoBanner, seedDemoData } from "./demo-data.js";

const config = { ...loadConfig(), port: 0, host: "127.0.0.1", logLevel: "warn" as const };
const server = await startPortalDesk(config);
try {
  const result = await seedDemoData(server.services, config.demoPassword);
  process.stdout.write(result.created ? demoBanner(config.publicUrl, result, config.demoPassword) + "\n" : "Demo data exists already; nothing changed.\n");
} finally {
  await server.stop();
}
