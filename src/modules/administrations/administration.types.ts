import { Field, ID, InputType, ObjectType, registerEnumType } from "type-graphql";
import { toGlobalId } from "../../graphql/global-id.js";
import { type PayloadBase, UserErrorType } from "../../graphql/payload.js";
import { Connection, Node } from "../../graphql/relay.js";
import { DateTime, LocalDate } from "../../graphql/scalars.js";
import { type Administration, DataFiling, DuplicatePolicy, FilingFrequency, StrangerMail } from "./administration.entity.js";

registerEnumType(FilingFrequency, {
  name: "FilingFrequency",
  description: "How often a return is due.",
  valuesConfig: {
    MONTHLY: { description: "Every month." },
    QUARTERLY: { description: "Every quarter." },
    NONE: { description: "Not filed for this administration." },
  },
});

registerEnumType(DuplicatePolicy, {
  name: "DuplicatePolicy",
  description: "What an upload of content already in the administration does.",
  valuesConfig: {
    REJECT: { description: "Refuse the file and name the earlier document." },
    WARN: { description: "Keep it, flagged with `duplicateOf`." },
    ALLOW: { description: "Keep it without comment." },
  },
});
import type { Membership } from "./membership.entity.js";

registerEnumType(StrangerMail, {
  name: "StrangerMail",
  description: "What mail to the administration's mail-in address from someone who may not hand in documents there does.",
  valuesConfig: {
    QUARANTINE: { description: "It waits in the quarantine list (`Administration.quarantinedMails`) until staff put its attachments on the desk or discard it (default)." },
    REFUSE: { description: "It is refused in the SMTP dialogue; the sender's mail server tells them why." },
  },
});

registerEnumType(DataFiling, {
  name: "DataFiling",
  description: "What happens to a document on the desk whose data was read (an e-invoice, a bank statement).",
  valuesConfig: {
    SUGGEST: { description: "Its tray is suggested on the card (`Document.suggestedTray`); the client files it (default)." },
    AUTO_FILE: { description: "It goes into its tray by itself, audited as the system's act; the client can take it back until the firm processed it." },
  },
});

@ObjectType("Administration", { implements: Node, description: "One client business whose books the firm keeps." })
export class AdministrationType extends Node {
  @Field(() => String, { description: "Name of the business." })
  name: string;

  @Field(() => String, { nullable: true, description: "VAT identification number (btw-id) on invoices, e.g. NL123456782B01." })
  vatNumber: string | null;

  @Field(() => String, {
    nullable: true,
    description:
      "The omzetbelastingnummer VAT returns are filed under (e.g. 123456782B01), when it is not simply the btw-id without NL: sole traders have had a separate btw-id since 2020.",
  })
  omzetbelastingnummer: string | null;

  @Field(() => String, { nullable: true, description: "Chamber of Commerce (KvK) number, 8 digits." })
  chamberOfCommerceNumber: string | null;

  @Field(() => Boolean, { description: "Whether the client's users can use the portal." })
  portalEnabled: boolean;

  @Field(() => Boolean, { description: "Whether its client users see its financial figures (`figures`)." })
  figuresVisible: boolean;

  @Field(() => DataFiling, { description: "What happens to a document on the desk whose data was read." })
  dataFiling: DataFiling;

  @Field(() => Boolean, { description: "Whether its client users may correct the fields read from their invoices and receipts (staff always may)." })
  clientsCorrectInvoices: boolean;

  @Field(() => StrangerMail, { description: "What mail to its mail-in address from someone who is not a member (nor the firm's staff) does." })
  mailFromStrangers: StrangerMail;

  @Field(() => Boolean, { description: "Whether a mail to its mail-in address without attachments becomes a PDF of the mail's text on the desk (else it is refused)." })
  mailBodyAsPdf: boolean;

  @Field(() => FilingFrequency, { description: "How often its VAT return is due (default QUARTERLY)." })
  vatFilingFrequency: FilingFrequency;

