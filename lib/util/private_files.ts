/**
 * Files only the owner may read: the state holds subscriptions and nicks,
 * and backups the same. Created mode 0600; an older file with a wider mode
 * is narrowed when the program opens it.
 *
 * @module
 */

const OWNER_ONLY = 0o600;

async function narrow(path: string): Promise<void> {
  try {
    const { mode } = await Deno.stat(path);
    if (mode !== null && (mode & 0o077) !== 0) await Deno.chmod(path, OWNER_ONLY);
  } catch {
    // Absent, or not ours to change (another owner, a read-only mount): the program runs on as before.
  }
}

/**
 * Makes the KV file at `path` owner-only before it is opened: created empty
 * with mode 0600 (SQLite gives its `-wal` and `-shm` files the database
 * file's mode), or narrowed with its side files when it exists.
 */
export async function privateDatabase(path: string): Promise<void> {
  if (Deno.build.os === "windows") return;
  try {
    await Deno.writeFile(path, new Uint8Array(), { mode: OWNER_ONLY, createNew: true });
  } catch (e) {
    if (!(e instanceof Deno.errors.AlreadyExists)) throw e;
    for (const file of [path, `${path}-wal`, `${path}-shm`]) await narrow(file);
  }
}

/** Writes `text` to a file only the owner may read. */
export async function writePrivateFile(path: string, text: string): Promise<void> {
  await Deno.writeTextFile(path, text, { mode: OWNER_ONLY });
  if (Deno.build.os !== "windows") await narrow(path);
}
