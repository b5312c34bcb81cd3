/** How much a finding matters. */
export type FindingSeverity = 'serious' | 'warning' | 'info';

/**
 * One result of auditing a token. `serious` means a correct verifier rejects the token or it is
 * unsafe to accept, `warning` a weakness worth fixing, and `info` a fact such as when it expires.
 */
export interface Finding {
  /** Stable identifier, such as `alg_none` or `expired`; docs/tools.md lists them all. */
  id: string;
  severity: FindingSeverity;
  /** One or two sentences for a person. Never contains the token or a secret. */
  message: string;
}

const severityOrder: Record<FindingSeverity, number> = { serious: 0, warning: 1, info: 2 };

/** Sorts findings with the serious ones first, keeping the order within each severity. */
export function sortFindings(findings: Finding[]): Finding[] {
  return [...findings].sort((a, b) => severityOrder[a.severity] - severityOrder[b.severity]);
}

export function serious(id: string, message: string): Finding {
  return { id, severity: 'serious', message };
}

export function warning(id: string, message: string): Finding {
  return { id, severity: 'warning', message };
}

export function info(id: string, message: string): Finding {
  return { id, severity: 'info', message };
}
