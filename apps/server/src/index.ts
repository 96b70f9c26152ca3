export { createServer, type ServerOptions, type TrellisServer } from "./server.js";
