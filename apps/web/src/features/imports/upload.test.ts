import { describe, expect, it } from "vitest";
import { UploadError, uploadCsv } from "./upload";

const summary = {
  id: "6f1c0a4e-0000-4000-8000-000000000001",
  filename: "my file.csv",
  sizeBytes: 42,
  encoding: "utf-8",
  delimiter: ";",
  headers: ["name", "status"],
  suggestedMapping: { name: "name", status: "status" },
  unknownColumns: [],
  rowCount: 2,
  createdAt: "2026-01-01T00:00:00.000Z",
};

const file = new File(["name;status\na;active\n"], "my file.csv", { type: "text/csv" });

describe("uploadCsv", () => {
  it("posts the raw file as text/csv with its name and the CSRF header, and reads the summary", async () => {
    const calls: Array<{ url: string; init: RequestInit }> = [];
    const fake = (async (url: string, init: RequestInit) => {
      calls.push({ url, init });
      return new Response(JSON.stringify(summary), { status: 201, headers: { "content-type": "application/json" } });
    }) as unknown as typeof fetch;
    const answer = await uploadCsv(file, fake);
    expect(answer).toMatchObject({ id: summary.id, delimiter: ";", headers: ["name", "status"], rowCount: 2 });
    expect(calls[0]?.url).toBe("/api/v1/imports?filename=my+file.csv");
    expect(calls[0]?.init).toMatchObject({ method: "POST", body: file, headers: { "content-type": "text/csv", "x-trellis-csrf": "1" } });
  });

  it("says why the server refused the file", async () => {
    const fake = (async () => new Response(JSON.stringify({ message: "The file is empty" }), { status: 400 })) as unknown as typeof fetch;
    await expect(uploadCsv(file, fake)).rejects.toEqual(new UploadError("The file is empty", 400));
  });

  it("says when the server could not be reached, or answered something else", async () => {
    const offline = (async () => {
      throw new TypeError("Failed to fetch");
    }) as unknown as typeof fetch;
    await expect(uploadCsv(file, offline)).rejects.toThrow(/Could not reach Trellis/);
    const odd = (async () => new Response("<html>", { status: 201 })) as unknown as typeof fetch;
    await expect(uploadCsv(file, odd)).rejects.toThrow(/does not understand/);
  });
});
