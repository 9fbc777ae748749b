import type { MigrationInterface, QueryRunner } from "typeorm";

/**
 * Documents by mail: each administration's secret address key (<slug>-<key>@MAIL_IN_DOMAIN), made
 * when the address is first shown and replaced when it is rotated.
 */
export class InboundEmail1767100000000 implements MigrationInterface {
  name = "InboundEmail1767100000000";

  async up(q: QueryRunner): Promise<void> {
    await q.query("ALTER TABLE administrations ADD COLUMN inbound_email_key varchar(24) UNIQUE");
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query("ALTER TABLE administrations DROP COLUMN inbound_email_key");
  }
}
