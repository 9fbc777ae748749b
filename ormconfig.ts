// For TypeORM tooling run by hand (e.g. `typeorm migration:show` under tsx). The server itself
// builds its DataSource in src/db/data-source.ts from the validated config.
import "reflect-metadata";
import { loadConfig } from "./src/config/config.js";
import { createDataSource } from "./src/db/data-source.js";
import { entities } from "./src/modules/index.js";

const config = loadConfig();
if (!config.databaseUrl) throw new Error("ormconfig.ts needs DATABASE_URL (the embedded database is started by `npm start`)");

export default createDataSource({ url: config.databaseUrl, entities });
