import type { Session } from 'electron';
import { CONTENT_SECURITY_POLICY } from '../shared/csp';

/**
 * Session-wide rules: every response carries the app's Content-Security-Policy (the renderer's meta tag
 * covers `file://`, which has no headers), and the page is granted no permissions (camera, notifications,
 * geolocation, ...); PromptPress needs none.
 */
export function installSessionSecurity(session: Session): void {
  session.webRequest.onHeadersReceived((details, callback) => {
    const headers = { ...details.responseHeaders };
    for (const name of Object.keys(headers)) {
      if (name.toLowerCase() === 'content-security-policy') delete headers[name];
    }
    headers['Content-Security-Policy'] = [CONTENT_SECURITY_POLICY];
    callback({ responseHeaders: headers });
  });
  session.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  session.setPermissionCheckHandler(() => false);
}
