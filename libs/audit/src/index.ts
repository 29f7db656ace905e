export * from './audit-hash';
export * from './audit-retention';
export * from './audit-sealer';
export * from './audit-store';
export * from './audit-trail.module';
export * from './audit-verifier';
export * from './record-audit-event';
export * from './redact';
