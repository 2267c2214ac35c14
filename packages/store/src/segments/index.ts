export {
  type CompiledSegment,
  type CompileOptions,
  compileSegment,
  compileSegmentForContact,
  compileSegmentForContacts,
  countSegment,
} from './compile.ts';
export { createSegmentEvaluator, type SegmentEvaluator, type SegmentSources } from './evaluator.ts';
export type { AudienceMirror, IdentityLink, MirrorAccount, MirrorContact } from './mirror.ts';
export { openAudienceMirror, openSegmentEvaluator } from './open.ts';
export { openPostgresAudienceMirror } from './postgres-mirror.ts';
