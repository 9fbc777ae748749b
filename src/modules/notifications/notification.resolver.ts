import { Arg, Args, Ctx, FieldResolver, Int, Mutation, Query, Resolver, Root, Subscription } from "type-graphql";
import { requireActor, requireUser } from "../../core/actor.js";
import type { BusEvent } from "../../events/bus.js";
import type { GraphQLContext } from "../../graphql/context.js";
import { fromGlobalId } from "../../graphql/global-id.js";
import { liveEvents } from "../../graphql/live-events.js";
import { runPayload } from "../../graphql/payload.js";
import { ConnectionArgs, Node, toConnection } from "../../graphql/relay.js";
import {
  MarkNotificationsReadInput,
  MarkNotificationsReadPayload,
  NotificationConnection,
  NotificationPreferenceType,
  NotificationType,
  UpdateNotificationPreferencesInput,
  UpdateNotificationPreferencesPayload,
} from "./notification.types.js";

type NotificationCreated = Extract<BusEvent, { topic: "notification.created" }>;

@Resolver(() => NotificationType)
export class NotificationResolver {
  @Query(() => NotificationConnection, { description: "The viewer's notifications, newest first." })
  async notifications(
    @Args(() => ConnectionArgs) page: ConnectionArgs,
    @Arg("unreadOnly", () => Boolean, { defaultValue: false, description: "Only those not yet read." }) unreadOnly: boolean,
    @Ctx() ctx: GraphQLContext,
  ) {
    return toConnection(NotificationConnection, await ctx.services.notifications.list(ctx.viewer, unreadOnly, page), NotificationType.from);
  }

  @Query(() => Int, { description: "How many of the viewer's notifications are unread." })
  unreadNotificationCount(@Ctx() ctx: GraphQLContext): Promise<number> {
    return ctx.services.notifications.unreadCount(ctx.viewer);
  }

  @Mutation(() => MarkNotificationsReadPayload, { description: "Mark some or all of the viewer's notifications read." })
  markNotificationsRead(
    @Arg("input", () => MarkNotificationsReadInput, { description: "What to do; see the input type." }) input: MarkNotificationsReadInput,
    @Ctx() ctx: GraphQLContext,
  ) {
    return runPayload(MarkNotificationsReadPayload, async () => {
      const ids = input.ids ? input.ids.map((id) => fromGlobalId(id, "Notification")) : null;
      const notifications = await ctx.services.notifications.markRead(ctx.viewer, ids);
      return { notifications: notifications.map(NotificationType.from), unreadCount: await ctx.services.notifications.unreadCount(ctx.viewer) };
    });
  }

  @Query(() => [NotificationPreferenceType], { description: "How each kind of notification the viewer can receive reaches them by email." })
  async notificationPreferences(@Ctx() ctx: GraphQLContext): Promise<NotificationPreferenceType[]> {
    return (await ctx.services.notifications.preferences(ctx.viewer)).map(NotificationPreferenceType.from);
  }

  @Mutation(() => UpdateNotificationPreferencesPayload, { description: "Choose, per kind of notification, mail at once, a daily digest, or no mail." })
  updateNotificationPreferences(
    @Arg("input", () => UpdateNotificationPreferencesInput, { description: "What to do; see the input type." }) input: UpdateNotificationPreferencesInput,
    @Ctx() ctx: GraphQLContext,
  ) {
    return runPayload(UpdateNotificationPreferencesPayload, async () => ({
      preferences: (await ctx.services.notifications.updatePreferences(ctx.viewer, input.preferences)).map(NotificationPreferenceType.from),
    }));
  }

  @Subscription(() => NotificationType, {
    description: "Each new notification of the viewer, as it is created.",
    subscribe: ({ context }) => {
      const ctx = context as GraphQLContext;
      const user = requireUser(ctx.viewer);
      // Only the person's own notifications are followed: nothing further to check per event.
      return liveEvents(ctx, {
        kind: "notificationReceived",
        matches: (event): event is NotificationCreated => event.topic === "notification.created" && event.userId === user.userId,
      });
    },
  })
  async notificationReceived(@Root() event: NotificationCreated, @Ctx() ctx: GraphQLContext): Promise<NotificationType> {
    return NotificationType.from(await ctx.services.notifications.findOwn(requireActor(ctx.viewer), event.notificationId));
  }

  @FieldResolver(() => Node, { nullable: true, description: "What it is about, if the viewer may still see it." })
  async subject(@Root() notification: NotificationType, @Ctx() ctx: GraphQLContext): Promise<Node | null> {
    if (!notification.subjectType || !notification.subjectId) return null;
    return (await ctx.services.nodes.get(notification.subjectType)?.(ctx, notification.subjectId)) ?? null;
  }
}
