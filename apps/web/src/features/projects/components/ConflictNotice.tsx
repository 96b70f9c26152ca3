import type { ReactNode } from "react";
import { Button } from "../../../ui/Button";

/** Shown when a write was refused because someone else saved first. */
export function ConflictNotice({
  currentVersion,
  onReload,
  reloading,
  children,
}: {
  currentVersion: number;
  onReload: () => void;
  reloading: boolean;
  children?: ReactNode;
}) {
  return (
    <div className="notice notice-warning" role="alert">
      <strong>Someone else changed this project (now version {currentVersion}).</strong>
      {children}
      <Button onClick={onReload} disabled={reloading}>
        {reloading ? "Reloading…" : "Reload latest"}
      </Button>
    </div>
  );
}
