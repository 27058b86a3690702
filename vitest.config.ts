import path from "node:path";
import { defineConfig } from "vitest/config";

const alias = {
  "@": path.resolve(import.meta.dirname),
  // `server-only` throws outside React Server Components; tests run plain Node.
  "server-only": path.resolve(import.meta.dirname, "scripts/empty-module.ts"),
};

export default defineConfig({
  resolve: { alias },
  test: {
    // A focused test would make CI pass on a fraction of the suite (`npm test` sets CI).
    allowOnly: !process.env.CI,
    projects: [
      {
        resolve: { alias },
        test: {
          name: "unit",
          include: ["{lib,db,server,app,scripts}/**/*.test.ts"],
          exclude: ["**/*.int.test.ts", "node_modules/**"],
        },
      },
      {
        resolve: { alias },
        test: {
          name: "integration",
          include: ["{lib,db,server,app,scripts}/**/*.int.test.ts"],
          globalSetup: ["./scripts/vitest-global-setup.ts"],
          testTimeout: 30_000,
          hookTimeout: 60_000,
        },
      },
    ],
  },
});