  @Field(() => FilingFrequency, { description: "How often its ICP declaration is due (default NONE: it makes no intra-EU supplies)." })
  icpFilingFrequency: FilingFrequency;

  @Field(() => LocalDate, { description: "YYYY-MM-DD from which the firm files its returns: earlier periods are not in its calendar (default: the day it was added)." })
  filingsFrom: string;

  @Field(() => DateTime, { description: "When it was created." })
  createdAt: Date;

  @Field(() => DateTime, { description: "When it was last changed." })
  updatedAt: Date;

  entityId: string;
  firmId: string;
  duplicatePolicy: DuplicatePolicy;

  /** The secret of its mail-in address (mail-in module), null until first shown. */
  inboundEmailKey: string | null;

  static from(a: Administration): AdministrationType {
    return Object.assign(new AdministrationType(), {
      id: toGlobalId("Administration", a.id),
      entityId: a.id,
      firmId: a.firmId,
      inboundEmailKey: a.inboundEmailKey,
      name: a.name,
      vatNumber: a.vatNumber,
      omzetbelastingnummer: a.omzetbelastingnummer,
      chamberOfCommerceNumber: a.chamberOfCommerceNumber,
      portalEnabled: a.portalEnabled,
      figuresVisible: a.figuresVisible,
      duplicatePolicy: a.duplicatePolicy,
      dataFiling: a.dataFiling,
      clientsCorrectInvoices: a.clientsCorrectInvoices,
      mailFromStrangers: a.mailFromStrangers,
      mailBodyAsPdf: a.mailBodyAsPdf,
      vatFilingFrequency: a.vatFilingFrequency,
      icpFilingFrequency: a.icpFilingFrequency,
      filingsFrom: a.filingsFrom,
      createdAt: a.createdAt,
      updatedAt: a.updatedAt,
    });
  }
}

@ObjectType("Membership", { implements: Node, description: "A client user's access to one administration's portal." })
export class MembershipType extends Node {
  @Field(() => Boolean, { description: "Whether this user may approve or reject filings for the administration." })
  canApproveFilings: boolean;

  @Field(() => DateTime, { description: "When access was given." })
  createdAt: Date;

  entityId: string;
  userId: string;
  administrationId: string;

  static from(m: Membership): MembershipType {
    return Object.assign(new MembershipType(), {
      id: toGlobalId("Membership", m.id),
      entityId: m.id,
      userId: m.userId,
      administrationId: m.administrationId,
      canApproveFilings: m.canApproveFilings,
      createdAt: m.createdAt,
    });
  }
}

export const AdministrationConnection = Connection(AdministrationType, "Administration");

@InputType("AdministrationFilter", { description: "Narrows the administrations listed." })
export class AdministrationFilterInput {
  @Field(() => String, { nullable: true, description: "Part of the name, VAT number or Chamber of Commerce number." })
  search?: string | null;
}

/** When its returns are due: the same fields on creation and change. */
@InputType("FilingScheduleInput", { description: "When an administration's returns are due." })
abstract class FilingScheduleInput {
  @Field(() => FilingFrequency, { nullable: true, description: "How often its VAT return is due." })
  vatFilingFrequency?: FilingFrequency | null;

  @Field(() => FilingFrequency, { nullable: true, description: "How often its ICP declaration is due." })
  icpFilingFrequency?: FilingFrequency | null;

  @Field(() => LocalDate, { nullable: true, description: "YYYY-MM-DD from which the firm files its returns." })
  filingsFrom?: string | null;
}

@InputType("CreateAdministrationInput", { description: "A new administration." })
export class CreateAdministrationInput extends FilingScheduleInput {
  @Field(() => String, { description: "Name of the business." })
  name: string;

  @Field(() => String, { nullable: true, description: "VAT identification number (btw-id); a Dutch one must have valid check digits." })
  vatNumber?: string | null;

  @Field(() => String, { nullable: true, description: "The omzetbelastingnummer, when it differs from the btw-id without NL (sole traders)." })
  omzetbelastingnummer?: string | null;

