import type { ReactNode } from 'react';
import { PlusIcon } from '../components/Icons.tsx';

/** A form folded under its title until wanted (native <details>: keyboard and screen readers for free). */
export function AddForm({ label, testId, children }: { label: string; testId: string; children: ReactNode }) {
  return (
    <details data-testid={testId} className="group">
      <summary className="inline-flex cursor-pointer list-none items-center gap-2 rounded-md px-2 py-1.5 text-sm font-medium text-teal-800 hover:bg-teal-50">
        <PlusIcon className="size-4" />
        {label}
      </summary>
      {children}
    </details>
  );
}
