export { loadConfig, parseConfig, ConfigError, type Config } from "./env.js";
