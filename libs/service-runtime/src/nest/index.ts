export * from './tokens';
export * from './infrastructure.module';
export * from './health';
export * from './context-service.module';
export * from './bootstrap-service';
export * from './shutdown';
