import type { ClassType } from "../core/class-type.js";
import { DataSource } from "typeorm";
import { migrations } from "../../migrations/index.js";
import { SnakeNamingStrategy } from "./naming.js";
import { CountingLogger } from "./query-stats.js";

export interface DataSourceOptions {
  url: string;
  /** The entity classes (every module's: src/modules/index.ts). */
  entities: ClassType[];
  poolSize?: number;
  log?: (level: "warn" | "debug", message: string, extra?: object) => void;
  applicationName?: string;
}

/** A DataSource over `url`, with every entity and migration; not yet initialised. */
export function createDataSource(options: DataSourceOptions): DataSource {
  return new DataSource({
    type: "postgres",
    url: options.url,
    entities: options.entities,
    migrations,
    migrationsTableName: "migrations",
    migrationsTransactionMode: "each",
    namingStrategy: new SnakeNamingStrategy(),
    synchronize: false,
    logger: new CountingLogger(options.log ?? (() => undefined)),
    maxQueryExecutionTime: 1000,
    poolSize: options.poolSize ?? 10,
    applicationName: options.applicationName ?? "portaldesk",
  });
}

/** Creates database `name` on the server of `adminUrl` when it does not exist yet. */
export async function ensureDatabase(adminUrl: string, name: string): Promise<void> {
  const pg = await import("pg");
  const client = new pg.default.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const exists = await client.query("SELECT 1 FROM pg_database WHERE datname = $1", [name]);
    if (exists.rowCount === 0) await client.query(`CREATE DATABASE "${name.replace(/"/g, '""')}"`);
  } finally {
    await client.end();
  }
}

/** Whether every known migration has been applied (for /readyz). */
export async function migrationsApplied(dataSource: DataSource): Promise<boolean> {
  return !(await dataSource.showMigrations());
}
