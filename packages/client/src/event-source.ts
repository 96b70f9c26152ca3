import type { httpSubscriptionLink } from "@trpc/client";
import { EventSource } from "eventsource";

/**
 * The EventSource the SSE link uses by default outside browsers (Node 20 has none): the
 * `eventsource` package, which makes its requests through a `fetch` of ours, so it sends the
 * bearer token too. Browsers get `./event-source.browser.ts` instead (package.json `imports`,
 * condition "browser"), so the polyfill never reaches a browser bundle.
 */
export type EventSourceConstructor = NonNullable<Parameters<typeof httpSubscriptionLink>[0]["EventSource"]>;
export const defaultEventSource: EventSourceConstructor | undefined = EventSource;
