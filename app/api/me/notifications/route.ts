import { route } from "@/lib/http/route";
import {
  getNotificationSettings,
  notificationSettingsSchema,
  updateNotificationSettings,
} from "@/lib/services/users/update-notification-settings";

export const GET = route({ auth: "user" }, async ({ ctx }) => ({ settings: await getNotificationSettings({ ctx }) }));

export const PATCH = route({ auth: "user", body: notificationSettingsSchema }, async ({ ctx, body }) => ({
  settings: await updateNotificationSettings({ ctx, input: body }),
}));
