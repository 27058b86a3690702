import { redirect } from "next/navigation";
import { getSession } from "@/lib/auth/options";
import { isFirstRun } from "./first-run";

export default async function HomePage() {
  if (await isFirstRun()) redirect("/setup");
  const session = await getSession();
  redirect(session?.user?.id ? "/inbox" : "/login");
}
