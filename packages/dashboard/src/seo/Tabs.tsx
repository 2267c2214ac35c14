import { type KeyboardEvent, type ReactNode, useId, useRef } from 'react';

interface TabsProps<T extends string> {
  label: string;
  tabs: readonly { id: T; label: string }[];
  current: T;
  onChange: (id: T) => void;
  rtl: boolean;
  children: ReactNode;
}

/** ARIA tabs: arrow keys move between them (mirrored in right-to-left), Home and End jump. */
export function Tabs<T extends string>({ label, tabs, current, onChange, rtl, children }: TabsProps<T>) {
  const id = useId();
  const refs = useRef<(HTMLButtonElement | null)[]>([]);
  const onKey = (event: KeyboardEvent) => {
    const at = tabs.findIndex((t) => t.id === current);
    const forward = rtl ? 'ArrowLeft' : 'ArrowRight';
    const back = rtl ? 'ArrowRight' : 'ArrowLeft';
    let next: number | null = null;
    if (event.key === forward) next = (at + 1) % tabs.length;
    else if (event.key === back) next = (at - 1 + tabs.length) % tabs.length;
    else if (event.key === 'Home') next = 0;
    else if (event.key === 'End') next = tabs.length - 1;
    const tab = next === null ? undefined : tabs[next];
    if (next === null || !tab) return;
    event.preventDefault();
    onChange(tab.id);
    refs.current[next]?.focus();
  };
  return (
    <div>
      <div
        role="tablist"
        aria-label={label}
        className="flex gap-1 border-b border-zinc-200"
        onKeyDown={onKey}
      >
        {tabs.map((tab, i) => {
          const selected = tab.id === current;
          return (
            <button
              key={tab.id}
              ref={(el) => {
                refs.current[i] = el;
              }}
              type="button"
              role="tab"
              id={`${id}-${tab.id}`}
              aria-selected={selected}
              aria-controls={`${id}-panel`}
              tabIndex={selected ? 0 : -1}
              data-testid={`seo-tab-${tab.id}`}
              onClick={() => onChange(tab.id)}
              className={`-mb-px border-b-2 px-4 py-2 text-sm font-medium ${selected ? 'border-teal-700 text-teal-800' : 'border-transparent text-zinc-600 hover:text-zinc-900'}`}
            >
              {tab.label}
            </button>
          );
        })}
      </div>
      <div role="tabpanel" id={`${id}-panel`} aria-labelledby={`${id}-${current}`} className="pt-5">
        {children}
      </div>
    </div>
  );
}
