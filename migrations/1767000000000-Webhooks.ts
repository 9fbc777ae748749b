import type { MigrationInterface, QueryRunner } from "typeorm";

/**
 * Webhooks: a firm's endpoints, the messages queued for each (the delivery queue: one row per event
 * and endpoint, delivered in `seq` order per subject), and every attempt made to deliver one.
 */
export class Webhooks1767000000000 implements MigrationInterface {
  name = "Webhooks1767000000000";

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE webhooks (
        id uuid PRIMARY KEY,
        firm_id uuid NOT NULL REFERENCES firms(id) ON DELETE CASCADE,
        url varchar(2000) NOT NULL,
        description varchar(300) NOT NULL DEFAULT '',
        events text[] NOT NULL CHECK (cardinality(events) > 0),
        -- "whsec_<base64>" (Standard Webhooks); the previous one keeps signing until previous_secret_until.
        secret varchar(100) NOT NULL,
        previous_secret varchar(100),
        previous_secret_until timestamptz,
        enabled boolean NOT NULL DEFAULT true,
        disabled_at timestamptz,
        disabled_reason varchar(300),
        -- The first failure since the last success: an endpoint failing for long enough is disabled.
        failing_since timestamptz,
        last_success_at timestamptz,
        created_by_label varchar(200) NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE INDEX webhooks_firm ON webhooks (firm_id, created_at DESC, id DESC);

      CREATE TABLE webhook_messages (
        id uuid PRIMARY KEY,
        webhook_id uuid NOT NULL REFERENCES webhooks(id) ON DELETE CASCADE,
        -- Order of delivery within a subject ("Document:<uuid>").
        seq bigserial NOT NULL,
        subject varchar(80) NOT NULL,
        event varchar(40) NOT NULL,
        -- The exact bytes signed and sent (a redelivery sends the same body under the same webhook-id).
        body text NOT NULL,
        state varchar(10) NOT NULL DEFAULT 'PENDING' CHECK (state IN ('PENDING', 'DELIVERED', 'FAILED')),
        attempts integer NOT NULL DEFAULT 0,
        next_attempt_at timestamptz NOT NULL DEFAULT now(),
        -- Claimed by a deliverer until then; a deliverer that dies leaves it to the next after this.
        lease_until timestamptz,
        delivered_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE INDEX webhook_messages_pending ON webhook_messages (webhook_id, subject, seq) WHERE state = 'PENDING';
      CREATE INDEX webhook_messages_due ON webhook_messages (next_attempt_at) WHERE state = 'PENDING';
      CREATE INDEX webhook_messages_webhook ON webhook_messages (webhook_id, created_at);

      CREATE TABLE webhook_attempts (
        id uuid PRIMARY KEY,
        message_id uuid NOT NULL REFERENCES webhook_messages(id) ON DELETE CASCADE,
        webhook_id uuid NOT NULL REFERENCES webhooks(id) ON DELETE CASCADE,
        attempt integer NOT NULL,
        at timestamptz NOT NULL DEFAULT now(),
        ok boolean NOT NULL,
        status_code integer,
        error varchar(500),
        duration_ms integer NOT NULL,
        response_excerpt varchar(1000)
      );
      CREATE INDEX webhook_attempts_webhook ON webhook_attempts (webhook_id, at DESC, id DESC);
      CREATE INDEX webhook_attempts_message ON webhook_attempts (message_id);
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query("DROP TABLE webhook_attempts; DROP TABLE webhook_messages; DROP TABLE webhooks");
  }
}
