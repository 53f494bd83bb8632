// The console's cookies: the session (`gf_session`) and the sign-in in flight (`gf_signin`).
// Both are HttpOnly (no script reads them), Secure and SameSite=Lax: Lax, not Strict, because the
// IdP's redirect back to /auth/callback is a cross-site top-level navigation that must carry
// `gf_signin`, and a link into the console from Slack or mail should arrive signed in.
import type { CookieSerializeOptions } from '@fastify/cookie';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Database } from '../../db/client.js';
import { findConsoleSession, type SessionRecord } from '../../db/queries/console-sessions.js';
import { sessionRoleHolds } from '../../identity/console-sign-in.js';
import { sourceOf } from '../actor.js';

/** The session cookie's name (the contract with the console). */
const SESSION_COOKIE = 'gf_session';
/** The sign-in-in-flight cookie's name. */
export const SIGN_IN_COOKIE = 'gf_signin';
/** Where the sign-in cookie is sent: the callback only. */
const SIGN_IN_PATH = '/auth/callback';

const base: CookieSerializeOptions = { httpOnly: true, secure: true, sameSite: 'lax' };

/** Sets the session cookie for `maxSeconds` (the session's absolute lifetime). */
export function setSessionCookie(reply: FastifyReply, value: string, maxSeconds: number): void {
  reply.setCookie(SESSION_COOKIE, value, { ...base, path: '/', maxAge: maxSeconds });
}

/** Clears the session cookie in the browser. */
export function clearSessionCookie(reply: FastifyReply): void {
  reply.clearCookie(SESSION_COOKIE, { ...base, path: '/' });
}

/** Sets the sign-in cookie for `ttlSeconds`. */
export function setSignInCookie(reply: FastifyReply, value: string, ttlSeconds: number): void {
  reply.setCookie(SIGN_IN_COOKIE, value, { ...base, path: SIGN_IN_PATH, maxAge: ttlSeconds });
}

/** Clears the sign-in cookie (used once). */
export function clearSignInCookie(reply: FastifyReply): void {
  reply.clearCookie(SIGN_IN_COOKIE, { ...base, path: SIGN_IN_PATH });
}

/** Whether the request carries a session cookie at all (live or not). */
export function hasSessionCookie(request: FastifyRequest): boolean {
  return typeof request.cookies[SESSION_COOKIE] === 'string' && request.cookies[SESSION_COOKIE] !== '';
}

/**
 * The live session behind the request's cookie (touching it), or undefined: none, lapsed, its
 * person inactive, or its role no longer the directory's (that session is ended and recorded).
 */
export async function readSession(db: Database, request: FastifyRequest): Promise<SessionRecord | undefined> {
  const session = await findSession(db, request);
  const policy = request.server.consolePolicy;
  if (!session || !policy) return session;
  return (await sessionRoleHolds(db, policy, session, sourceOf(request))) ? session : undefined;
}

async function findSession(db: Database, request: FastifyRequest): Promise<SessionRecord | undefined> {
  const value = request.cookies[SESSION_COOKIE];
  // A well-formed value is 43 base64url characters; anything else is not worth a query.
  if (!value || !/^[A-Za-z0-9_-]{43}$/.test(value)) return undefined;
  return findConsoleSession(db, value);
}
