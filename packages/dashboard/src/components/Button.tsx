import type { ButtonHTMLAttributes } from 'react';

export type ButtonVariant = 'primary' | 'secondary' | 'danger' | 'ghost' | 'dangerGhost';

const VARIANTS: Record<ButtonVariant, string> = {
  primary: 'bg-teal-700 text-white hover:bg-teal-800 disabled:bg-teal-700/70',
  secondary: 'border border-zinc-300 bg-white text-zinc-800 hover:bg-zinc-50',
  danger: 'bg-red-700 text-white hover:bg-red-800 disabled:bg-red-700/70',
  ghost: 'text-zinc-700 hover:bg-zinc-100',
  dangerGhost: 'text-red-700 hover:bg-red-50',
};

export const buttonClass = (variant: ButtonVariant = 'secondary', extra = '') =>
  `inline-flex items-center justify-center gap-2 rounded-md px-3.5 py-2 text-sm font-medium whitespace-nowrap transition-colors disabled:cursor-not-allowed ${VARIANTS[variant]} ${extra}`;

type ButtonProps = ButtonHTMLAttributes<HTMLButtonElement> & {
  variant?: ButtonVariant;
  /** While true the button says so and cannot be pressed twice. */
  busy?: boolean;
  testId?: string;
};

export function Button({
  variant,
  busy,
  testId,
  className,
  type = 'button',
  disabled,
  ...props
}: ButtonProps) {
  return (
    <button
      type={type}
      className={buttonClass(variant, className)}
      disabled={disabled || busy}
      aria-busy={busy || undefined}
      data-testid={testId}
      {...props}
    />
  );
}
