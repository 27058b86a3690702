import { redirect } from "next/navigation";
import { getSignedInUser } from "@/lib/auth/options";
import { isFirstRun } from "./first-run";

export default async function HomePage() {
  if (await isFirstRun()) redirect("/setup");
  redirect((await getSignedInUser()) ? "/inbox" : "/login");
}
