import type { MigrationInterface, QueryRunner } from "typeorm";

/**
 * API token scopes and administration limits. NULL is "all" for both, so every token made before
 * keeps the access it had.
 */
export class ApiTokenScopes1766900000000 implements MigrationInterface {
  name = "ApiTokenScopes1766900000000";

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE api_tokens
        ADD COLUMN scopes text[],
        ADD COLUMN administration_ids uuid[];
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query("ALTER TABLE api_tokens DROP COLUMN scopes, DROP COLUMN administration_ids");
  }
}
