import { eq } from "drizzle-orm";
import { z } from "zod";
import { findUserById } from "@/db/queries/users";
import { users } from "@/db/schema";
import type { Ctx, UserActor } from "../context";

export const notificationSettingsSchema = z
  .object({
    sound: z.boolean(),
    desktop: z.boolean(),
    newConversation: z.boolean(),
    assignedMessage: z.boolean(),
    assignedToMe: z.boolean(),
    mentioned: z.boolean(),
  })
  .partial()
  .strict();

export type NotificationSettingsDto = Required<z.infer<typeof notificationSettingsSchema>>;

/** Alerts in the tab are on by default; sound and desktop notifications are opt-in. */
const defaults: NotificationSettingsDto = {
  sound: false,
  desktop: false,
  newConversation: true,
  assignedMessage: true,
  assignedToMe: true,
  mentioned: true,
};

export async function getNotificationSettings({ ctx }: { ctx: Ctx & { actor: UserActor } }): Promise<NotificationSettingsDto> {
  const user = await findUserById(ctx.db, ctx.actor.userId);
  return { ...defaults, ...user?.notificationSettings };
}

export async function updateNotificationSettings({
  ctx,
  input,
}: {
  ctx: Ctx & { actor: UserActor };
  input: z.infer<typeof notificationSettingsSchema>;
}) {
  const current = await getNotificationSettings({ ctx });
  const next = { ...current, ...input };
  await ctx.db.update(users).set({ notificationSettings: next }).where(eq(users.id, ctx.actor.userId));
  return next;
}
