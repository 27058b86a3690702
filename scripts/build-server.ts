/**
 * Compiles the launcher and the server processes (web, realtime, worker, sandbox) to plain
 * JavaScript in dist/, so production runs them with `node`, without a runtime transpiler.
 * Packages stay external (node_modules is installed in production); `server-only` resolves to an
 * empty module, as it does for React Server Components.
 */
import { cpSync, rmSync } from "node:fs";
import path from "node:path";
import { build } from "esbuild";

const entries = {
  launch: "scripts/launch.ts",
  web: "server/web/main.ts",
  realtime: "server/realtime/main.ts",
  worker: "server/worker/main.ts",
  sandbox: "server/sandbox/main.ts",
};

rmSync("dist", { recursive: true, force: true });
await build({
  entryPoints: entries,
  outdir: "dist",
  outExtension: { ".js": ".mjs" },
  bundle: true,
  platform: "node",
  format: "esm",
  target: "node20",
  packages: "external",
  alias: { "server-only": path.resolve("scripts/empty-module.ts") },
  // ESM output: packages written as CommonJS still find `require` where they need it.
  banner: {
    js: "import { createRequire as __tandemCreateRequire } from 'node:module'; const require = __tandemCreateRequire(import.meta.url);",
  },
  sourcemap: true,
  logLevel: "warning",
});
// The migrator looks for migrations beside its own module.
cpSync("db/migrations", "dist/migrations", { recursive: true });
console.log(`compiled ${Object.keys(entries).join(", ")} to dist/`);
