/** The SMS channel: text arithmetic, opt-out keywords, and the SMPP adapter. */
export * from './deliver.ts';
export * from './encoding.ts';
export * from './opt-out.ts';
export * from './smpp.ts';
export * from './submit-sm.ts';
