import { describe, expect, it } from "vitest";
import { formatDate, formatDateTime, timeAgo, todayIso } from "./dates";

describe("todayIso", () => {
  it("uses local calendar fields", () => {
    expect(todayIso(new Date(2026, 0, 5, 23, 59))).toBe("2026-01-05");
  });
});

describe("formatDate", () => {
  it("formats calendar dates without shifting the day", () => {
    expect(formatDate("2026-05-01")).toBe("May 1, 2026");
    expect(formatDate(null)).toBe("—");
  });
});

describe("formatDateTime", () => {
  it("accepts dates and ISO strings", () => {
    expect(formatDateTime(null)).toBe("—");
    expect(formatDateTime("2026-05-01T10:00:00Z")).toMatch(/2026/);
    expect(formatDateTime("not a date")).toBe("not a date");
  });

  // From the tokens page's former formatter (token-labels): admin and project pages now share this one.
  it("shows a dash for a missing time", () => {
    const now = new Date("2026-05-01T12:00:00Z");
    expect(formatDateTime(null)).toBe("—");
    expect(formatDateTime(now)).not.toBe("—");
  });
});

describe("timeAgo", () => {
  const now = new Date("2026-03-10T12:00:00Z");
  it("says just now for the last minute, minutes up to an hour, then the time", () => {
    expect(timeAgo(new Date("2026-03-10T11:59:30Z"), now)).toBe("just now");
    // A clock slightly ahead of ours is still "just now".
    expect(timeAgo(new Date("2026-03-10T12:00:02Z"), now)).toBe("just now");
    expect(timeAgo(new Date("2026-03-10T11:59:00Z"), now)).toBe("1 minute ago");
    expect(timeAgo(new Date("2026-03-10T11:15:00Z"), now)).toBe("45 minutes ago");
    expect(timeAgo(new Date("2026-03-10T10:00:00Z"), now)).toMatch(/^at /);
  });
});
