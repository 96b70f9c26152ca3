import type { EventSourceConstructor } from "./event-source.js";

export type { EventSourceConstructor };

/**
 * In browsers the SSE link uses the browser's own EventSource, which sends the session cookie.
 * It cannot send an Authorization header: a browser app that signs in with a token passes the
 * `eventsource` package as the client's `EventSource` option instead.
 */
export const defaultEventSource = (globalThis as { EventSource?: EventSourceConstructor }).EventSource;
