/** Atomic file writes: replaced whole, never in place, owner-only when asked, nothing left behind. */
import assert from "node:assert/strict";
import { writeFileAtomically } from "../../lib/util/atomic_file.ts";

const POSIX = Deno.build.os !== "windows";

async function inTempDir(fn: (dir: string) => Promise<void>): Promise<void> {
  const dir = await Deno.makeTempDir();
  try {
    await fn(dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

async function names(dir: string): Promise<string[]> {
  return (await Array.fromAsync(Deno.readDir(dir))).map((e) => e.name).sort();
}

Deno.test("atomic_file: creates and replaces a file, leaving no temporary file", () =>
  inTempDir(async (dir) => {
    const path = `${dir}/ptg.json`;
    await writeFileAtomically(path, "first");
    assert.equal(await Deno.readTextFile(path), "first");
    await writeFileAtomically(path, "second, longer than the first");
    assert.equal(await Deno.readTextFile(path), "second, longer than the first");
    assert.deepEqual(await names(dir), ["ptg.json"]);
  }));

Deno.test("atomic_file: a reader that opened the old file reads it whole while the new one is written", () =>
  inTempDir(async (dir) => {
    const path = `${dir}/ptg.json`;
    const old = "old ".repeat(10_000);
    await Deno.writeTextFile(path, old);
    using reader = await Deno.open(path);
    await writeFileAtomically(path, "new");
    // Written in place, the open file would now be "new" or cut short.
    assert.equal(new TextDecoder().decode(await new Response(reader.readable).bytes()), old);
    assert.equal(await Deno.readTextFile(path), "new");
  }));

Deno.test({
  name: "atomic_file: ownerOnly gives mode 0600, even over a file others could read",
  ignore: !POSIX,
  fn: () =>
    inTempDir(async (dir) => {
      const path = `${dir}/site.pem`;
      await Deno.writeTextFile(path, "old", { mode: 0o644 });
      await Deno.chmod(path, 0o644);
      await writeFileAtomically(path, "secret", { ownerOnly: true });
      assert.equal((await Deno.stat(path)).mode! & 0o777, 0o600);
      assert.equal(await Deno.readTextFile(path), "secret");
      await writeFileAtomically(`${dir}/new.pem`, "secret", { ownerOnly: true });
      assert.equal((await Deno.stat(`${dir}/new.pem`)).mode! & 0o777, 0o600);
      assert.deepEqual(await names(dir), ["new.pem", "site.pem"]);
    }),
});

Deno.test("atomic_file: a write that fails throws, keeps what was there and removes its temporary file", () =>
  inTempDir(async (dir) => {
    // A folder with a file in it: a file cannot be renamed over it.
    const path = `${dir}/taken`;
    await Deno.mkdir(path);
    await Deno.writeTextFile(`${path}/inside`, "kept");
    await assert.rejects(writeFileAtomically(path, "text"));
    await assert.rejects(writeFileAtomically(path, "text", { ownerOnly: true }));
    assert.equal(await Deno.readTextFile(`${path}/inside`), "kept");
    assert.deepEqual(await names(dir), ["taken"]);
    // A folder that does not exist: nothing is created.
    await assert.rejects(writeFileAtomically(`${dir}/absent/ptg.json`, "text"), Deno.errors.NotFound);
    assert.deepEqual(await names(dir), ["taken"]);
  }));

Deno.test("atomic_file: writers of the same path at once leave one of their texts whole", () =>
  inTempDir(async (dir) => {
    const path = `${dir}/ptg.json`;
    const texts = Array.from({ length: 20 }, (_, i) => `${i}:`.repeat(5_000 + i));
    await Promise.all(texts.map((t) => writeFileAtomically(path, t)));
    assert.ok(texts.includes(await Deno.readTextFile(path)));
    assert.deepEqual(await names(dir), ["ptg.json"]);
  }));
