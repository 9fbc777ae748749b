import type { MigrationInterface, QueryRunner } from "typeorm";

/**
 * What a firm sets about itself: the name its clients know, its brand colour, the sender name and
 * reply-to address of its mails, and the contact details shown in the portal and every mail's
 * footer. Mails keep the sender name and reply-to they were queued with (the record of what was sent).
 */
export class FirmSettings1765400000000 implements MigrationInterface {
  name = "FirmSettings1765400000000";

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE firms
        ADD COLUMN display_name varchar(200),
        ADD COLUMN brand_colour varchar(7) CHECK (brand_colour ~ '^#[0-9a-f]{6}$'),
        ADD COLUMN mail_sender_name varchar(100),
        ADD COLUMN reply_to varchar(320),
        ADD COLUMN contact_email varchar(320),
        ADD COLUMN contact_phone varchar(40),
        ADD COLUMN website varchar(200);
      ALTER TABLE outgoing_mails ADD COLUMN from_name varchar(200), ADD COLUMN reply_to varchar(320);
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE outgoing_mails DROP COLUMN from_name, DROP COLUMN reply_to;
      ALTER TABLE firms DROP COLUMN display_name, DROP COLUMN brand_colour, DROP COLUMN mail_sender_name, DROP COLUMN reply_to,
        DROP COLUMN contact_email, DROP COLUMN contact_phone, DROP COLUMN website;
    `);
  }
}
