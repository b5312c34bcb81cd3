// The secret generator and the rotation pair.

import {
  buildRotation,
  formatRotationEnv,
  generateSecret,
  parsePreviousSecrets,
  parseSecretInput,
  type SecretEncoding,
  type SecretSize,
} from '../secrets/index.js';
import { byId, checkedValue, onSubmit } from './dom.js';

/** Wires the generator form and fills the outputs with a first secret. */
export function setUpGenerator(): void {
  const form = byId('generator-form', HTMLFormElement);
  const current = byId('rotation-current', HTMLInputElement);
  const previous = byId('rotation-previous', HTMLInputElement);

  onSubmit(form, () => showNewSecret(form));
  current.addEventListener('input', showRotation);
  previous.addEventListener('input', showRotation);
  showNewSecret(form);
}

function showNewSecret(form: HTMLFormElement): void {
  const secret = generateSecret({
    bytes: Number(checkedValue(form, 'bytes')) as SecretSize,
    encoding: checkedValue(form, 'encoding') as SecretEncoding,
  });
  byId('secret-output', HTMLInputElement).value = secret;
  byId('env-output', HTMLInputElement).value = `KEYWARD_JWT_SECRET=${secret}`;
  showRotation();
}

// The next pair signs with the secret shown above and keeps the pasted ones for verifying.
function showRotation(): void {
  const output = byId('rotation-output', HTMLTextAreaElement);
  const status = byId('rotation-status', HTMLElement);
  const next = byId('secret-output', HTMLInputElement).value;
  const current = parseSecretInput(byId('rotation-current', HTMLInputElement).value);
  const previous = parsePreviousSecrets(
    parseSecretInput(byId('rotation-previous', HTMLInputElement).value),
  );

  if (current === '') {
    output.value = '';
    status.textContent = 'Paste the current secret to get the next pair.';
    return;
  }
  try {
    output.value = formatRotationEnv(buildRotation(next, current, previous)).trimEnd();
    status.textContent =
      'Deploy both lines together. The new secret signs; the old ones only verify.';
  } catch (error) {
    output.value = '';
    status.textContent = error instanceof Error ? error.message : String(error);
  }
}
