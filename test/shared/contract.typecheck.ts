/**
 * Compile-time checks of the contract, run by `tsc -b` (npm test). Each `@ts-expect-error` must meet an
 * error, or the directive itself fails the build: so these lines prove the handler map is exhaustive and
 * closed, and that handlers are typed by their route's schemas.
 */
import type { Handlers } from '../../src/shared/contract';

declare const full: Handlers;

// A backend without the 'app.info' handler does not type-check.
const { 'app.info': _dropped, ...withoutAppInfo } = full;
// @ts-expect-error missing handler for a route
export const missingHandler: Handlers = withoutAppInfo;

// A handler for a route that is not in the contract does not type-check.
// @ts-expect-error handler without a route
export const extraHandler: Handlers = { ...full, 'ghost.route': async () => ({}) };

// A handler must return its route's output type.
export const wrongOutput: Handlers = {
  ...full,
  // @ts-expect-error settings.get must return { selectedModel: string }
  'settings.get': async () => ({ selectedModel: 42 }),
};

// Input types come from the route's schema.
export const typedInput: Handlers = {
  ...full,
  'tokens.count': async (input) => {
    // @ts-expect-error text is a string, not a number
    const n: number = input.text;
    return full['tokens.count']({ text: String(n), model: input.model });
  },
};
