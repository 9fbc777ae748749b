import { Field, ObjectType } from "type-graphql";
import { toGlobalId } from "../../graphql/global-id.js";
import { Node } from "../../graphql/relay.js";
import { DateTime } from "../../graphql/scalars.js";
import type { Firm } from "./firm.entity.js";

@ObjectType("Firm", { implements: Node, description: "An accountancy firm (the tenant)." })
export class FirmType extends Node {
  @Field(() => String, { description: "The firm's name." })
  name: string;

  @Field(() => DateTime, { description: "When the firm was created." })
  createdAt: Date;

  /** The database id, for field resolvers. */
  entityId: string;

  static from(firm: Firm): FirmType {
    return Object.assign(new FirmType(), { id: toGlobalId("Firm", firm.id), entityId: firm.id, name: firm.name, createdAt: firm.createdAt });
  }
}
