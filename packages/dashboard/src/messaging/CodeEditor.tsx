import { useEffect, useId, useRef, useState } from 'react';
import { FieldShell } from '../components/FieldShell.tsx';
import { lineCount, lineRange } from './logic.ts';

/** Every line is one row (no wrapping), so a line number maps to a height. */
const LINE_PX = 20;
const PAD_PX = 8;

interface CodeEditorProps {
  label: string;
  value: string;
  onChange: (value: string) => void;
  /** The 1-based line the fault is on, marked in the gutter and behind the text. */
  errorLine: number | null;
  /** The fault in words, under the editor. */
  error: string | undefined;
  /** Changes when the caret should go to the fault (a refused save), not on every preview. */
  jump: number;
  errorLineLabel: string;
  readOnly?: boolean;
  rows?: number;
  testId: string;
}

/**
 * A plain textarea for source code: monospace, left to right in every language, with line
 * numbers and the line of a fault highlighted; after a refused save the caret goes there.
 */
export function CodeEditor({
  label,
  value,
  onChange,
  errorLine,
  error,
  jump,
  errorLineLabel,
  readOnly,
  rows = 22,
  testId,
}: CodeEditorProps) {
  const id = useId();
  const area = useRef<HTMLTextAreaElement>(null);
  const [scrollTop, setScrollTop] = useState(0);
  const height = rows * LINE_PX + 2 * PAD_PX;
  const lines = lineCount(value);

  // biome-ignore lint/correctness/useExhaustiveDependencies: moves only when a new save is refused
  useEffect(() => {
    const el = area.current;
    if (!el || jump === 0 || errorLine === null) return;
    const { start, end } = lineRange(el.value, errorLine);
    el.focus({ preventScroll: true });
    el.setSelectionRange(start, end);
    el.scrollTop = Math.max(0, (errorLine - 1) * LINE_PX - height / 3);
    el.scrollIntoView({ block: 'nearest' });
  }, [jump]);

  return (
    <FieldShell id={id} label={label} error={error}>
      {(describedBy) => (
        <div
          dir="ltr"
          className={`flex overflow-hidden rounded-md border bg-white focus-within:ring-2 focus-within:ring-teal-600 ${error ? 'border-red-700' : 'border-zinc-300'}`}
        >
          <div
            aria-hidden="true"
            className="relative w-12 shrink-0 overflow-hidden border-e border-zinc-200 bg-zinc-50 font-mono text-xs text-zinc-500 select-none"
            style={{ height }}
          >
            <div style={{ transform: `translateY(${PAD_PX - scrollTop}px)` }}>
              {Array.from({ length: lines }, (_, i) => i + 1).map((n) => (
                <div
                  key={n}
                  data-testid={n === errorLine ? 'editor-error-gutter' : undefined}
                  title={n === errorLine ? errorLineLabel : undefined}
                  className={`pe-2 text-end ${n === errorLine ? 'bg-red-100 font-semibold text-red-800' : ''}`}
                  style={{ height: LINE_PX, lineHeight: `${LINE_PX}px` }}
                >
                  {n}
                </div>
              ))}
            </div>
          </div>
          <div className="relative min-w-0 flex-1">
            {errorLine !== null && (
              <div
                aria-hidden="true"
                data-testid="editor-error-line"
                data-line={errorLine}
                className="pointer-events-none absolute inset-x-0 border-y border-red-200 bg-red-50"
                style={{ top: PAD_PX + (errorLine - 1) * LINE_PX - scrollTop, height: LINE_PX }}
              />
            )}
            <textarea
              ref={area}
              id={id}
              dir="ltr"
              lang="zxx"
              wrap="off"
              spellCheck={false}
              autoCapitalize="off"
              autoCorrect="off"
              readOnly={readOnly}
              value={value}
              aria-invalid={error ? true : undefined}
              aria-describedby={describedBy}
              data-testid={testId}
              onChange={(event) => onChange(event.target.value)}
              onScroll={(event) => setScrollTop(event.currentTarget.scrollTop)}
              className="relative block w-full resize-none overflow-auto bg-transparent px-3 font-mono text-[13px] whitespace-pre text-zinc-900 focus:outline-none"
              style={{ height, lineHeight: `${LINE_PX}px`, paddingBlock: PAD_PX, tabSize: 2 }}
            />
          </div>
        </div>
      )}
    </FieldShell>
  );
}
