// Small helpers of the filter forms (runs list, what-if sources).

/** ISO time → the `YYYY-MM-DDTHH:mm` a datetime-local input shows, in the browser's zone. */
export function toLocalInput(iso: string | undefined): string {
  if (!iso) return '';
  const d = new Date(iso);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/** The typed text of a form's field: read from the form, so text typed before hydration is not lost. */
export const fieldText = (form: HTMLFormElement, name: string) => String(new FormData(form).get(name) ?? '').trim();
