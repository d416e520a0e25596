/**
 * Writes `lib/web/embedded.ts`, the list of files served under `/assets/`:
 * every script, style and icon in `static/` and every module in
 * `lib/shared/` (the rules and renderers the pages share with the server).
 * Each is a static text import there, so the bundle and the binary carry it;
 * the folders are the one declaration of what is served. `deno task assets`
 * runs this; a test fails while the written file is stale.
 *
 * The pages' HTML (`static/*.html`) is not served as it is: `pages.ts` puts
 * it together with the state.
 *
 * @module
 */

/** The folders whose files are served, relative to the project's root. */
export const SOURCES = ["static", "lib/shared"] as const;

/** Content types of what is served, by file extension; other files are not served. */
export const CONTENT_TYPES: Readonly<Record<string, string>> = {
  ".css": "text/css; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".svg": "image/svg+xml",
};

/** The written module, relative to the project's root. */
export const TARGET = "lib/web/embedded.ts";

const ROOT = new URL("../../", import.meta.url);

/** A file's content type, by its extension; undefined when it is not served. */
export function contentType(name: string): string | undefined {
  const dot = name.lastIndexOf(".");
  return dot < 0 ? undefined : CONTENT_TYPES[name.slice(dot)];
}

/** The served files: their name under `/assets/` and their path from the root, sorted by name. */
export async function servedFiles(root: URL = ROOT): Promise<{ name: string; path: string }[]> {
  const files: { name: string; path: string }[] = [];
  for (const dir of SOURCES) {
    for await (const entry of Deno.readDir(new URL(`${dir}/`, root))) {
      if (!entry.isFile || !contentType(entry.name)) continue;
      files.push({ name: entry.name, path: `${dir}/${entry.name}` });
    }
  }
  files.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (let i = 1; i < files.length; i++) {
    if (files[i].name === files[i - 1].name) {
      // Both would be /assets/NAME, and the pages' relative imports could not tell them apart.
      throw new Error(`${files[i - 1].path} and ${files[i].path} would both be /assets/${files[i].name}`);
    }
  }
  return files;
}

/** The text of `lib/web/embedded.ts` for the files there are now. */
export async function embeddedModule(): Promise<string> {
  const files = await servedFiles();
  const ident = (name: string) => name.replace(/[^A-Za-z0-9]/g, "_").replace(/^(?=[0-9])/, "_");
  return [
    "/**",
    " * Every file served under `/assets/`, by its name there: written by `deno task assets`",
    " * (`lib/web/embed.ts`) from the files in static/ and lib/shared/; do not edit.",
    " *",
    " * @module",
    " */",
    ...files.map((f) => `import ${ident(f.name)} from "../../${f.path}" with { type: "text" };`),
    "",
    "/** Each served file's text, by its name under `/assets/`. */",
    "export const EMBEDDED: Readonly<Record<string, string>> = {",
    ...files.map((f) => `  "${f.name}": ${ident(f.name)},`),
    "};",
    "",
  ].join("\n");
}

if (import.meta.main) {
  await Deno.writeTextFile(new URL(TARGET, ROOT), await embeddedModule());
  console.log(`wrote ${TARGET}`);
}
