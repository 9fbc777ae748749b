import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from "typeorm";

/** An accountancy firm: the tenant. Nothing of one firm is visible to another. */
@Entity({ name: "firms" })
export class Firm {
  @PrimaryGeneratedColumn("uuid")
  id: string;

  @Column({ type: "varchar", length: 200 })
  name: string;

  @CreateDateColumn({ type: "timestamptz" })
  createdAt: Date;

  /** The name its clients know it by (portal header, mails); null: `name`. */
  @Column({ type: "varchar", length: 200, nullable: true })
  displayName: string | null;

  /** #rrggbb, lower case. */
  @Column({ type: "varchar", length: 7, nullable: true })
  brandColour: string | null;

  /** The sender name of its mails (the address stays MAIL_FROM's); null: the display name. */
  @Column({ type: "varchar", length: 100, nullable: true })
  mailSenderName: string | null;

  /** Where replies to its mails go. */
  @Column({ type: "varchar", length: 320, nullable: true })
  replyTo: string | null;

  @Column({ type: "varchar", length: 320, nullable: true })
  contactEmail: string | null;

  @Column({ type: "varchar", length: 40, nullable: true })
  contactPhone: string | null;

  @Column({ type: "varchar", length: 200, nullable: true })
  website: string | null;

  /** Staff sign in with a second factor (two-factor.ts); those without one set it up at their next sign-in. */
  @Column({ type: "boolean", default: false })
  requireTwoFactorStaff: boolean;

  @Column({ type: "boolean", default: false })
  requireTwoFactorClients: boolean;

  /** Its logo, a PNG in the blob store by SHA-256 (firm-logo.ts); shown on its portal (the sign-in page too) and in its mails. */
  @Column({ type: "char", length: 64, nullable: true })
  logoSha256: string | null;
}

/** The name a firm's clients know it by. */
export function firmDisplayName(firm: Pick<Firm, "name" | "displayName">): string {
  return firm.displayName ?? firm.name;
}

/** One line of a firm's contact details (for mail footers), or null when it set none. */
export function firmContactLine(firm: Firm): string | null {
  const parts = [firm.contactPhone, firm.contactEmail, firm.website].filter((part): part is string => Boolean(part));
  return parts.length ? `${firmDisplayName(firm)} · ${parts.join(" · ")}` : null;
}

/** Where a firm's logo is served (public, content-addressed: /branding/<sha256>.png), or null without one. */
export function firmLogoUrl(publicUrl: string, firm: Pick<Firm, "logoSha256">): string | null {
  return firm.logoSha256 ? `${publicUrl}/branding/${firm.logoSha256}.png` : null;
}
