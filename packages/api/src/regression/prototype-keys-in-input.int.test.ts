import { ZodError } from "zod";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import superjson from "superjson";
import { caught, createHarness, type Harness } from "../../test/harness.js";
import { errorData } from "../errors.js";

// Unknown keys are field errors. Keys named like Object.prototype members used to break that:
// `constructor` or `toString` hit the prototype when the field errors were collected (TypeError),
// and `constructor`/`__proto__`/`prototype` made superjson refuse to send the error: a 500 either
// way (found by the fuzz test). They are now named in a form error, other keys in field errors.

let h: Harness;
beforeAll(async () => {
  h = await createHarness();
});
afterAll(() => h?.close());

/** Input as a client's JSON arrives: keys like `__proto__` are own properties. */
const fromJson = (json: string) => JSON.parse(json) as never;

describe("input with prototype-named keys", () => {
  it("is a bad request naming every unknown key, and the error can be sent", async () => {
    const err = await caught(
      h.as(h.users.editor).project.create(
        fromJson('{"name":"x","constructor":{"prototype":{"polluted":1}},"__proto__":{"admin":true},"toString":1,"hasOwnProperty":2,"prototype":3}'),
      ),
    );
    expect(err.code).toBe("BAD_REQUEST");
    expect(err.cause).toBeInstanceOf(ZodError);
    const data = errorData(err, "req-1");
    expect(data.reason).toBe("VALIDATION_FAILED");
    expect(Object.keys(data.fieldErrors ?? {}).sort()).toEqual(["hasOwnProperty", "toString"]);
    expect(data.formErrors?.some((m) => m.startsWith("constructor:"))).toBe(true);
    expect(data.formErrors?.some((m) => m.startsWith("prototype:"))).toBe(true);
    // What tRPC does with it on the way out.
    expect(() => superjson.serialize(data)).not.toThrow();
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it("keeps nested unknown keys as dotted field paths", async () => {
    const err = await caught(
      h.as(h.users.editor).project.update(fromJson(`{"id":"${"0".repeat(8)}-0000-4000-8000-${"0".repeat(12)}","expectedVersion":1,"patch":{"constructor":1}}`)),
    );
    expect(Object.keys(errorData(err, undefined).fieldErrors ?? {})).toEqual(["patch.constructor"]);
  });
});
