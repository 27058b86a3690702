/**
 * Reads a request body of at most `maxBytes`, or returns null. A declared Content-Length over the
 * limit is refused before a byte is read; a stream without one (chunked) is read only until it
 * passes the limit, then cancelled, so an oversized body is never held in memory.
 */
export async function readBodyWithin(req: Request, maxBytes: number): Promise<Buffer | null> {
  const declared = Number(req.headers.get("content-length") ?? Number.NaN);
  if (declared > maxBytes) {
    await req.body?.cancel().catch(() => {});
    return null;
  }
  if (!req.body) return Buffer.alloc(0);
  const reader = req.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel().catch(() => {});
      return null;
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks, size);
}
