/**
 * Triage moved to src/triage/ (issue 8): kept here so that callers written before keep working.
 * New code imports from src/triage/triage.service.ts.
 */
export { recordTriage, triageDecisionSchema, type TriageDecision } from '../triage/triage.service.ts';
