import { randomBytes } from "node:crypto";
import { mkdir, open, readFile, rename, rm, stat } from "node:fs/promises";
import { join } from "node:path";
import { assertStorageKey, contentTypeOfKey } from "./key.ts";
import type { FileStorage, StoredFile } from "./types.ts";

/**
 * Files in one local folder (`$DATA_DIR/images`; a volume in containers). The folder is created
 * on the first write, so a store that was never written to needs no disk at all. A file keeps no
 * metadata besides its name, so the content type is the one its extension stands for.
 */
export function folderStorage(dir: string): FileStorage {
  return {
    async put(key, bytes, contentType) {
      assertStorageKey(key);
      const expected = contentTypeOfKey(key);
      if (contentType !== expected) {
        throw new Error(`Cannot store ${key} as ${contentType}: its extension makes it ${expected}`);
      }
      await writeAtomically(dir, key, bytes);
    },

    async get(key): Promise<StoredFile | undefined> {
      assertStorageKey(key);
      const body = await readFile(join(dir, key)).catch(undefinedWhenMissing);
      if (body === undefined) return undefined;
      return { body, contentType: contentTypeOfKey(key), size: body.byteLength };
    },

    async delete(keys) {
      // Check every key before removing any, so a bad key never leaves a half-done delete.
      for (const key of keys) assertStorageKey(key);
      await Promise.all(keys.map((key) => rm(join(dir, key), { force: true })));
    },

    async exists(key) {
      assertStorageKey(key);
      const info = await stat(join(dir, key)).catch(undefinedWhenMissing);
      return info?.isFile() ?? false;
    },
  };
}

/**
 * Readers see the old file or the new one, never a partial one: the bytes go to a temporary file
 * in the same folder (so the rename stays on one file system, where it is atomic) and are synced
 * before the rename, so a crash cannot leave a truncated image under the final name. Temporary
 * names start with a dot, which no key can, and are unique, so concurrent writers never share one.
 */
async function writeAtomically(dir: string, key: string, bytes: Uint8Array): Promise<void> {
  await mkdir(dir, { recursive: true });
  const temporary = join(dir, `.${key}.${randomBytes(6).toString("hex")}.tmp`);
  try {
    const handle = await open(temporary, "wx");
    try {
      await handle.writeFile(bytes);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temporary, join(dir, key));
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
}

function undefinedWhenMissing(error: unknown): undefined {
  if (error instanceof Error && "code" in error && error.code === "ENOENT") return undefined;
  throw error;
}
