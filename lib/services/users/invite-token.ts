import { createHash, randomBytes } from "node:crypto";

/** 256 random bits, URL-safe: the only copy is the link shown to the admin. */
export const newInviteToken = () => randomBytes(32).toString("base64url");
export const hashInviteToken = (token: string) => createHash("sha256").update(token).digest("hex");
export const INVITE_TTL_MS = 7 * 24 * 60 * 60 * 1000;
