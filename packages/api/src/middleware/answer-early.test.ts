import { describe, expect, it } from "vitest";
import { z } from "zod";
import type { Context } from "../context.js";
import { createCallerFactory, middleware, publicProcedure, router } from "../trpc.js";
import { answerEarly } from "./answer-early.js";

// If tRPC starts checking its marker, or reading more of a result than `ok` and `data`, these fail.
describe("answerEarly", () => {
  it("answers through a real procedure without running the rest of the chain or the handler", async () => {
    const ran: string[] = [];
    const seen: unknown[] = [];
    const outer = middleware(async ({ next }) => {
      const result = await next();
      seen.push(result.ok ? result.data : result.error);
      return result;
    });
    const early = middleware(async ({ next, input }) => ((input as { stored?: boolean }).stored ? answerEarly({ from: "store" }) : next()));
    const inner = middleware(async ({ next }) => {
      ran.push("inner middleware");
      return next();
    });
    const procedure = publicProcedure
      .input(z.object({ stored: z.boolean() }))
      .use(outer)
      .use(early)
      .use(inner)
      .output(z.object({ from: z.string() }))
      .mutation(() => {
        ran.push("handler");
        return { from: "handler" };
      });
    const caller = createCallerFactory(router({ procedure }))({} as Context);

    expect(await caller.procedure({ stored: true })).toEqual({ from: "store" });
    expect(ran).toEqual([]);
    expect(seen).toEqual([{ from: "store" }]);

    expect(await caller.procedure({ stored: false })).toEqual({ from: "handler" });
    expect(ran).toEqual(["inner middleware", "handler"]);
  });
});
