import type { GraphQLContext } from "../../graphql/context.js";
import type { MailLanguage } from "../../mail/layout.js";

/**
 * The viewer's language for sentences the server words (what was read, a bank account's problems):
 * the request's (src/core/language.ts: what it named, else the person's setting, else English).
 */
export async function viewerLanguage(ctx: GraphQLContext): Promise<MailLanguage> {
  return ctx.language === "nl" ? "NL" : "EN";
}