  @Field(() => String, { nullable: true, description: "Chamber of Commerce number (8 digits)." })
  chamberOfCommerceNumber?: string | null;

  @Field(() => Boolean, { nullable: true, description: "Whether the portal is on (default true)." })
  portalEnabled?: boolean | null;
}

@InputType("UpdateAdministrationInput", { description: "Changes to an administration; omitted fields stay as they are." })
export class UpdateAdministrationInput extends FilingScheduleInput {
  @Field(() => ID, { description: "The administration." })
  id: string;

  @Field(() => String, { nullable: true, description: "New name." })
  name?: string | null;

  @Field(() => String, { nullable: true, description: "New VAT number; empty string clears it." })
  vatNumber?: string | null;

  @Field(() => String, { nullable: true, description: "New omzetbelastingnummer; empty string clears it (the btw-id without NL is then used)." })
  omzetbelastingnummer?: string | null;

  @Field(() => String, { nullable: true, description: "New Chamber of Commerce number; empty string clears it." })
  chamberOfCommerceNumber?: string | null;

  @Field(() => Boolean, { nullable: true, description: "Turn the portal on or off." })
  portalEnabled?: boolean | null;

  @Field(() => DuplicatePolicy, { nullable: true, description: "What an upload of content already there does." })
  duplicatePolicy?: DuplicatePolicy | null;

  @Field(() => DataFiling, { nullable: true, description: "What happens to a document on the desk whose data was read." })
  dataFiling?: DataFiling | null;

  @Field(() => Boolean, { nullable: true, description: "Whether its client users may correct the fields read from their invoices and receipts." })
  clientsCorrectInvoices?: boolean | null;

  @Field(() => StrangerMail, { nullable: true, description: "What mail to its mail-in address from someone who is not a member does." })
  mailFromStrangers?: StrangerMail | null;

  @Field(() => Boolean, { nullable: true, description: "Whether a mail without attachments becomes a PDF of its text." })
  mailBodyAsPdf?: boolean | null;
}

@ObjectType("AdministrationPayload", { description: "Result of creating or changing an administration." })
export class AdministrationPayload implements PayloadBase {
  @Field(() => AdministrationType, { nullable: true, description: "The administration, when it succeeded." })
  administration: AdministrationType | null;

  @Field(() => [UserErrorType], { description: "Why it did not succeed." })
  userErrors: UserErrorType[];
}

@InputType("AddMemberInput", { description: "Give a client user access to an administration." })
export class AddMemberInput {
  @Field(() => ID, { description: "The administration." })
  administrationId: string;

  @Field(() => ID, { description: "A client user of the same firm." })
  userId: string;

  @Field(() => Boolean, { defaultValue: false, description: "Whether they may approve filings." })
  canApproveFilings: boolean;
}

@InputType("UpdateMemberInput", { description: "Change what a member may do." })
export class UpdateMemberInput {
  @Field(() => ID, { description: "The membership." })
  membershipId: string;

  @Field(() => Boolean, { description: "Whether they may approve filings." })
  canApproveFilings: boolean;
}

@InputType("RemoveMemberInput", { description: "Take a client user's access away." })
export class RemoveMemberInput {
  @Field(() => ID, { description: "The membership." })
  membershipId: string;
}

@ObjectType("MembershipPayload", { description: "Result of adding or changing a membership." })
export class MembershipPayload implements PayloadBase {
  @Field(() => MembershipType, { nullable: true, description: "The membership, when it succeeded." })
  membership: MembershipType | null;

  @Field(() => [UserErrorType], { description: "Why it did not succeed." })
  userErrors: UserErrorType[];
}

@ObjectType("RemoveMemberPayload", { description: "Result of removing a membership." })
export class RemoveMemberPayload implements PayloadBase {
  @Field(() => AdministrationType, { nullable: true, description: "The administration the member was removed from." })
  administration: AdministrationType | null;

  @Field(() => [UserErrorType], { description: "Why it did not succeed." })
  userErrors: UserErrorType[];
}
