/** Owner-only files: the KV file and its side files, backups; created 0600, wider modes narrowed. */
import assert from "node:assert/strict";
import { privateDatabase, writePrivateFile } from "../../lib/util/private_files.ts";

const POSIX = Deno.build.os !== "windows";

async function mode(path: string): Promise<number> {
  return (await Deno.stat(path)).mode! & 0o777;
}

Deno.test({
  name: "private_files: a new KV file is created empty with mode 0600",
  ignore: !POSIX,
  fn: async () => {
    const dir = await Deno.makeTempDir();
    try {
      await privateDatabase(`${dir}/ptg.kv`);
      assert.equal(await mode(`${dir}/ptg.kv`), 0o600);
      assert.equal((await Deno.stat(`${dir}/ptg.kv`)).size, 0);
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});

Deno.test({
  name: "private_files: an existing KV file and its side files are narrowed, their bytes kept",
  ignore: !POSIX,
  fn: async () => {
    const dir = await Deno.makeTempDir();
    try {
      const path = `${dir}/ptg.kv`;
      for (const file of [path, `${path}-wal`, `${path}-shm`]) {
        await Deno.writeTextFile(file, file);
        await Deno.chmod(file, 0o664);
      }
      await privateDatabase(path);
      for (const file of [path, `${path}-wal`, `${path}-shm`]) {
        assert.equal(await mode(file), 0o600, file);
        assert.equal(await Deno.readTextFile(file), file);
      }
      // Side files that are absent are no error.
      await Deno.remove(`${path}-wal`);
      await privateDatabase(path);
      assert.equal(await mode(path), 0o600);
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});

Deno.test({
  name: "private_files: writePrivateFile creates 0600 and narrows a file others could read",
  ignore: !POSIX,
  fn: async () => {
    const dir = await Deno.makeTempDir();
    try {
      await writePrivateFile(`${dir}/backup.json`, "{}\n");
      assert.equal(await mode(`${dir}/backup.json`), 0o600);
      await Deno.chmod(`${dir}/backup.json`, 0o644);
      await writePrivateFile(`${dir}/backup.json`, "[]\n");
      assert.equal(await mode(`${dir}/backup.json`), 0o600);
      assert.equal(await Deno.readTextFile(`${dir}/backup.json`), "[]\n");
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});
