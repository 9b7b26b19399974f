import type { WebContents } from 'electron';
import { describe, expect, it, vi } from 'vitest';
import { createAppUrlMatcher, isExternalWebUrl } from '../../src/main/appUrl';
import { installNavigationGuards } from '../../src/main/navigation';
import { FakeWebContents, navEvent } from './fakes';

vi.mock('electron', () => ({}));

const APP_URL = 'file:///opt/promptpress/out/renderer/index.html';

function guarded(appUrl = APP_URL) {
  const contents = new FakeWebContents();
  const openExternal = vi.fn();
  installNavigationGuards(contents as unknown as WebContents, {
    isAppUrl: createAppUrlMatcher(appUrl),
    openExternal,
  });
  return { contents, openExternal };
}

describe('installNavigationGuards', () => {
  it('blocks navigation to a foreign URL and allows the app URL', () => {
    const { contents } = guarded();
    for (const name of ['will-navigate', 'will-frame-navigate', 'will-redirect']) {
      const foreign = navEvent('https://evil.example/phish');
      contents.emit(name, foreign);
      expect(foreign.prevented, name).toBe(true);
      const otherFile = navEvent('file:///etc/passwd');
      contents.emit(name, otherFile);
      expect(otherFile.prevented, name).toBe(true);
      const own = navEvent(`${APP_URL}?reload=1#/editor`);
      contents.emit(name, own);
      expect(own.prevented, name).toBe(false);
    }
  });

  it('allows the dev server origin in development, nothing else', () => {
    const { contents } = guarded('http://localhost:5173/');
    const own = navEvent('http://localhost:5173/some/route');
    contents.emit('will-navigate', own);
    expect(own.prevented).toBe(false);
    const otherPort = navEvent('http://localhost:5174/');
    contents.emit('will-navigate', otherPort);
    expect(otherPort.prevented).toBe(true);
  });

  it('denies window.open and sends web links to the system browser', () => {
    const { contents, openExternal } = guarded();
    expect(contents.windowOpenHandler?.({ url: 'https://platform.openai.com/docs' })).toEqual({
      action: 'deny',
    });
    expect(openExternal).toHaveBeenCalledWith('https://platform.openai.com/docs');
    openExternal.mockClear();
    for (const url of [
      APP_URL,
      'file:///etc/passwd',
      'javascript:alert(1)',
      'smb://host/share',
      'not a url',
    ]) {
      expect(contents.windowOpenHandler?.({ url }), url).toEqual({ action: 'deny' });
    }
    expect(openExternal).not.toHaveBeenCalled();
  });

  it('refuses to attach a <webview>', () => {
    const { contents } = guarded();
    const event = navEvent('');
    contents.emit('will-attach-webview', event, {}, { src: 'https://evil.example' });
    expect(event.prevented).toBe(true);
  });
});

describe('createAppUrlMatcher', () => {
  it('matches the built file by path, ignoring query and hash', () => {
    const is = createAppUrlMatcher(APP_URL);
    expect(is(APP_URL)).toBe(true);
    expect(is(`${APP_URL}#x`)).toBe(true);
    expect(is('file:///opt/promptpress/out/renderer/other.html')).toBe(false);
    expect(is('file://evilhost/opt/promptpress/out/renderer/index.html')).toBe(false);
    expect(is('http://opt/promptpress/out/renderer/index.html')).toBe(false);
    expect(is('garbage')).toBe(false);
  });

  it('matches the dev server by origin', () => {
    const is = createAppUrlMatcher('http://localhost:5173');
    expect(is('http://localhost:5173/x?y')).toBe(true);
    expect(is('https://localhost:5173/')).toBe(false);
    expect(is('http://127.0.0.1:5173/')).toBe(false);
  });

  it('knows which links are web links', () => {
    expect(isExternalWebUrl('https://a.example')).toBe(true);
    expect(isExternalWebUrl('http://a.example')).toBe(true);
    expect(isExternalWebUrl('file:///x')).toBe(false);
    expect(isExternalWebUrl('::')).toBe(false);
  });
});
