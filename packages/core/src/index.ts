export * from './analytics.ts';
export * from './config.ts';
export * from './event.ts';
export * from './ids.ts';
export * from './period.ts';
export * from './permissions.ts';
export * from './result.ts';
export * from './roles.ts';
