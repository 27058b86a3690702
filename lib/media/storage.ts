import { createReadStream } from "node:fs";
import { mkdir, rename, stat, writeFile } from "node:fs/promises";
import path from "node:path";
import type { Readable } from "node:stream";

/** Where Tandem keeps media files. Local disk by default; object storage can implement the same. */
export interface MediaStorage {
  put(key: string, data: Buffer): Promise<void>;
  open(key: string): Promise<{ stream: Readable; size: number } | null>;
}

/** Keys are `<number id>/<sha256 hex>`: content-addressed, so a re-download overwrites nothing new. */
export function createDiskStorage(root: string): MediaStorage {
  const fileOf = (key: string) => {
    if (!/^[0-9a-f-]{36}\/[0-9a-f]{64}$/.test(key)) throw new Error(`invalid media key ${key}`);
    return path.join(root, key);
  };
  return {
    async put(key, data) {
      const file = fileOf(key);
      await mkdir(path.dirname(file), { recursive: true });
      const temp = `${file}.${process.pid}.tmp`;
      await writeFile(temp, data);
      await rename(temp, file);
    },
    async open(key) {
      const file = fileOf(key);
      const info = await stat(file).catch(() => null);
      if (!info) return null;
      return { stream: createReadStream(file), size: info.size };
    },
  };
}
