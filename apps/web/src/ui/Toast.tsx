import type { ReactNode } from "react";
import { Button } from "./Button";

/**
 * A message pinned to the corner of the page. Pointing at it or focusing it reports `paused`, so a
 * toast that goes away by itself can wait while someone reaches for its button.
 */
export function Toast({
  label,
  warning = false,
  onPausedChange,
  children,
}: {
  label: string;
  warning?: boolean;
  onPausedChange?: (paused: boolean) => void;
  children: ReactNode;
}) {
  return (
    <div
      className={warning ? "toast toast-warning" : "toast"}
      role="status"
      aria-label={label}
      onMouseEnter={() => onPausedChange?.(true)}
      onMouseLeave={() => onPausedChange?.(false)}
      onFocus={() => onPausedChange?.(true)}
      onBlur={() => onPausedChange?.(false)}
    >
      {children}
    </div>
  );
}

export function DismissButton({ onDismiss }: { onDismiss: () => void }) {
  return (
    <Button small aria-label="Dismiss" onClick={onDismiss}>
      ×
    </Button>
  );
}
