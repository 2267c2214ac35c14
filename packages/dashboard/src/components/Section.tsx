import { type ReactNode, useId } from 'react';

/** A titled white panel: the building block of settings pages. */
export function Section({
  title,
  description,
  aside,
  children,
  testId,
}: {
  title: string;
  description?: string;
  aside?: ReactNode;
  children: ReactNode;
  testId?: string;
}) {
  const id = useId();
  return (
    <section aria-labelledby={id} data-testid={testId} className="rounded-xl border border-zinc-200 bg-white">
      <div className="flex flex-wrap items-start justify-between gap-2 border-b border-zinc-200 px-5 py-4">
        <div>
          <h2 id={id} className="text-base font-semibold text-zinc-900">
            {title}
          </h2>
          {description && <p className="mt-1 text-sm text-zinc-600">{description}</p>}
        </div>
        {aside && <div className="text-sm text-zinc-600">{aside}</div>}
      </div>
      <div className="p-5">{children}</div>
    </section>
  );
}

export const tableClass = 'w-full min-w-[40rem] text-sm';
export const thClass = 'px-3 py-2 text-start text-xs font-medium text-zinc-600';
// Tables scroll sideways on small screens rather than squeezing every cell into a column of words.
export const tdClass = 'px-3 py-3 align-middle whitespace-nowrap text-zinc-800';
