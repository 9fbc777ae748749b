import type { MigrationInterface, QueryRunner } from "typeorm";

/** Outgoing mail (sent by jobs, never in a request) and each user's choice of delivery per notification kind. */
export class Mail1764600000000 implements MigrationInterface {
  name = "Mail1764600000000";

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE notification_preferences (
        user_id uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        kind varchar(60) NOT NULL,
        delivery varchar(12) NOT NULL CHECK (delivery IN ('IMMEDIATE', 'DAILY_DIGEST', 'OFF')),
        updated_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (user_id, kind)
      );

      -- Decided when the notification is made, so a later change of preference does not resend.
      ALTER TABLE notifications
        ADD COLUMN mail_delivery varchar(12) NOT NULL DEFAULT 'OFF' CHECK (mail_delivery IN ('IMMEDIATE', 'DAILY_DIGEST', 'OFF')),
        ADD COLUMN mailed_at timestamptz;
      CREATE INDEX notifications_digest_idx ON notifications (recipient_user_id, created_at) WHERE mail_delivery = 'DAILY_DIGEST' AND mailed_at IS NULL;

      CREATE TABLE outgoing_mails (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        firm_id uuid NOT NULL REFERENCES firms(id),
        administration_id uuid REFERENCES administrations(id) ON DELETE SET NULL,
        recipient_user_id uuid REFERENCES users(id) ON DELETE SET NULL,
        to_address varchar(320) NOT NULL,
        kind varchar(20) NOT NULL CHECK (kind IN ('NOTIFICATION', 'DIGEST', 'INVITATION')),
        -- What the mail is about (a filing, a document), for the subject's history.
        subject_type varchar(50),
        subject_id uuid,
        notification_kind varchar(60),
        notification_ids uuid[] NOT NULL DEFAULT '{}',
        subject varchar(300) NOT NULL,
        -- Dropped once sent when they carry a secret (an invitation link).
        text_body text,
        html_body text,
        created_at timestamptz NOT NULL DEFAULT now(),
        sent_at timestamptz,
        message_id varchar(300),
        attempts integer NOT NULL DEFAULT 0,
        last_error text
      );
      CREATE INDEX outgoing_mails_recipient_idx ON outgoing_mails (recipient_user_id, created_at);
      CREATE INDEX outgoing_mails_subject_idx ON outgoing_mails (subject_id) WHERE subject_id IS NOT NULL;
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      DROP TABLE outgoing_mails;
      DROP INDEX notifications_digest_idx;
      ALTER TABLE notifications DROP COLUMN mailed_at, DROP COLUMN mail_delivery;
      DROP TABLE notification_preferences;
    `);
  }
}
