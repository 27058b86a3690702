/**
 * Reads a request body of at most `maxBytes`, or returns null. A declared Content-Length over the
 * limit is refused before a byte is read; a body without one (chunked) is read only until it
 * passes the limit, then let go (a web stream is cancelled), so an oversized body is never held in
 * memory. The body is any stream of bytes: a web ReadableStream or a node request's iterator.
 */
export async function readBodyWithin(
  { contentLength, body }: { contentLength: string | null | undefined; body: AsyncIterable<Uint8Array> | null },
  maxBytes: number,
): Promise<Buffer | null> {
  if (Number(contentLength ?? Number.NaN) > maxBytes) return null;
  if (!body) return Buffer.alloc(0);
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of body) {
    size += chunk.byteLength;
    if (size > maxBytes) return null;
    chunks.push(chunk);
  }
  return Buffer.concat(chunks, size);
}
