import { type ReactNode, useEffect, useId, useRef, useState } from 'react';

interface DisclosureProps {
  /** Contents of the toggle button; `label` is its accessible name. */
  button: ReactNode;
  label: string;
  buttonClassName: string;
  testId?: string;
  /** Which inline edge of the button the panel lines up with. */
  align?: 'start' | 'end';
  className?: string;
  children: (close: () => void) => ReactNode;
}

/**
 * A button that shows and hides a panel of ordinary links and buttons (the disclosure
 * pattern: Tab moves through it, Escape or a click outside closes it).
 */
export function Disclosure({
  button,
  label,
  buttonClassName,
  testId,
  align = 'start',
  className = '',
  children,
}: DisclosureProps) {
  const [open, setOpen] = useState(false);
  const panelId = useId();
  const root = useRef<HTMLDivElement>(null);
  const toggle = useRef<HTMLButtonElement>(null);

  useEffect(() => {
    if (!open) return;
    const onPointer = (event: PointerEvent) => {
      if (!root.current?.contains(event.target as Node)) setOpen(false);
    };
    const onKey = (event: KeyboardEvent) => {
      if (event.key !== 'Escape') return;
      setOpen(false);
      toggle.current?.focus();
    };
    const onFocus = (event: FocusEvent) => {
      if (!root.current?.contains(event.target as Node)) setOpen(false);
    };
    document.addEventListener('pointerdown', onPointer);
    document.addEventListener('keydown', onKey);
    document.addEventListener('focusin', onFocus);
    return () => {
      document.removeEventListener('pointerdown', onPointer);
      document.removeEventListener('keydown', onKey);
      document.removeEventListener('focusin', onFocus);
    };
  }, [open]);

  return (
    <div ref={root} className={`relative ${className}`}>
      <button
        ref={toggle}
        type="button"
        aria-expanded={open}
        aria-controls={panelId}
        aria-label={label}
        data-testid={testId}
        className={buttonClassName}
        onClick={() => setOpen((value) => !value)}
      >
        {button}
      </button>
      <div
        id={panelId}
        hidden={!open}
        className={`absolute top-full z-30 mt-1 min-w-56 rounded-lg border border-zinc-200 bg-white p-1 shadow-lg ${align === 'end' ? 'end-0' : 'start-0'}`}
      >
        {open && children(() => setOpen(false))}
      </div>
    </div>
  );
}

export const menuItemClass =
  'flex w-full items-center gap-2 rounded-md px-3 py-2 text-start text-sm text-zinc-800 hover:bg-zinc-100';
