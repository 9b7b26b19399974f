import type { TextEditorProps } from '../../../src/renderer/src/features/editor/editorHost';

/** Stands in for Monaco under happy-dom: a controlled textarea with the same props. */
export function TextareaEditor({ value, ariaLabel, onChange, language, documentKey }: TextEditorProps) {
  return (
    <textarea
      aria-label={ariaLabel}
      data-testid="text-editor"
      data-language={language}
      data-document={documentKey}
      value={value}
      onChange={(e) => onChange(e.target.value)}
    />
  );
}
