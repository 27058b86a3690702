import { chromium } from "@playwright/test";

/** The machine's Chromium (CHROMIUM_PATH), started as the bench's browser phases need it. */
export function launchBenchBrowser() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
    args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--no-first-run"],
  });
}
