/**
 * A determinate progress bar that screen readers announce: role="progressbar" with its value in
 * percent and the same in words (`valueText`, e.g. "12 of 30"). `value` undefined: not known yet
 * (indeterminate: no aria-valuenow, as ARIA asks).
 */
export function ProgressBar({ label, value, valueText, tone }: { label: string; value: number | undefined; valueText?: string; tone?: "ok" | "danger" | "muted" }) {
  const percent = value === undefined ? undefined : Math.max(0, Math.min(100, Math.round(value)));
  return (
    <div className="progress">
      <div
        className={`progress-track${tone ? ` progress-${tone}` : ""}`}
        role="progressbar"
        aria-label={label}
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={percent}
        aria-valuetext={percent === undefined ? valueText : valueText ? `${percent}% (${valueText})` : `${percent}%`}
      >
        <div className="progress-fill" style={{ width: `${percent ?? 0}%` }} />
      </div>
      <span className="progress-value small muted" aria-hidden="true">
        {percent === undefined ? valueText : `${percent}%`}
      </span>
    </div>
  );
}
