import { noteServerDate } from "./server-clock";

/** An error answered by the JSON API (`{ error: { code, message } }`) or a failure to reach it. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = "ApiError";
  }
}

export const isApiError = (error: unknown, code?: string): error is ApiError =>
  error instanceof ApiError && (code === undefined || error.code === code);

type ApiInit = { method?: "GET" | "POST" | "PATCH" | "DELETE"; body?: unknown; signal?: AbortSignal };

/** Fetches a Tandem API route as JSON; throws ApiError with the API's code and message. */
export async function apiFetch<T>(path: string, init: ApiInit = {}): Promise<T> {
  let response: Response;
  try {
    response = await fetch(path, {
      method: init.method ?? "GET",
      // The API refuses a state-changing request without a JSON content type (CSRF), body or not;
      // a file upload sets its own multipart type and proves itself with a custom header instead.
      headers:
        init.body instanceof FormData
          ? { "x-tandem-upload": "1" }
          : (init.method ?? "GET") === "GET"
            ? { accept: "application/json" }
            : { "content-type": "application/json" },
      body: init.body === undefined ? undefined : init.body instanceof FormData ? init.body : JSON.stringify(init.body),
      signal: init.signal,
      credentials: "same-origin",
      cache: "no-store",
    });
  } catch (error) {
    if ((error as Error)?.name === "AbortError") throw error;
    throw new ApiError(0, "NETWORK", "Tandem could not be reached. Check your connection and try again.");
  }
  noteServerDate(response.headers.get("date"));
  const payload: unknown = await response.json().catch(() => null);
  if (!response.ok) {
    const error = (payload as { error?: { code?: unknown; message?: unknown } } | null)?.error;
    throw new ApiError(
      response.status,
      typeof error?.code === "string" ? error.code : "INTERNAL",
      typeof error?.message === "string" ? error.message : `Tandem answered with an unexpected error (${response.status}).`,
    );
  }
  return payload as T;
}

/** Builds `path?query`, leaving out empty values. */
export function withQuery(path: string, query: Record<string, string | number | null | undefined>) {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value !== undefined && value !== null && value !== "") params.set(key, String(value));
  }
  const qs = params.toString();
  return qs ? `${path}?${qs}` : path;
}
