import { type ReactNode, useEffect, useRef } from "react";

/**
 * A modal dialog: the native `<dialog>`, opened with showModal() when it mounts and gone when it
 * unmounts. Escape calls `onCancel` instead of closing it, so the owner decides what closing means.
 */
export function Dialog({
  labelledBy,
  describedBy,
  className,
  onCancel,
  children,
}: {
  labelledBy: string;
  describedBy?: string;
  className?: string;
  onCancel: () => void;
  children: ReactNode;
}) {
  const dialog = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const element = dialog.current;
    if (element && !element.open) element.showModal();
  }, []);
  return (
    <dialog
      ref={dialog}
      className={className}
      aria-labelledby={labelledBy}
      aria-describedby={describedBy}
      onCancel={(event) => {
        event.preventDefault();
        onCancel();
      }}
    >
      {children}
    </dialog>
  );
}
