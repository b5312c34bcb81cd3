// Small DOM helpers shared by the page's tools.

/** Returns the element with this id, checked against the expected class; throws when missing. */
export function byId<T extends HTMLElement>(id: string, type: { new (): T; prototype: T }): T {
  const element = document.getElementById(id);
  if (!(element instanceof type)) throw new Error(`The page has no ${type.name} #${id}.`);
  return element;
}

/** Returns the value of the checked radio button in a group. */
export function checkedValue(form: HTMLFormElement, name: string): string {
  const input = form.querySelector<HTMLInputElement>(`input[name="${name}"]:checked`);
  return input?.value ?? '';
}

/** Calls `handler` on submit instead of submitting; the CSP forbids form actions anyway. */
export function onSubmit(form: HTMLFormElement, handler: () => void | Promise<void>): void {
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    void handler();
  });
}

/** Creates an element with a class and text content. */
export function element(tag: string, className: string, text = ''): HTMLElement {
  const node = document.createElement(tag);
  if (className) node.className = className;
  node.textContent = text;
  return node;
}

/** Creates a severity or verdict badge. */
export function badge(kind: string, text = kind): HTMLElement {
  return element('span', `badge ${kind}`, text);
}

/**
 * Wires every `[data-copy]` button to copy the value of the field it names, and reports the
 * outcome in `status`. The Clipboard API needs a secure context (HTTPS or localhost), so when
 * it is missing or refused the text is selected for the user to copy with Ctrl+C.
 */
export function wireCopyButtons(status: HTMLElement): void {
  for (const button of document.querySelectorAll<HTMLButtonElement>('button[data-copy]')) {
    button.addEventListener('click', () => {
      const target = document.getElementById(button.dataset.copy ?? '');
      if (target instanceof HTMLInputElement || target instanceof HTMLTextAreaElement) {
        void copyField(target, status);
      }
    });
  }
}

async function copyField(field: HTMLInputElement | HTMLTextAreaElement, status: HTMLElement) {
  const label = field.labels?.[0]?.textContent?.trim() ?? 'Text';
  if (field.value === '') {
    status.textContent = `${label} is empty; there is nothing to copy.`;
    return;
  }
  try {
    await navigator.clipboard.writeText(field.value);
    status.textContent = `Copied: ${label}.`;
  } catch {
    field.select();
    status.textContent = `${label} is selected; press Ctrl+C (or Cmd+C) to copy it.`;
  }
}
