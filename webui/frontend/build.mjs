// Bundles the studio (studio.js and the CSS it imports) and the studio page's glue
// (studio-page.js: save, checks, tabs), the SOP table editor (table/index.js) and the decision
// page's read-only DMN viewer (dmn-viewer.js) into
// webui/static/build/ with esbuild:
// `npm run build`. The same settings as `esbuild --bundle --format=iife --minify
// --loader:.js=jsx --jsx=automatic --jsx-import-source=@bpmn-io/properties-panel/preact`, plus
// one source fix: the properties panel creates its two containers from HTML with a style
// attribute, which Alur's Content-Security-Policy (style-src 'self') blocks and reports on
// every page load. Those attributes are removed here and the same rules live in studio.css.
// If the library's text changes, the build fails instead of silently shipping the violation.

import { readFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import * as esbuild from "esbuild";

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, "..", "..");

const INLINE_STYLES = [
  ' style="height: 100%" tabindex="-1" class="bio-properties-panel-container"',
  ' style="flex: none; height: auto" class="bio-properties-panel',
];

const noInlineStyles = {
  name: "alur-no-inline-styles",
  setup(build) {
    build.onLoad({ filter: /bpmn-js-properties-panel[\\/]dist[\\/]index\.esm\.js$/ }, async (args) => {
      let contents = await readFile(args.path, "utf8");
      for (const text of INLINE_STYLES) {
        if (!contents.includes(text)) {
          throw new Error(`bpmn-js-properties-panel no longer contains ${text}: check build.mjs`);
        }
        contents = contents.replace(text, text.replace(/ style="[^"]*"/, ""));
      }
      return { contents, loader: "js" };
    });
  },
};

const fonts = Object.fromEntries([".woff2", ".woff", ".ttf", ".eot", ".svg"].map((e) => [e, "file"]));

await esbuild.build({
  // studio: the modeler; studio-page: the studio page's glue; table: the SOP table editor
  entryPoints: {
    studio: join(here, "studio.js"),
    "studio-page": join(here, "studio-page.js"),
    table: join(here, "table", "index.js"),
  },
  outdir: join(root, "webui", "static", "build"),
  bundle: true,
  format: "iife",
  minify: true,
  target: "es2020",
  loader: { ".js": "jsx", ...fonts },
  jsx: "automatic",
  jsxImportSource: "@bpmn-io/properties-panel/preact",
  assetNames: "fonts/[name]-[hash]",
  logLevel: "warning",
  plugins: [noInlineStyles],
});

// the read-only DMN decision table (dmn-js's viewer) of the decision page: plain JS, no JSX
await esbuild.build({
  entryPoints: { "dmn-viewer": join(here, "dmn-viewer.js") },
  outdir: join(root, "webui", "static", "build"),
  bundle: true,
  format: "iife",
  minify: true,
  target: "es2020",
  loader: fonts,
  assetNames: "fonts/[name]-[hash]",
  logLevel: "warning",
});
