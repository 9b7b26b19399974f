/**
 * The Content-Security-Policy of every PromptPress window, in Electron (response header and meta tag) and in
 * the browser host (response header). One string so the two hosts cannot drift apart.
 *
 * `style-src 'unsafe-inline'` is there for Monaco, which sets inline styles; `worker-src blob:` for Monaco's
 * web workers. Scripts come only from the app itself.
 */
export const CSP_DIRECTIVES = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self' data:",
  "worker-src 'self' blob:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
] as const;

export const CONTENT_SECURITY_POLICY: string = CSP_DIRECTIVES.join('; ');

/**
 * The same policy for a `<meta http-equiv="Content-Security-Policy">` tag: browsers ignore (and warn about)
 * `frame-ancestors` there, so it is left out; the response headers of both hosts carry the full policy.
 */
export const CONTENT_SECURITY_POLICY_META: string = CSP_DIRECTIVES.filter(
  (d) => !d.startsWith('frame-ancestors'),
).join('; ');
