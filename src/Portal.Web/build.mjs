// Bundles the portal's TypeScript and CSS into the host's static files (../Portal.Host/wwwroot).
// esbuild strips types only; `npm run typecheck` runs the TypeScript compiler over the same sources.
import * as esbuild from "esbuild";

const watch = process.argv.includes("--watch");
const options = {
  // app.ts imports app.css, so esbuild writes app.js and app.css.
  entryPoints: { app: "src/app.ts" },
  outdir: "../Portal.Host/wwwroot",
  bundle: true,
  minify: !watch,
  sourcemap: true,
  target: ["es2022"],
  format: "iife",
  legalComments: "linked",
  logLevel: "info",
};

if (watch) {
  const context = await esbuild.context(options);
  await context.watch();
} else {
  await esbuild.build(options);
}
