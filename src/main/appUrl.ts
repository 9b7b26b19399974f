/**
 * Decides whether a URL is the app's own page: the dev server's origin during `npm start`, or the built
 * `index.html` file in production. Everything else (remote sites, other files) is foreign.
 */
export function createAppUrlMatcher(appUrl: string): (url: string) => boolean {
  const app = new URL(appUrl);
  if (app.protocol === 'http:' || app.protocol === 'https:') {
    return (url) => {
      try {
        return new URL(url).origin === app.origin;
      } catch {
        return false;
      }
    };
  }
  if (app.protocol === 'file:') {
    return (url) => {
      try {
        const candidate = new URL(url);
        return (
          candidate.protocol === 'file:' && candidate.host === app.host && candidate.pathname === app.pathname
        );
      } catch {
        return false;
      }
    };
  }
  throw new Error(`Unsupported app URL: ${appUrl}`);
}

/** Links the app may hand to the system browser. */
export function isExternalWebUrl(url: string): boolean {
  try {
    const { protocol } = new URL(url);
    return protocol === 'https:' || protocol === 'http:';
  } catch {
    return false;
  }
}
