import { render, screen } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { ProgressBar } from "./ProgressBar";

describe("ProgressBar", () => {
  it("is a progressbar with its value in percent and in words", () => {
    render(<ProgressBar label="Bulk archive progress" value={40} valueText="12 of 30" />);
    const bar = screen.getByRole("progressbar", { name: "Bulk archive progress" });
    expect(bar.getAttribute("aria-valuenow")).toBe("40");
    expect(bar.getAttribute("aria-valuemin")).toBe("0");
    expect(bar.getAttribute("aria-valuemax")).toBe("100");
    expect(bar.getAttribute("aria-valuetext")).toBe("40% (12 of 30)");
    expect((bar.firstElementChild as HTMLElement).style.width).toBe("40%");
  });

  it("clamps and rounds, and has no value while unknown", () => {
    const { rerender } = render(<ProgressBar label="p" value={140.2} />);
    expect(screen.getByRole("progressbar").getAttribute("aria-valuenow")).toBe("100");
    rerender(<ProgressBar label="p" value={33.4} />);
    expect(screen.getByRole("progressbar").getAttribute("aria-valuenow")).toBe("33");
    rerender(<ProgressBar label="p" value={undefined} valueText="Waiting to start" />);
    const bar = screen.getByRole("progressbar");
    expect(bar.hasAttribute("aria-valuenow")).toBe(false);
    expect(bar.getAttribute("aria-valuetext")).toBe("Waiting to start");
  });
});
