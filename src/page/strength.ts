// The strength checker, on the same module as `keyward secret check`.

import { checkSecretStrength, parseSecretInput } from '../secrets/index.js';
import { badge, byId, element, onSubmit } from './dom.js';

/** Wires the strength form; results update as the user types. */
export function setUpStrengthCheck(): void {
  const form = byId('strength-form', HTMLFormElement);
  const input = byId('strength-input', HTMLInputElement);
  const show = byId('strength-show', HTMLInputElement);

  onSubmit(form, showStrength);
  input.addEventListener('input', showStrength);
  show.addEventListener('change', () => {
    input.type = show.checked ? 'text' : 'password';
  });
}

function showStrength(): void {
  const result = byId('strength-result', HTMLElement);
  const secret = parseSecretInput(byId('strength-input', HTMLInputElement).value);
  if (secret === '') {
    result.replaceChildren();
    return;
  }

  const strength = checkSecretStrength(secret);
  const summary = element('p', 'summary');
  summary.append(
    badge(strength.verdict),
    ` ${strength.lengthBytes} bytes, about ${strength.estimatedEntropyBits} bits of estimated entropy`,
  );
  const reasons = element('ul', 'reasons');
  for (const reason of strength.reasons) reasons.append(element('li', '', capitalise(reason)));
  if (strength.verdict === 'strong') {
    reasons.append(element('li', '', 'Long enough for HS256 and no known weakness found.'));
  }
  result.replaceChildren(summary, reasons);
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1) + '.';
}
