import { randomBytes, randomUUID } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type { Readable } from "node:stream";
import { CreateBucketCommand, S3Client } from "@aws-sdk/client-s3";
import S3rver from "s3rver";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDiskStorage, createMediaStorage, type MediaStorage } from "./storage";

/** A local S3-compatible server (s3rver, from npm) stands in for the object store. */
const folder = mkdtempSync(path.join(tmpdir(), "tandem-s3-"));
const bucket = "tandem-media";
let server: S3rver;
let endpoint = "";

beforeAll(async () => {
  server = new S3rver({ port: 0, address: "127.0.0.1", directory: folder, silent: true });
  const { port } = await server.run();
  endpoint = `http://127.0.0.1:${port}`;
  const client = new S3Client({
    region: "us-east-1",
    endpoint,
    forcePathStyle: true,
    credentials: { accessKeyId: "S3RVER", secretAccessKey: "S3RVER" },
  });
  await client.send(new CreateBucketCommand({ Bucket: bucket }));
});

afterAll(async () => {
  await server?.close();
  rmSync(folder, { recursive: true, force: true });
});

const read = async (stream: Readable) => {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.from(chunk));
  return Buffer.concat(chunks);
};
const keyOf = () => `${randomUUID()}/${randomBytes(32).toString("hex")}`;

const stores: [string, () => MediaStorage][] = [
  ["disk", () => createDiskStorage(path.join(folder, "disk"))],
  [
    "S3-compatible object storage",
    () =>
      createMediaStorage({
        TANDEM_MEDIA_DIR: path.join(folder, "unused"),
        TANDEM_S3_BUCKET: bucket,
        TANDEM_S3_REGION: "us-east-1",
        TANDEM_S3_ENDPOINT: endpoint,
        TANDEM_S3_ACCESS_KEY_ID: "S3RVER",
        TANDEM_S3_SECRET_ACCESS_KEY: "S3RVER",
      }),
  ],
];

describe.each(stores)("media storage on %s", (_name, create) => {
  it("gives back exactly the bytes stored under a key, with their size", async () => {
    const storage = create();
    const key = keyOf();
    const data = randomBytes(70_000);
    await storage.put(key, data);
    const file = await storage.open(key);
    expect(file?.size).toBe(data.length);
    expect((await read(file!.stream)).equals(data)).toBe(true);
  });

  it("answers null for a key never stored, and refuses a key that is not a media key", async () => {
    const storage = create();
    expect(await storage.open(keyOf())).toBeNull();
    await expect(storage.put("../../etc/passwd", Buffer.from("x"))).rejects.toThrow(/invalid media key/);
  });
});
