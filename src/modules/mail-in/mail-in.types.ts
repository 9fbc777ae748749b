import { Field, ID, InputType, Int, ObjectType, registerEnumType } from "type-graphql";
import { toGlobalId } from "../../graphql/global-id.js";
import { type PayloadBase, UserErrorType } from "../../graphql/payload.js";
import { Connection, Node } from "../../graphql/relay.js";
import { DateTime } from "../../graphql/scalars.js";
import { DocumentType } from "../documents/document.types.js";
import { type QuarantinedMail, QuarantineReason } from "./quarantined-mail.entity.js";

registerEnumType(QuarantineReason, {
  name: "QuarantineReason",
  description: "Why a mail waits for the firm's staff instead of landing on the desk.",
  valuesConfig: {
    UNKNOWN_SENDER: { description: "Its sender is not a member of the administration nor the firm's staff." },
    UNVERIFIED_SENDER: { description: "Its sender is a member, but the receiving mail server could not confirm that the mail is theirs (SPF/DKIM/DMARC)." },
  },
});

@ObjectType("QuarantinedAttachment", { description: "One file a waiting mail brings, as staff see it before deciding." })
export class QuarantinedAttachmentType {
  @Field(() => String, { description: "Its name in the mail." })
  filename: string;

  @Field(() => String, { description: "The content type the mail gives it (not trusted: files are sniffed when put on the desk)." })
  contentType: string;

  @Field(() => Int, { description: "Size in bytes." })
  size: number;
}

@ObjectType("QuarantinedMail", { implements: Node, description: "A mail to an administration's mail-in address that waits for staff: put its files on the desk, or discard it." })
export class QuarantinedMailType extends Node {
  @Field(() => QuarantineReason, { description: "Why it waits." })
  reason: QuarantineReason;

  @Field(() => String, { description: "The envelope sender (MAIL FROM): who the sending server said it was from." })
  sender: string;

  @Field(() => String, { description: "The From header, as the mail shows it (name and address)." })
  from: string;

  @Field(() => String, { description: "Its subject (a tag such as [INK] files its documents into that tray when released)." })
  subject: string;

  @Field(() => DateTime, { description: "When it arrived." })
  receivedAt: Date;

  @Field(() => Int, { description: "Size of the whole mail in bytes." })
  size: number;

  @Field(() => [QuarantinedAttachmentType], { description: "Its files; for a mail without attachments (bodyAsPdf) the PDF of its text." })
  attachments: QuarantinedAttachmentType[];

  @Field(() => Boolean, { description: "Whether its document is a PDF of the mail's text (it has no attachments and the administration asked for that)." })
  bodyAsPdf: boolean;

  static from(row: QuarantinedMail): QuarantinedMailType {
    return Object.assign(new QuarantinedMailType(), {
      id: toGlobalId("QuarantinedMail", row.id),
      reason: row.reason,
      sender: row.sender,
      from: row.fromHeader,
      subject: row.subject,
      receivedAt: row.receivedAt,
      size: row.size,
      attachments: row.attachments.map((a) => Object.assign(new QuarantinedAttachmentType(), a)),
      bodyAsPdf: row.bodyAsPdf,
    });
  }
}

export const QuarantinedMailConnection = Connection(QuarantinedMailType, "QuarantinedMail");

@InputType("QuarantinedMailInput", { description: "Names a waiting mail." })
export class QuarantinedMailInput {
  @Field(() => ID, { description: "The QuarantinedMail." })
  id: string;
}

@ObjectType("ReleaseQuarantinedMailPayload", { description: "Result of putting a waiting mail's files on the desk." })
export class ReleaseQuarantinedMailPayload implements PayloadBase {
  @Field(() => [DocumentType], { nullable: true, description: "The documents made, uploaded by the viewer, when it succeeded (all of the mail's files or none)." })
  documents: DocumentType[] | null;

  @Field(() => [UserErrorType], { description: "Why it did not succeed (the mail then stays in the list)." })
  userErrors: UserErrorType[];
}

@ObjectType("DiscardQuarantinedMailPayload", { description: "Result of discarding a waiting mail." })
export class DiscardQuarantinedMailPayload implements PayloadBase {
  @Field(() => ID, { nullable: true, description: "The id of the mail discarded, when it succeeded." })
  discardedMailId: string | null;

  @Field(() => [UserErrorType], { description: "Why it did not succeed." })
  userErrors: UserErrorType[];
}
