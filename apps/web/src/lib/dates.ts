/** Today as YYYY-MM-DD in the viewer's time zone (due dates are calendar dates, not instants). */
export function todayIso(now: Date = new Date()): string {
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
}

const dateFormat = new Intl.DateTimeFormat("en-US", { dateStyle: "medium", timeZone: "UTC" });
const dateTimeFormat = new Intl.DateTimeFormat("en-US", { dateStyle: "medium", timeStyle: "short" });

/** "2026-05-01" -> "May 1, 2026", read as UTC so no time zone can shift the day. */
export function formatDate(isoDate: string | null): string {
  if (isoDate === null) return "—";
  const date = new Date(`${isoDate}T00:00:00Z`);
  return Number.isNaN(date.getTime()) ? isoDate : dateFormat.format(date);
}

/**
 * "May 1, 2026, 10:00 AM" in the viewer's time zone: the one format for instants on every page
 * (project activity and history, tokens, users, the audit log), in the dashboard's one locale
 * like its dates and amounts.
 */
export function formatDateTime(value: Date | string | null): string {
  if (value === null) return "—";
  const date = value instanceof Date ? value : new Date(value);
  return Number.isNaN(date.getTime()) ? String(value) : dateTimeFormat.format(date);
}

/** "just now" for the last minute, then "5 minutes ago" up to an hour, then the date and time. */
export function timeAgo(value: Date, now: Date = new Date()): string {
  const seconds = Math.round((now.getTime() - value.getTime()) / 1000);
  if (seconds < 60) return "just now";
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return minutes === 1 ? "1 minute ago" : `${minutes} minutes ago`;
  return `at ${formatDateTime(value)}`;
}
