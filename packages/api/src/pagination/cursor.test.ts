import { describe, expect, it } from "vitest";
import { z } from "zod";
import { cursorCodec, cursorTimestamp } from "./cursor.js";

const codec = cursorCodec(z.tuple([cursorTimestamp, z.number().int().min(1)]).transform(([at, id]) => ({ at: new Date(at), id })));
const invalid = (cursor: string) => {
  try {
    codec.decode(cursor);
  } catch (e) {
    return (e as { reason?: string }).reason;
  }
  return "decoded";
};

describe("cursorCodec", () => {
  it("decodes what it encodes, through the schema", () => {
    const cursor = codec.encode(["2024-03-01T12:00:00.000Z", 7]);
    expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(codec.decode(cursor)).toEqual({ at: new Date("2024-03-01T12:00:00.000Z"), id: 7 });
  });

  it("answers INVALID_CURSOR for anything it did not issue", () => {
    const issued = codec.encode(["2024-03-01T12:00:00.000Z", 7]);
    const b64 = (text: string) => Buffer.from(text).toString("base64url");
    for (const cursor of [
      "",
      "garbage",
      "!!!",
      `${issued}x`, // decodes to the same bytes, but is not what we sent
      b64("not json"),
      b64("null"),
      b64('["2024-03-01T12:00:00.000Z"]'),
      b64('["2024-03-01T12:00:00.000Z",7,8]'),
      b64('["2024-02-30T00:00:00.000Z",7]'),
      b64('["March 7",7]'),
      b64('["2024-03-01T12:00:00.000Z",0]'),
      Buffer.from([0xff, 0xfe]).toString("base64url"),
    ]) {
      expect({ cursor, result: invalid(cursor) }).toEqual({ cursor, result: "INVALID_CURSOR" });
    }
  });
});
