/**
 * Replacing a file whole: the text goes to a temporary file beside it,
 * which is then renamed over it, so a reader (a process starting
 * meanwhile, another web server) finds the old file or the new one, never
 * half of one.
 *
 * @module
 */
import { writePrivateFile } from "./private_files.ts";

/** How to write the file. */
export interface AtomicWriteOptions {
  /** Only the owner may read it (mode 0600): it holds secrets or subscriptions. */
  ownerOnly?: boolean;
}

/**
 * Writes `text` to `path` atomically. On failure the file at `path` is as
 * it was, the temporary file is gone, and the error is thrown.
 */
export async function writeFileAtomically(
  path: string,
  text: string,
  opts: AtomicWriteOptions = {},
): Promise<void> {
  // A name of its own, so two writers of the same path never share a temporary file.
  const tmp = `${path}.${crypto.randomUUID()}.tmp`;
  try {
    if (opts.ownerOnly) await writePrivateFile(tmp, text);
    else await Deno.writeTextFile(tmp, text);
    await Deno.rename(tmp, path);
  } catch (e) {
    await Deno.remove(tmp).catch(() => {});
    throw e;
  }
}
