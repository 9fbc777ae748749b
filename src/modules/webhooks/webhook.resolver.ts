import DataLoader from "dataloader";
import { Arg, Args, Ctx, FieldResolver, Int, Mutation, Query, Resolver, Root } from "type-graphql";
import type { GraphQLContext } from "../../graphql/context.js";
import { fromGlobalId } from "../../graphql/global-id.js";
import type { LoaderFactory } from "../../graphql/loaders.js";
import { runPayload } from "../../graphql/payload.js";
import { ConnectionArgs, toConnection } from "../../graphql/relay.js";
import type { WebhookMessageState } from "./webhook.service.js";
import {
  CreateWebhookInput,
  CreateWebhookPayload,
  RedeliverWebhookInput,
  RotateWebhookSecretInput,
  RotateWebhookSecretPayload,
  TestWebhookPayload,
  UpdateWebhookInput,
  WebhookConnection,
  WebhookDeliveryConnection,
  WebhookDeliveryType,
  WebhookIdInput,
  WebhookPayload,
  WebhookType,
} from "./webhook.types.js";

const messageById: LoaderFactory<string, WebhookMessageState | null> = ({ webhooks }) =>
  new DataLoader(async (ids) => {
    const found = await webhooks.messages(ids);
    return ids.map((id) => found.get(id) ?? null);
  });

const pendingByWebhook: LoaderFactory<string, number> = ({ webhooks }) =>
  new DataLoader(async (ids) => {
    const counts = await webhooks.pendingCounts(ids);
    return ids.map((id) => counts.get(id) ?? 0);
  });

const webhookIdOf = (id: string) => fromGlobalId(id, "Webhook");

@Resolver(() => WebhookType)
export class WebhookResolver {
  @Query(() => WebhookConnection, { description: "The firm's webhooks, newest first (firm admins, tokens with webhooks:manage)." })
  async webhooks(@Args(() => ConnectionArgs) page: ConnectionArgs, @Ctx() ctx: GraphQLContext) {
    return toConnection(WebhookConnection, await ctx.services.webhooks.list(ctx.viewer, page), WebhookType.from);
  }

  @FieldResolver(() => WebhookDeliveryConnection, { description: "Delivery attempts, newest first." })
  async deliveries(@Root() webhook: WebhookType, @Args(() => ConnectionArgs) page: ConnectionArgs, @Ctx() ctx: GraphQLContext) {
    const attempts = await ctx.services.webhooks.deliveries(webhook.webhookId, page);
    const messages = await ctx.loaders.get(messageById).loadMany(attempts.items.map((a) => a.messageId));
    const byId = new Map(messages.flatMap((m) => (m && !(m instanceof Error) ? [[m.id, m] as const] : [])));
    return toConnection(WebhookDeliveryConnection, attempts, (a) => WebhookDeliveryType.from(a, byId.get(a.messageId)));
  }

  @FieldResolver(() => Int, { description: "Messages waiting to be delivered (retries included)." })
  pendingCount(@Root() webhook: WebhookType, @Ctx() ctx: GraphQLContext): Promise<number> {
    return ctx.loaders.get(pendingByWebhook).load(webhook.webhookId);
  }

  @Mutation(() => CreateWebhookPayload, { description: "Make a webhook endpoint (firm admins, tokens with webhooks:manage). The signing secret is shown once." })
  createWebhook(@Arg("input", () => CreateWebhookInput, { description: "What to do; see the input type." }) input: CreateWebhookInput, @Ctx() ctx: GraphQLContext) {
    return runPayload(CreateWebhookPayload, async () => {
      const { webhook, secret } = await ctx.services.webhooks.create(ctx.viewer, input);
      return { webhook: WebhookType.from(webhook), secret };
    });
  }

  @Mutation(() => WebhookPayload, { description: "Change a webhook's URL, events or description, or disable and enable it." })
  updateWebhook(@Arg("input", () => UpdateWebhookInput, { description: "What to do; see the input type." }) input: UpdateWebhookInput, @Ctx() ctx: GraphQLContext) {
    return runPayload(WebhookPayload, async () => ({ webhook: WebhookType.from(await ctx.services.webhooks.update(ctx.viewer, { ...input, id: webhookIdOf(input.id) })) }));
  }

  @Mutation(() => RotateWebhookSecretPayload, { description: "Give a webhook a new signing secret; the old one keeps signing too for the overlap." })
  rotateWebhookSecret(
    @Arg("input", () => RotateWebhookSecretInput, { description: "What to do; see the input type." }) input: RotateWebhookSecretInput,
    @Ctx() ctx: GraphQLContext,
  ) {
    return runPayload(RotateWebhookSecretPayload, async () => {
      const { webhook, secret } = await ctx.services.webhooks.rotateSecret(ctx.viewer, { id: webhookIdOf(input.id), overlapSeconds: input.overlapSeconds });
      return { webhook: WebhookType.from(webhook), secret };
    });
  }

  @Mutation(() => WebhookPayload, { description: "Remove a webhook, with its waiting messages and its history." })
  removeWebhook(@Arg("input", () => WebhookIdInput, { description: "What to do; see the input type." }) input: WebhookIdInput, @Ctx() ctx: GraphQLContext) {
    return runPayload(WebhookPayload, async () => ({ webhook: WebhookType.from(await ctx.services.webhooks.remove(ctx.viewer, webhookIdOf(input.id))) }));
  }

  @Mutation(() => TestWebhookPayload, { description: "Send a signed test message (type webhook.test) now and answer with how the endpoint took it." })
  testWebhook(@Arg("input", () => WebhookIdInput, { description: "What to do; see the input type." }) input: WebhookIdInput, @Ctx() ctx: GraphQLContext) {
    return runPayload(TestWebhookPayload, async () => {
      const attempt = await ctx.services.webhooks.test(ctx.viewer, webhookIdOf(input.id));
      const message = (await ctx.services.webhooks.messages([attempt.messageId])).get(attempt.messageId);
      return { delivery: WebhookDeliveryType.from(attempt, message) };
    });
  }

  @Mutation(() => WebhookPayload, { description: "Send a delivered or given-up message again, under the same webhook-id." })
  redeliverWebhook(@Arg("input", () => RedeliverWebhookInput, { description: "What to do; see the input type." }) input: RedeliverWebhookInput, @Ctx() ctx: GraphQLContext) {
    return runPayload(WebhookPayload, async () => ({
      webhook: WebhookType.from(await ctx.services.webhooks.redeliver(ctx.viewer, fromGlobalId(input.deliveryId, "WebhookDelivery"))),
    }));
  }
}
