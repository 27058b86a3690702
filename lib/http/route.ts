import "server-only";
import { randomUUID } from "node:crypto";
import { NextResponse } from "next/server";
import { type ZodType, z } from "zod";
import { getSignedInUser } from "@/lib/auth/options";
import { webEnv } from "@/lib/env/web";
import { AppError, httpStatusOf } from "@/lib/errors";
import { loggerFor } from "@/lib/logger";
import { getDb } from "@/lib/server/db";
import type { Ctx, UserActor } from "@/lib/services/context";

const log = loggerFor("web");

export function errorResponse(error: AppError, requestId?: string) {
  return NextResponse.json(
    { error: { code: error.code, message: error.message } },
    { status: httpStatusOf[error.code], headers: requestId ? { "x-request-id": requestId } : undefined },
  );
}

type RouteSpec<P, Q, B> = {
  auth: "public" | "user" | "admin";
  params?: ZodType<P>;
  query?: ZodType<Q>;
  body?: ZodType<B>;
};

type Handler<P, Q, B, A> = (args: {
  req: Request;
  ctx: A extends "public" ? Ctx : Ctx & { actor: UserActor };
  params: P;
  query: Q;
  body: B;
  requestId: string;
}) => Promise<Response | unknown>;

function invalid(error: z.ZodError, where: string) {
  const issue = error.issues[0];
  const path = issue?.path.length ? `${issue.path.join(".")}: ` : "";
  return new AppError("VALIDATION", `Invalid ${where}: ${path}${issue?.message ?? "malformed"}`);
}

const STATE_CHANGING = new Set(["POST", "PUT", "PATCH", "DELETE"]);

/**
 * Cross-site request forgery: a page elsewhere can make the browser send the agent's cookie with a
 * form or a "simple" fetch, but neither can set a JSON content type (that needs a CORS preflight,
 * which we never grant), nor hide where it comes from (browsers send Sec-Fetch-Site, or at least
 * Origin, on every state-changing request). A request with neither header did not come from a
 * browser, so it carries no victim's cookie, but we still refuse it: every client of ours is one.
 */
export function checkSameOrigin(req: Request) {
  if (!STATE_CHANGING.has(req.method)) return;
  const mediaType = req.headers.get("content-type")?.split(";")[0]?.trim().toLowerCase();
  // File uploads are multipart; their custom header needs a CORS preflight just as a JSON type does.
  const isUpload = mediaType === "multipart/form-data" && req.headers.get("x-tandem-upload") === "1";
  if (mediaType !== "application/json" && !isUpload) {
    throw new AppError("FORBIDDEN", "State-changing requests must send Content-Type: application/json.");
  }
  const fetchSite = req.headers.get("sec-fetch-site");
  if (fetchSite !== null) {
    if (fetchSite === "same-origin") return;
    throw new AppError("FORBIDDEN", "Cross-site requests are not allowed.");
  }
  const origin = req.headers.get("origin");
  if (origin === null) throw new AppError("FORBIDDEN", "The request does not say where it comes from (no Origin header).");
  const publicUrl = webEnv().NEXTAUTH_URL;
  const allowed = [new URL(req.url).origin, ...(publicUrl ? [new URL(publicUrl).origin] : [])];
  if (!allowed.includes(origin)) throw new AppError("FORBIDDEN", "Cross-site requests are not allowed.");
}

/**
 * Wraps a route handler: refuses cross-site state-changing requests, authenticates and checks the
 * role, validates params, query and body with zod, and maps errors to `{ error: { code, message } }`. Only AppError messages reach the
 * client; anything else is logged with the request id and answered generically.
 */
export function route<P = undefined, Q = undefined, B = undefined, A extends RouteSpec<P, Q, B>["auth"] = "user">(
  spec: RouteSpec<P, Q, B> & { auth: A },
  handler: Handler<P, Q, B, A>,
) {
  return async (req: Request, context: { params: Promise<Record<string, string | string[]>> }) => {
    const requestId = randomUUID();
    try {
      checkSameOrigin(req);
      const db = getDb();
      let ctx: Ctx = { db, actor: { kind: "system", name: "anonymous" } };
      if (spec.auth !== "public") {
        // Re-read from the database so a deactivation, password reset or role change applies at once.
        const user = await getSignedInUser();
        if (!user) throw new AppError("UNAUTHORIZED", "Sign in to continue.");
        if (spec.auth === "admin" && user.role !== "admin") throw new AppError("FORBIDDEN", "Only admins can do this.");
        ctx = { db, actor: { kind: "user", userId: user.id, role: user.role, name: user.name } };
      }
      const rawParams = context?.params ? await context.params : {};
      const params = spec.params ? spec.params.safeParse(rawParams) : { success: true as const, data: undefined };
      if (!params.success) throw invalid(params.error, "path");
      const url = new URL(req.url);
      const query = spec.query
        ? spec.query.safeParse(Object.fromEntries(url.searchParams))
        : { success: true as const, data: undefined };
      if (!query.success) throw invalid(query.error, "query");
      let body: { success: true; data: B | undefined } | { success: false; error: z.ZodError } = {
        success: true,
        data: undefined,
      };
      if (spec.body) {
        const json = await req.json().catch(() => {
          throw new AppError("VALIDATION", "The request body is not valid JSON.");
        });
        body = spec.body.safeParse(json);
      }
      if (!body.success) throw invalid(body.error, "body");

      const result = await handler({
        req,
        ctx: ctx as never,
        params: params.data as P,
        query: query.data as Q,
        body: body.data as B,
        requestId,
      });
      if (result instanceof Response) return result;
      return NextResponse.json(result ?? { ok: true });
    } catch (error) {
      if (error instanceof AppError) return errorResponse(error, requestId);
      log.error({ requestId, url: req.url, err: error }, "request failed");
      return NextResponse.json(
        { error: { code: "INTERNAL", message: `Something went wrong on our side (request ${requestId}).` } },
        { status: 500, headers: { "x-request-id": requestId } },
      );
    }
  };
}

export const uuidParam = z.string().uuid("must be a valid id");

/** Keyset cursor `<ISO time>|<uuid>`, as returned in a previous page's `nextCursor`. */
export const cursorParam = z
  .string()
  .regex(/^[^|]+\|[0-9a-f-]{36}$/, "is not a cursor from a previous page")
  .transform((c) => {
    const [at, id] = c.split("|") as [string, string];
    return { at: new Date(at), id };
  })
  .refine((c) => !Number.isNaN(c.at.getTime()), "is not a cursor from a previous page");
