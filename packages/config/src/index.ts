export {
  type ClientConfig,
  type Config,
  ConfigError,
  clientEnv,
  configDefaults,
  envGroups,
  loadClientConfig,
  loadConfig,
  loadServerConfig,
  loadWorkerConfig,
  parseClientConfig,
  parseConfig,
  parseWorkerConfig,
  serverEnv,
  type WorkerConfig,
  workerEnv,
} from "./env.js";
export { composeEnv, type EnvGroup, envGroup } from "./define.js";
