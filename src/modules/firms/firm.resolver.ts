import { Arg, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from "type-graphql";
import type { GraphQLContext } from "../../graphql/context.js";
import { parseGlobalId } from "../../graphql/global-id.js";
import { runPayload } from "../../graphql/payload.js";
import { firmDisplayName, firmLogoUrl } from "./firm.entity.js";
import { FirmBrandingType, FirmType, SetFirmLogoInput, SignUpFirmInput, SignUpFirmPayload, UpdateFirmSettingsInput, UpdateFirmSettingsPayload } from "./firm.types.js";

@Resolver(() => FirmType)
export class FirmResolver {
  @Mutation(() => UpdateFirmSettingsPayload, {
    description: "Change what the firm shows its clients (name, colour, mail sender, contact details) and whether it requires a second factor (firm admins).",
  })
  updateFirmSettings(
    @Arg("input", () => UpdateFirmSettingsInput, { description: "What to change; see the input type." }) input: UpdateFirmSettingsInput,
    @Ctx() ctx: GraphQLContext,
  ) {
    return runPayload(UpdateFirmSettingsPayload, async () => ({ firm: FirmType.from(await ctx.services.firms.updateSettings(ctx.viewer, input)) }));
  }

  @FieldResolver(() => String, { nullable: true, description: "Its logo (a PNG, at most 600 × 200 pixels), or null." })
  logoUrl(@Root() firm: FirmType, @Ctx() ctx: GraphQLContext): string | null {
    return firmLogoUrl(ctx.services.publicUrl, firm);
  }

  @Mutation(() => UpdateFirmSettingsPayload, { description: "Set the firm's logo: a PNG or SVG, redrawn as a PNG (firm admins)." })
  setFirmLogo(@Arg("input", () => SetFirmLogoInput, { description: "What to do; see the input type." }) input: SetFirmLogoInput, @Ctx() ctx: GraphQLContext) {
    return runPayload(UpdateFirmSettingsPayload, async () => ({ firm: FirmType.from(await ctx.services.firms.setLogo(ctx.viewer, input.logo)) }));
  }

  @Mutation(() => UpdateFirmSettingsPayload, { description: "Remove the firm's logo (firm admins)." })
  removeFirmLogo(@Ctx() ctx: GraphQLContext) {
    return runPayload(UpdateFirmSettingsPayload, async () => ({ firm: FirmType.from(await ctx.services.firms.setLogo(ctx.viewer, null)) }));
  }

  @Query(() => FirmBrandingType, {
    nullable: true,
    description: "A firm's name, colour and logo for its sign-in page, by its ID (from its portal link); no sign-in needed. Null when there is no such firm.",
  })
  async firmBranding(@Arg("id", () => ID, { description: "The firm's ID." }) id: string, @Ctx() ctx: GraphQLContext): Promise<FirmBrandingType | null> {
    const parsed = parseGlobalId(id);
    if (parsed.type !== "Firm") return null;
    const firm = await ctx.services.firms.branding(parsed.id);
    return firm
      ? Object.assign(new FirmBrandingType(), { displayName: firmDisplayName(firm), brandColour: firm.brandColour, logoUrl: firmLogoUrl(ctx.services.publicUrl, firm) })
      : null;
  }

  @Query(() => Boolean, { description: "Whether anyone may start a firm here (signUpFirm); otherwise the operator makes firms." })
  signUpOpen(@Ctx() ctx: GraphQLContext): boolean {
    return ctx.services.config.auth.signUpOpen;
  }

  @Mutation(() => SignUpFirmPayload, {
    description: "Start a firm (where sign-up is open): it is made and you are invited as its admin by mail; the link verifies your address. Limited per address.",
  })
  signUpFirm(@Arg("input", () => SignUpFirmInput, { description: "What to do; see the input type." }) input: SignUpFirmInput, @Ctx() ctx: GraphQLContext) {
    return runPayload(SignUpFirmPayload, async () => {
      await ctx.services.firms.signUp(input, ctx.address);
      return { accepted: true };
    });
  }
}
