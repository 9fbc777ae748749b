import type { MigrationInterface, QueryRunner } from "typeorm";

/**
 * Documents by mail, second step: per administration what mail from strangers does (quarantine or
 * refuse) and whether a mail without attachments becomes a PDF of its text; the quarantine itself
 * (the mail kept whole as a blob until staff decide).
 */
export class MailQuarantine1767200000000 implements MigrationInterface {
  name = "MailQuarantine1767200000000";

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE administrations
      ADD COLUMN mail_from_strangers varchar(10) NOT NULL DEFAULT 'QUARANTINE' CHECK (mail_from_strangers IN ('QUARANTINE', 'REFUSE')),
      ADD COLUMN mail_body_as_pdf boolean NOT NULL DEFAULT false`);
    await q.query(`CREATE TABLE quarantined_mails (
      id uuid PRIMARY KEY,
      firm_id uuid NOT NULL REFERENCES firms(id) ON DELETE CASCADE,
      administration_id uuid NOT NULL REFERENCES administrations(id) ON DELETE CASCADE,
      reason varchar(20) NOT NULL CHECK (reason IN ('UNKNOWN_SENDER', 'UNVERIFIED_SENDER')),
      sender varchar(320) NOT NULL,
      from_header varchar(500) NOT NULL,
      subject varchar(300) NOT NULL,
      message_id varchar(500),
      attachments jsonb NOT NULL,
      body_as_pdf boolean NOT NULL,
      blob_sha256 varchar(64) NOT NULL,
      size integer NOT NULL,
      received_at timestamptz NOT NULL DEFAULT now()
    )`);
    // The list staff page through, newest first; the daily prune by age.
    await q.query("CREATE INDEX quarantined_mails_administration ON quarantined_mails (administration_id, received_at DESC, id DESC)");
    await q.query("CREATE INDEX quarantined_mails_received ON quarantined_mails (received_at)");
    await q.query("CREATE INDEX quarantined_mails_blob ON quarantined_mails (blob_sha256)");
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query("DROP TABLE quarantined_mails");
    await q.query("ALTER TABLE administrations DROP COLUMN mail_from_strangers, DROP COLUMN mail_body_as_pdf");
  }
}
