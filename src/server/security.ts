import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { CONTENT_SECURITY_POLICY } from '../shared/csp';

/** The only interface the browser host listens on. */
export const LOOPBACK_HOST = '127.0.0.1';

/** The header a script can use instead of the cookie (the CLI, tests, curl). */
export const TOKEN_HEADER = 'x-promptpress-token';
export const TOKEN_QUERY_PARAM = 'token';

/** Tokens go into a URL, a cookie and a header, so they are limited to characters all three carry as-is. */
const TOKEN_PATTERN = /^[A-Za-z0-9._~-]+$/;

/** A fresh random token for one launch: 192 bits, base64url. */
export function generateToken(): string {
  return randomBytes(24).toString('base64url');
}

export function assertUsableToken(token: string): void {
  if (!TOKEN_PATTERN.test(token)) {
    throw new Error('The server token must be non-empty and use only letters, digits and . _ ~ -');
  }
}

/**
 * Compares a presented token with the expected one in constant time. Both are hashed first so that
 * neither the comparison nor an early length check reveals how much of a guess was right.
 */
export function tokensEqual(presented: string | undefined | null, expected: string): boolean {
  if (typeof presented !== 'string' || presented.length === 0) return false;
  const a = createHash('sha256').update(presented).digest();
  const b = createHash('sha256').update(expected).digest();
  return timingSafeEqual(a, b);
}

const LOOPBACK_NAMES = ['127.0.0.1', 'localhost', '[::1]'];

/**
 * True when the Host header names this server by a loopback name and its port. Anything else (a DNS name
 * that resolves to 127.0.0.1, a missing port, another port) is a DNS-rebinding attempt or a mistake.
 */
export function isAllowedHost(host: string | undefined, port: number): boolean {
  if (!host) return false;
  const value = host.trim().toLowerCase();
  return LOOPBACK_NAMES.some((name) => value === `${name}:${port}`);
}

/** True when an Origin header, if a browser sent one, is this server itself. */
export function isAllowedOrigin(origin: string | undefined, port: number): boolean {
  if (origin === undefined) return true;
  const value = origin.trim().toLowerCase();
  return LOOPBACK_NAMES.some((name) => value === `http://${name}:${port}`);
}

/** The cookie is per port: cookies ignore ports, and two PromptPress servers must not overwrite each other. */
export function tokenCookieName(port: number): string {
  return `promptpress_token_${port}`;
}

export function tokenCookie(port: number, token: string): string {
  return `${tokenCookieName(port)}=${token}; HttpOnly; SameSite=Strict; Path=/`;
}

/** Reads one cookie's value from a Cookie header. */
export function readCookie(header: string | undefined, name: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq === -1) continue;
    if (part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}

export interface PresentedTokens {
  query: string | null;
  header: string | undefined;
  cookie: string | undefined;
}

export function presentedTokens(
  headers: IncomingHttpHeaders,
  query: URLSearchParams,
  port: number,
): PresentedTokens {
  const header = headers[TOKEN_HEADER];
  return {
    query: query.get(TOKEN_QUERY_PARAM),
    header: Array.isArray(header) ? header[0] : header,
    cookie: readCookie(headers.cookie, tokenCookieName(port)),
  };
}

/** Headers set on every response, whatever it is. */
export function securityHeaders(): Record<string, string> {
  return {
    'Content-Security-Policy': CONTENT_SECURITY_POLICY,
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
    'X-Frame-Options': 'DENY',
    'Cross-Origin-Opener-Policy': 'same-origin',
    'Cross-Origin-Resource-Policy': 'same-origin',
  };
}
