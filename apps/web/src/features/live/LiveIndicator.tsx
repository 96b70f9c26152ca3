import { useLiveStatus } from "./live";

const liveLabels = {
  connecting: { text: "Connecting…", title: "Connecting to live updates" },
  live: { text: "Live", title: "Changes by others appear as they happen" },
  reconnecting: { text: "Reconnecting…", title: "Live updates paused; changes made meanwhile arrive on reconnect" },
  off: { text: "Not live", title: "Live updates are off; reload the page to see others' changes" },
} as const;

/** The header's word on the live-updates stream. */
export function LiveIndicator() {
  const status = useLiveStatus();
  const { text, title } = liveLabels[status];
  return (
    <span className={`live-status live-${status}`} data-testid="live-status" data-status={status} title={title}>
      {text}
    </span>
  );
}
