import { createReadStream } from "node:fs";
import { mkdir, rename, stat, writeFile } from "node:fs/promises";
import path from "node:path";
import { Readable } from "node:stream";
import { GetObjectCommand, NoSuchKey, PutObjectCommand, S3Client } from "@aws-sdk/client-s3";

/** Where Tandem keeps media files. Local disk by default; object storage can implement the same. */
export interface MediaStorage {
  put(key: string, data: Buffer): Promise<void>;
  open(key: string): Promise<{ stream: Readable; size: number } | null>;
}

/** Keys are `<number id>/<sha256 hex>`: content-addressed, so a re-download overwrites nothing new. */
const checkKey = (key: string) => {
  if (!/^[0-9a-f-]{36}\/[0-9a-f]{64}$/.test(key)) throw new Error(`invalid media key ${key}`);
  return key;
};

export function createDiskStorage(root: string): MediaStorage {
  const fileOf = (key: string) => path.join(root, checkKey(key));
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

export type S3StorageConfig = {
  bucket: string;
  region: string;
  /** An S3-compatible server's URL (MinIO, R2, a local test server); unset for AWS itself. */
  endpoint?: string;
  accessKeyId?: string;
  secretAccessKey?: string;
};

/**
 * Media in S3-compatible object storage, so web and worker processes on different machines see the
 * same files. Path-style addressing works with every S3-compatible server.
 */
export function createS3Storage(config: S3StorageConfig): MediaStorage {
  const client = new S3Client({
    region: config.region,
    endpoint: config.endpoint,
    forcePathStyle: Boolean(config.endpoint),
    credentials:
      config.accessKeyId && config.secretAccessKey
        ? { accessKeyId: config.accessKeyId, secretAccessKey: config.secretAccessKey }
        : undefined,
  });
  return {
    async put(key, data) {
      await client.send(new PutObjectCommand({ Bucket: config.bucket, Key: checkKey(key), Body: data }));
    },
    async open(key) {
      try {
        const object = await client.send(new GetObjectCommand({ Bucket: config.bucket, Key: checkKey(key) }));
        if (!(object.Body instanceof Readable)) return null;
        return { stream: object.Body, size: object.ContentLength ?? 0 };
      } catch (error) {
        if (error instanceof NoSuchKey || (error as { name?: string }).name === "NoSuchKey") return null;
        throw error;
      }
    },
  };
}

/** Object storage when a bucket is configured, the disk folder otherwise. */
export function createMediaStorage(env: {
  TANDEM_MEDIA_DIR: string;
  TANDEM_S3_BUCKET?: string;
  TANDEM_S3_REGION: string;
  TANDEM_S3_ENDPOINT?: string;
  TANDEM_S3_ACCESS_KEY_ID?: string;
  TANDEM_S3_SECRET_ACCESS_KEY?: string;
}): MediaStorage {
  if (!env.TANDEM_S3_BUCKET) return createDiskStorage(env.TANDEM_MEDIA_DIR);
  return createS3Storage({
    bucket: env.TANDEM_S3_BUCKET,
    region: env.TANDEM_S3_REGION,
    endpoint: env.TANDEM_S3_ENDPOINT,
    accessKeyId: env.TANDEM_S3_ACCESS_KEY_ID,
    secretAccessKey: env.TANDEM_S3_SECRET_ACCESS_KEY,
  });
}
