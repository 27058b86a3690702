/** The one error type whose message may reach a user. Codes map to HTTP in lib/http/route.ts. */
export type AppErrorCode =
  | "VALIDATION"
  | "UNAUTHORIZED"
  | "FORBIDDEN"
  | "NOT_FOUND"
  | "CONFLICT"
  | "RATE_LIMITED"
  | "WINDOW_CLOSED"
  | "NUMBER_UNAVAILABLE"
  | "PAYLOAD_TOO_LARGE"
  | "UNAVAILABLE"
  | "META_ERROR";

export class AppError extends Error {
  constructor(
    readonly code: AppErrorCode,
    message: string,
  ) {
    super(message);
    this.name = "AppError";
  }
}

export const httpStatusOf: Record<AppErrorCode, number> = {
  VALIDATION: 400,
  UNAUTHORIZED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  PAYLOAD_TOO_LARGE: 413,
  WINDOW_CLOSED: 422,
  NUMBER_UNAVAILABLE: 422,
  RATE_LIMITED: 429,
  // Meta answered an error to a call Tandem made on the user's behalf (Embedded Signup).
  META_ERROR: 502,
  UNAVAILABLE: 503,
};
