import { Arg, Ctx, Mutation, Resolver } from "type-graphql";
import type { GraphQLContext } from "../../graphql/context.js";
import { runPayload } from "../../graphql/payload.js";
import { FirmType, UpdateFirmSettingsInput, UpdateFirmSettingsPayload } from "./firm.types.js";

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
}
