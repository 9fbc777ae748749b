import type { MigrationInterface, QueryRunner } from "typeorm";

/** Desk reminders sent: at most one per client user and day. */
export class DeskReminders1765000000000 implements MigrationInterface {
  name = "DeskReminders1765000000000";

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE desk_reminders (
        user_id uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        -- The day in SCHEDULE_TIME_ZONE: the key that stops a second reminder that day.
        day date NOT NULL,
        administration_ids uuid[] NOT NULL,
        sent_by_label varchar(320) NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (user_id, day)
      );
      CREATE INDEX desk_reminders_administrations_idx ON desk_reminders USING gin (administration_ids);
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query("DROP TABLE desk_reminders");
  }
}
