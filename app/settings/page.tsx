import { redirect } from "next/navigation";
import { getSignedInUser } from "@/lib/auth/options";

export default async function SettingsPage() {
  const user = await getSignedInUser();
  redirect(user?.role === "admin" ? "/settings/numbers" : "/settings/account");
}
