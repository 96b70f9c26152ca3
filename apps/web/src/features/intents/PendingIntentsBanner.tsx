import { useEffect } from "react";
import { Link } from "react-router";
import { messageOf } from "../../lib/errors";
import { Button } from "../../ui/Button";
import { viewPathOf } from "./intent-paths";
import { type ResendItem, useResendPendingIntents } from "./use-resend-pending-intents";

const changes = (n: number) => `${n} unsaved change${n === 1 ? "" : "s"}`;
const SAVED_VISIBLE_MS = 8_000;

/**
 * Changes that were on their way when the page was closed or reloaded are sent again at start;
 * this says so while it happens, then reports what was saved or why not.
 */
export function PendingIntentsBanner() {
  const { items, retry, discard, dismiss } = useResendPendingIntents();
  const sending = items.filter((i) => i.state === "sending").length;
  const failed = items.filter((i) => i.state === "failed");
  const allSaved = items.length > 0 && sending === 0 && failed.length === 0;

  useEffect(() => {
    if (!allSaved) return;
    const timer = setTimeout(dismiss, SAVED_VISIBLE_MS);
    return () => clearTimeout(timer);
  }, [allSaved, dismiss]);

  if (items.length === 0) return null;

  const headline =
    sending > 0
      ? `Retrying ${changes(sending)}…`
      : failed.length > 0
        ? `Could not save ${failed.length === items.length ? changes(failed.length) : `${failed.length} of ${changes(items.length)}`}`
        : "Saved";
  const kept = failed.filter((i) => i.state === "failed" && !i.final).length;

  return (
    <section
      className={failed.length > 0 && sending === 0 ? "notice notice-error intents-banner" : "notice notice-info intents-banner"}
      role={failed.length > 0 && sending === 0 ? "alert" : "status"}
      aria-label="Unsaved changes"
    >
      <strong>{headline}</strong>
      <ul className="intents-list">
        {items.map((item) => (
          <IntentLine key={item.intent.key} item={item} onDiscard={() => discard(item.intent.key)} />
        ))}
      </ul>
      {sending === 0 && (
        <div className="actions">
          {kept > 0 && (
            <Button small onClick={retry}>
              Try again
            </Button>
          )}
          <Button small onClick={dismiss}>
            {kept > 0 ? "Later" : "Dismiss"}
          </Button>
        </div>
      )}
    </section>
  );
}

function IntentLine({ item, onDiscard }: { item: ResendItem; onDiscard: () => void }) {
  const { label } = item.intent;
  switch (item.state) {
    case "sending":
      return (
        <li>
          {label} <span className="muted">— saving…</span>
        </li>
      );
    case "saved": {
      const view = viewPathOf(item.intent.path, item.result);
      return (
        <li>
          {label} — saved{item.replayed && <span className="muted"> (it had already reached the server)</span>}.
          {view && (
            <>
              {" "}
              <Link to={view}>View</Link>
            </>
          )}
        </li>
      );
    }
    case "failed":
      return (
        <li>
          {label} — not saved: {messageOf(item.error)}
          {item.final ? (
            <span className="muted"> It was dropped.</span>
          ) : (
            <>
              <span className="muted"> It is kept and sent again next time.</span>{" "}
              <Button small onClick={onDiscard}>
                Discard
              </Button>
            </>
          )}
        </li>
      );
  }
}
