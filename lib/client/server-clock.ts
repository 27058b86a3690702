/**
 * The server's clock as the browser should use it for the window: a browser whose clock is wrong
 * must still show the server's truth. The offset comes from the HTTP `Date` header of the first API
 * answer of the page (second precision, plenty next to the window's two-minute margin).
 */
let offsetMs: number | null = null;

export function noteServerDate(header: string | null) {
  if (offsetMs !== null || !header) return;
  const server = Date.parse(header);
  if (Number.isFinite(server)) offsetMs = server - Date.now();
}

/** Now, on the server's clock (the browser's own until the first API answer). */
export const serverNow = () => new Date(Date.now() + (offsetMs ?? 0));
