import type { DataSource } from "typeorm";

/** A secret every instance shares, made by a migration (e.g. `url_signing`). */
export async function loadServerSecret(dataSource: DataSource, name: string): Promise<string> {
  const rows = (await dataSource.query("SELECT value FROM server_secrets WHERE name = $1", [name])) as Array<{ value: string }>;
  if (!rows[0]) throw new Error(`server secret "${name}" is missing: are all migrations applied?`);
  return rows[0].value;
}
