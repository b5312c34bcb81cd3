// Rendering of audit findings and time claims.

import { describeRelative, type Finding, formatNumericDate } from '../inspector/index.js';
import { badge, element } from './dom.js';

const timeClaims = [
  { name: 'iat', label: 'issued' },
  { name: 'nbf', label: 'valid from' },
  { name: 'exp', label: 'expires' },
] as const;

/** Replaces the list's items with one per finding, or a single line when there are none. */
export function renderFindings(list: HTMLElement, findings: readonly Finding[]): void {
  const items = findings.map((finding) => {
    const item = element('li', '');
    item.dataset.findingId = finding.id;
    item.append(badge(finding.severity), element('span', '', finding.message));
    return item;
  });
  if (items.length === 0) items.push(element('li', '', 'No findings.'));
  list.replaceChildren(...items);
}

/** Lists iat, nbf and exp as UTC times with their distance from now. */
export function renderTimes(list: HTMLElement, claims: Record<string, unknown>, now: Date): void {
  const entries = timeClaims.flatMap(({ name, label }) => {
    const value = claims[name];
    if (typeof value !== 'number') return [];
    const when = formatNumericDate(value) ?? 'out of range';
    return [
      element('dt', '', name),
      element('dd', '', `${label} ${when} (${describeRelative(value, now)})`),
    ];
  });
  if (entries.length === 0)
    entries.push(element('dt', '', '—'), element('dd', '', 'No time claims.'));
  list.replaceChildren(...entries);
}
