import { describe, expect, it } from 'vitest';
import html from '../../src/renderer/index.html?raw';
import { CONTENT_SECURITY_POLICY_META } from '../../src/shared/csp';

describe('index.html', () => {
  it('carries the shared Content-Security-Policy in its meta tag', () => {
    const meta = /http-equiv="Content-Security-Policy"\s+content="([^"]+)"/.exec(html);
    expect(meta?.[1]).toBe(CONTENT_SECURITY_POLICY_META);
    expect(html).not.toMatch(/https?:\/\//); // nothing is loaded from the network, Monaco included
  });
});
