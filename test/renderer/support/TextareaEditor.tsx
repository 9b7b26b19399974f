import { useEffect, useRef } from 'react';
import type { TextEditorProps } from '../../../src/renderer/src/features/editor/editorHost';

/**
 * Stands in for Monaco under happy-dom: a controlled textarea with the same props. Cache marks show up as
 * data attributes; a reveal request selects the range.
 */
export function TextareaEditor({
  value,
  ariaLabel,
  onChange,
  language,
  documentKey,
  decorations,
  reveal,
}: TextEditorProps) {
  const ref = useRef<HTMLTextAreaElement>(null);
  useEffect(() => {
    if (!reveal || !ref.current) return;
    ref.current.focus();
    ref.current.setSelectionRange(reveal.offset, reveal.offset + reveal.length);
  }, [reveal]);
  return (
    <textarea
      ref={ref}
      aria-label={ariaLabel}
      data-testid="text-editor"
      data-language={language}
      data-document={documentKey}
      data-dynamic-spans={decorations ? decorations.spans.length : undefined}
      data-breakpoints={decorations ? decorations.breakpoints.length : undefined}
      data-prefix-end={decorations ? decorations.prefixEnd : undefined}
      value={value}
      onChange={(e) => onChange(e.target.value)}
    />
  );
}
