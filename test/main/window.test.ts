import type { Session } from 'electron';
import { describe, expect, it, vi } from 'vitest';
import { menuTemplate } from '../../src/main/menu';
import { installSessionSecurity } from '../../src/main/session';
import { windowOptions } from '../../src/main/windowOptions';
import { CONTENT_SECURITY_POLICY } from '../../src/shared/csp';

vi.mock('electron', () => ({}));

describe('windowOptions', () => {
  it('locks the renderer down', () => {
    const options = windowOptions('/app/out/preload/index.cjs');
    expect(options.webPreferences).toMatchObject({
      preload: '/app/out/preload/index.cjs',
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      spellcheck: false,
    });
    expect(options.title).toBe('PromptPress');
    expect(options.show).toBe(false);
    expect(options.minWidth).toBeGreaterThan(0);
    expect(options.width).toBeGreaterThanOrEqual(options.minWidth!);
    expect(options.height).toBeGreaterThanOrEqual(options.minHeight!);
  });
});

describe('installSessionSecurity', () => {
  function fakeSession() {
    const calls: {
      headers?: (d: { responseHeaders?: Record<string, string[]> }, cb: (r: unknown) => void) => void;
      request?: (wc: unknown, permission: string, cb: (granted: boolean) => void) => void;
      check?: (...args: unknown[]) => boolean;
    } = {};
    const session = {
      webRequest: { onHeadersReceived: (fn: typeof calls.headers) => (calls.headers = fn) },
      setPermissionRequestHandler: (fn: typeof calls.request) => (calls.request = fn),
      setPermissionCheckHandler: (fn: typeof calls.check) => (calls.check = fn),
    };
    installSessionSecurity(session as unknown as Session);
    return calls;
  }

  it('puts the shared CSP on every response, replacing any other', () => {
    const calls = fakeSession();
    const cb = vi.fn();
    calls.headers!(
      { responseHeaders: { 'content-security-policy': ['default-src *'], 'X-Other': ['1'] } },
      cb,
    );
    expect(cb).toHaveBeenCalledWith({
      responseHeaders: { 'Content-Security-Policy': [CONTENT_SECURITY_POLICY], 'X-Other': ['1'] },
    });
    calls.headers!({}, cb);
    expect(cb).toHaveBeenLastCalledWith({
      responseHeaders: { 'Content-Security-Policy': [CONTENT_SECURITY_POLICY] },
    });
  });

  it('denies every permission request and check', () => {
    const calls = fakeSession();
    for (const permission of ['media', 'geolocation', 'notifications', 'openExternal', 'clipboard-read']) {
      const cb = vi.fn();
      calls.request!({}, permission, cb);
      expect(cb, permission).toHaveBeenCalledWith(false);
      expect(calls.check!({}, permission, 'file://', {})).toBe(false);
    }
  });
});

describe('menuTemplate', () => {
  const roles = (items: ReturnType<typeof menuTemplate>) => JSON.stringify(items);
  it('has the edit roles everywhere, the app menu on macOS and devtools only in development', () => {
    const linux = menuTemplate({ platform: 'linux', isDev: false });
    expect(roles(linux)).toContain('"editMenu"');
    expect(roles(linux)).not.toContain('appMenu');
    expect(roles(linux)).not.toContain('toggleDevTools');
    expect(roles(menuTemplate({ platform: 'darwin', isDev: false }))).toContain('appMenu');
    expect(roles(menuTemplate({ platform: 'linux', isDev: true }))).toContain('toggleDevTools');
  });
});
