export { analyseSegment, type SegmentAnalysis, type SegmentWarning } from './analyse.ts';
export * from './definition.ts';
export * from './fields.ts';
export { checkLimits, parseSegmentDefinition, pathText } from './parse.ts';
