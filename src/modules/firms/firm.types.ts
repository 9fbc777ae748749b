import { Field, InputType, ObjectType } from "type-graphql";
import { toGlobalId } from "../../graphql/global-id.js";
import { type PayloadBase, UserErrorType } from "../../graphql/payload.js";
import { Node } from "../../graphql/relay.js";
import { DateTime } from "../../graphql/scalars.js";
import { type Firm, firmDisplayName } from "./firm.entity.js";
import { Language } from "../users/user.entity.js";
import { GraphQLUpload } from "../../graphql/upload.js";
import type { IncomingFile } from "../../core/incoming-file.js";

@ObjectType("Firm", { implements: Node, description: "An accountancy firm (the tenant), with what it shows its clients." })
export class FirmType extends Node {
  @Field(() => String, { description: "The firm's name." })
  name: string;

  @Field(() => String, { description: "The name its clients know it by (portal header, mails): the display name it set, else its name." })
  displayName: string;

  @Field(() => String, { nullable: true, description: "Its brand colour, #rrggbb." })
  brandColour: string | null;

  @Field(() => String, { nullable: true, description: "The sender name of its mails (null: the display name)." })
  mailSenderName: string | null;

  @Field(() => String, { nullable: true, description: "Where replies to its mails go." })
  replyTo: string | null;

  @Field(() => String, { nullable: true, description: "Contact: email address, shown in the portal and mail footers." })
  contactEmail: string | null;

  @Field(() => String, { nullable: true, description: "Contact: phone number." })
  contactPhone: string | null;

  @Field(() => String, { nullable: true, description: "Contact: website." })
  website: string | null;

  @Field(() => Boolean, { description: "Staff must sign in with a second factor (an authenticator app)." })
  requireTwoFactorForStaff: boolean;

  @Field(() => Boolean, { description: "Client users must sign in with a second factor." })
  requireTwoFactorForClients: boolean;

  @Field(() => DateTime, { description: "When the firm was created." })
  createdAt: Date;

  /** The database id, for field resolvers. */
  entityId: string;

  logoSha256: string | null;

  static from(firm: Firm): FirmType {
    return Object.assign(new FirmType(), {
      id: toGlobalId("Firm", firm.id),
      entityId: firm.id,
      name: firm.name,
      displayName: firmDisplayName(firm),
      brandColour: firm.brandColour,
      mailSenderName: firm.mailSenderName,
      replyTo: firm.replyTo,
      contactEmail: firm.contactEmail,
      contactPhone: firm.contactPhone,
      website: firm.website,
      requireTwoFactorForStaff: firm.requireTwoFactorStaff,
      requireTwoFactorForClients: firm.requireTwoFactorClients,
      logoSha256: firm.logoSha256,
      createdAt: firm.createdAt,
    });
  }
}

@InputType("UpdateFirmSettingsInput", { description: "What the firm shows its clients. Omitted fields stay; null or an empty string clears one." })
export class UpdateFirmSettingsInput {
  @Field(() => String, { nullable: true, description: "The name clients know the firm by (at most 200 characters)." })
  displayName?: string | null;

  @Field(() => String, { nullable: true, description: "Brand colour, #rrggbb." })
  brandColour?: string | null;

  @Field(() => String, { nullable: true, description: "Sender name of the firm's mails (at most 100 characters)." })
  mailSenderName?: string | null;

  @Field(() => String, { nullable: true, description: "Reply-to address of the firm's mails." })
  replyTo?: string | null;

  @Field(() => String, { nullable: true, description: "Contact email address." })
  contactEmail?: string | null;

  @Field(() => String, { nullable: true, description: "Contact phone number (digits, spaces, +, -, parentheses)." })
  contactPhone?: string | null;

  @Field(() => String, { nullable: true, description: "Website (https://…, or a domain)." })
  website?: string | null;

  @Field(() => Boolean, {
    nullable: true,
    description: "Require a second factor of staff. Turning it on needs one of your own; staff without one are signed out and set it up at their next sign-in.",
  })
  requireTwoFactorForStaff?: boolean | null;

  @Field(() => Boolean, { nullable: true, description: "Require a second factor of client users; those without one are signed out and set it up at their next sign-in." })
  requireTwoFactorForClients?: boolean | null;
}

@ObjectType("UpdateFirmSettingsPayload", { description: "The firm as it is now." })
export class UpdateFirmSettingsPayload implements PayloadBase {
  @Field(() => FirmType, { nullable: true, description: "The firm." })
  firm: FirmType | null;

  @Field(() => [UserErrorType], { description: "Why it did not succeed (nothing was changed then)." })
  userErrors: UserErrorType[];
}

@InputType("SetFirmLogoInput", { description: "The firm's logo." })
export class SetFirmLogoInput {
  @Field(() => GraphQLUpload, { description: "A PNG or SVG of at most 1 MB (GraphQL multipart request spec); stored redrawn as a PNG of at most 600 × 200 pixels." })
  logo: Promise<IncomingFile>;
}

@ObjectType("FirmBranding", { description: "What a firm's sign-in page shows before anyone signs in: its name, colour and logo." })
export class FirmBrandingType {
  @Field(() => String, { description: "The name its clients know it by." })
  displayName: string;

  @Field(() => String, { nullable: true, description: "Its brand colour, #rrggbb." })
  brandColour: string | null;

  @Field(() => String, { nullable: true, description: "Its logo (a PNG), or null." })
  logoUrl: string | null;
}

@InputType("SignUpFirmInput", { description: "Start a firm in PortalDesk (where the server is open for sign-up)." })
export class SignUpFirmInput {
  @Field(() => String, { description: "The firm's name (at most 200 characters)." })
  name: string;

  @Field(() => String, { description: "Your name: you become the firm's admin." })
  adminName: string;

  @Field(() => String, { description: "Your email address: the link to choose your password is mailed there." })
  adminEmail: string;

  @Field(() => Language, { nullable: true, description: "The language of your mails (default NL)." })
  adminLanguage?: Language | null;
}

@ObjectType("SignUpFirmPayload", { description: "The firm is made; its admin takes it up from the mailed link." })
export class SignUpFirmPayload implements PayloadBase {
  @Field(() => Boolean, { description: "The mail with the link is on its way." })
  accepted = false;

  @Field(() => [UserErrorType], { description: "Why it did not succeed." })
  userErrors: UserErrorType[];
}
