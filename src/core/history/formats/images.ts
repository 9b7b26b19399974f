import { isObject } from './common';

/**
 * Images are the one kind of opaque block both providers have, so an export converts them instead of
 * dropping them: OpenAI's `image_url` (a URL or a base64 data URL) and Anthropic's `image` (a `url` or
 * `base64` source). Anything else opaque stays with its provider.
 */

const DATA_URL = /^data:([^;,]+);base64,(.*)$/s;

/** An OpenAI image_url part as an Anthropic image block; `detailLost` when it set a detail level. */
export function openaiImageToAnthropic(
  part: unknown,
): { block: Record<string, unknown>; detailLost: boolean } | undefined {
  if (!isObject(part) || part.type !== 'image_url') return undefined;
  const img = part.image_url;
  const url =
    typeof img === 'string' ? img : isObject(img) && typeof img.url === 'string' ? img.url : undefined;
  if (url === undefined) return undefined;
  const detailLost = isObject(img) && img.detail !== undefined && img.detail !== 'auto';
  const data = DATA_URL.exec(url);
  const source = data
    ? { type: 'base64', media_type: data[1]!, data: data[2]! }
    : /^https?:\/\//i.test(url)
      ? { type: 'url', url }
      : undefined;
  return source ? { block: { type: 'image', source }, detailLost } : undefined;
}

/** An Anthropic image block as an OpenAI image_url part; `cacheLost` when it carried cache_control. */
export function anthropicImageToOpenAI(
  block: unknown,
): { part: Record<string, unknown>; cacheLost: boolean } | undefined {
  if (!isObject(block) || block.type !== 'image' || !isObject(block.source)) return undefined;
  const s = block.source;
  const url =
    s.type === 'base64' && typeof s.media_type === 'string' && typeof s.data === 'string'
      ? `data:${s.media_type};base64,${s.data}`
      : s.type === 'url' && typeof s.url === 'string'
        ? s.url
        : undefined;
  return url === undefined
    ? undefined
    : { part: { type: 'image_url', image_url: { url } }, cacheLost: block.cache_control !== undefined };
}

/** The `type` of an opaque value, for notes. */
export const opaqueType = (v: unknown): string =>
  isObject(v) && typeof v.type === 'string' ? v.type : 'unknown';
