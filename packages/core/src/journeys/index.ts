export * from './definition.ts';
export * from './step.ts';
