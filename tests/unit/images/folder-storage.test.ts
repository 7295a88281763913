import { mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { folderStorage } from "../../../src/platform/storage";

describe("folderStorage", () => {
  let root: string;
  let dir: string;
  beforeEach(async () => {
    root = await mkdtemp(join(tmpdir(), "joxi-storage-"));
    dir = join(root, "data", "images");
  });
  afterEach(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it("creates its folder on the first write only", async () => {
    const storage = folderStorage(dir);
    expect(await storage.get("img_a-card.webp")).toBeUndefined();
    expect(await storage.exists("img_a-card.webp")).toBe(false);
    await storage.delete(["img_a-card.webp"]);
    expect(await readdir(root)).toEqual([]);

    await storage.put("img_a-card.webp", new Uint8Array([1, 2, 3]), "image/webp");
    expect(await readdir(dir)).toEqual(["img_a-card.webp"]);
  });

  it("gives back what was put, with its content type and size", async () => {
    const storage = folderStorage(dir);
    const bytes = new Uint8Array([0x52, 0x49, 0x46, 0x46, 9, 8, 7]);
    await storage.put("img_a-full.webp", bytes, "image/webp");

    const stored = await storage.get("img_a-full.webp");
    expect(stored?.contentType).toBe("image/webp");
    expect(stored?.size).toBe(7);
    expect(Buffer.from(stored?.body ?? []).equals(Buffer.from(bytes))).toBe(true);
    expect(await storage.exists("img_a-full.webp")).toBe(true);
    expect(new Uint8Array(await readFile(join(dir, "img_a-full.webp")))).toEqual(bytes);
  });

  it("replaces a file whole, and leaves no temporary file behind", async () => {
    const storage = folderStorage(dir);
    await storage.put("img_a-card.webp", Buffer.alloc(100_000, 1), "image/webp");
    await storage.put("img_a-card.webp", Buffer.alloc(10, 2), "image/webp");

    expect((await storage.get("img_a-card.webp"))?.body).toEqual(Buffer.alloc(10, 2));
    expect(await readdir(dir)).toEqual(["img_a-card.webp"]);
  });

  it("never lets a reader see half a file while writers race on the same key", async () => {
    const storage = folderStorage(dir);
    const versions = [Buffer.alloc(400_000, 1), Buffer.alloc(300_000, 2)];
    await storage.put("img_a-full.webp", versions[0] ?? Buffer.alloc(0), "image/webp");

    const writes = Array.from({ length: 20 }, (_, i) =>
      storage.put("img_a-full.webp", versions[i % 2] ?? Buffer.alloc(0), "image/webp"),
    );
    const reads = Array.from({ length: 60 }, () => storage.get("img_a-full.webp"));
    const [, seen] = await Promise.all([Promise.all(writes), Promise.all(reads)]);

    for (const file of seen) {
      const body = Buffer.from(file?.body ?? []);
      expect(versions.some((version) => version.equals(body))).toBe(true);
    }
    expect(await readdir(dir)).toEqual(["img_a-full.webp"]);
  });

  it("deletes files and ignores keys that have none", async () => {
    const storage = folderStorage(dir);
    await storage.put("img_a-card.webp", new Uint8Array([1]), "image/webp");
    await storage.put("img_b-card.webp", new Uint8Array([2]), "image/webp");

    await storage.delete(["img_a-card.webp", "img_missing-card.webp"]);

    expect(await storage.exists("img_a-card.webp")).toBe(false);
    expect(await storage.get("img_a-card.webp")).toBeUndefined();
    expect(await storage.exists("img_b-card.webp")).toBe(true);
    await storage.delete([]);
  });

  it("refuses keys that are paths or not plain file names, before touching the disk", async () => {
    const outside = join(root, "x.webp");
    await writeFile(outside, "outside");
    const storage = folderStorage(dir);
    const badKeys = [
      "../x",
      "../x.webp",
      "..",
      "a/b.webp",
      "a\\b.webp",
      "/etc/passwd",
      ".hidden.webp",
      "IMG_A.webp",
      "img a.webp",
      "img_a.webp\0",
      "noextension",
      "",
      `${"a".repeat(200)}.webp`,
    ];
    for (const key of badKeys) {
      await expect(storage.put(key, new Uint8Array([1]), "image/webp"), key).rejects.toThrow(
        /Invalid storage key/,
      );
      await expect(storage.get(key), key).rejects.toThrow(/Invalid storage key/);
      await expect(storage.exists(key), key).rejects.toThrow(/Invalid storage key/);
      await expect(storage.delete(["img_a-card.webp", key]), key).rejects.toThrow(/Invalid storage key/);
    }
    expect(await readFile(outside, "utf8")).toBe("outside");
    expect(await readdir(root)).toEqual(["x.webp"]);
  });

  it("refuses a content type that the key's extension would not give back", async () => {
    const storage = folderStorage(dir);
    await expect(storage.put("img_a-card.webp", new Uint8Array([1]), "image/png")).rejects.toThrow(
      /extension makes it image\/webp/,
    );
    expect(await storage.exists("img_a-card.webp")).toBe(false);
  });
});
