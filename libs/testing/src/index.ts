export { resolveInfrastructure, type Infrastructure, type InfrastructureSource } from './infrastructure';
export { uniqueName } from './unique-name';
export { reachableTempDir } from './temp-dir';
