import { type ReactNode, useState } from "react";
import { Button } from "./Button";

/** A secret the server shows once (a new API token, a temporary password), with a copy button. */
export function SecretOnce({ label, secret, children }: { label: string; secret: string; children?: ReactNode }) {
  const [copied, setCopied] = useState<"yes" | "failed" | undefined>(undefined);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(secret);
      setCopied("yes");
    } catch {
      setCopied("failed");
    }
  };
  return (
    <div className="notice notice-warning secret-once" role="status" data-testid="secret-once">
      <p>
        <strong>{label}</strong>
      </p>
      <div className="secret-row">
        <input readOnly className="mono" aria-label={label} value={secret} onFocus={(e) => e.currentTarget.select()} data-testid="secret-value" />
        <Button small onClick={() => void copy()}>
          {copied === "yes" ? "Copied" : "Copy"}
        </Button>
      </div>
      {copied === "failed" && <p className="small">Copying was refused by the browser: select the text and copy it yourself.</p>}
      <p className="small">Copy it now: you won't see it again. Only a hash of it is kept.</p>
      {children}
    </div>
  );
}
