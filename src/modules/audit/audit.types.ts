import { Field, ID, Int, ObjectType, registerEnumType } from "type-graphql";
import { toGlobalId } from "../../graphql/global-id.js";
import { Connection, Node } from "../../graphql/relay.js";
import { DateTime, JSONObject } from "../../graphql/scalars.js";
import { ActorType, type AuditEvent } from "./audit-event.entity.js";
import type { AuditVerification } from "./audit.service.js";

registerEnumType(ActorType, {
  name: "ActorType",
  description: "Who performed an audited action.",
  valuesConfig: {
    USER: { description: "A signed-in person." },
    API_TOKEN: { description: "An integration with an API token." },
    SYSTEM: { description: "PortalDesk itself (scheduled work)." },
  },
});

@ObjectType("AuditActor", { description: "Who did it, as recorded at the time." })
export class AuditActorType {
  @Field(() => ActorType, { description: "Person, integration or system." })
  type: ActorType;

  @Field(() => ID, { nullable: true, description: "Global ID of the user or API token." })
  id: string | null;

  @Field(() => String, { description: "Email or token name at the time." })
  label: string;
}

@ObjectType("AuditEvent", { implements: Node, description: "One link of the tamper-evident audit trail." })
export class AuditEventType extends Node {
  @Field(() => String, { description: "Position in its chain (decimal string; from 1)." })
  seq: string;

  @Field(() => DateTime, { description: "When it happened." })
  occurredAt: Date;

  @Field(() => AuditActorType, { description: "Who did it." })
  actor: AuditActorType;

  @Field(() => String, { description: "What happened, e.g. `administration.created`." })
  action: string;

  @Field(() => String, { nullable: true, description: "Type of the object it concerns." })
  subjectType: string | null;

  @Field(() => ID, { nullable: true, description: "Global ID of the object it concerns." })
  subjectId: string | null;

  @Field(() => String, { nullable: true, description: "A note given with the action." })
  note: string | null;

  @Field(() => JSONObject, { description: "Details of the change." })
  details: Record<string, unknown>;

  @Field(() => String, { description: "SHA-256 of this link (hex)." })
  hash: string;

  @Field(() => String, { description: "SHA-256 of the previous link (hex; zeros for the first)." })
  prevHash: string;

  static from(e: AuditEvent): AuditEventType {
    const actorTypeName = e.actorType === ActorType.USER ? "User" : e.actorType === ActorType.API_TOKEN ? "ApiToken" : null;
    return Object.assign(new AuditEventType(), {
      id: toGlobalId("AuditEvent", e.id),
      seq: String(e.seq),
      occurredAt: e.occurredAt,
      actor: Object.assign(new AuditActorType(), {
        type: e.actorType,
        id: actorTypeName && e.actorId ? toGlobalId(actorTypeName, e.actorId) : null,
        label: e.actorLabel,
      }),
      action: e.action,
      subjectType: e.subjectType,
      subjectId: e.subjectType && e.subjectId ? toGlobalId(e.subjectType, e.subjectId) : null,
      note: e.note,
      details: e.details,
      hash: e.hash,
      prevHash: e.prevHash,
    });
  }
}

export const AuditEventConnection = Connection(AuditEventType, "AuditEvent");

@ObjectType("AuditVerification", { description: "Outcome of recomputing every link of an audit chain." })
export class AuditVerificationType {
  @Field(() => Boolean, { description: "Whether every link verifies." })
  valid: boolean;

  @Field(() => Int, { description: "Links that verified before the first problem (all of them when valid)." })
  eventCount: number;

  @Field(() => String, { nullable: true, description: "Sequence number of the first link that does not verify." })
  firstInvalidSeq: string | null;

  @Field(() => String, { nullable: true, description: "What is wrong." })
  problem: string | null;

  static from(v: AuditVerification): AuditVerificationType {
    return Object.assign(new AuditVerificationType(), { ...v, firstInvalidSeq: v.firstInvalidSeq === null ? null : String(v.firstInvalidSeq) });
  }
}
