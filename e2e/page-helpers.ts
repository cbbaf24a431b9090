import { expect, type Locator, type Page } from '@playwright/test';

/** E2E_SCREENSHOTS=<dir> saves screenshots of the page (to look at the layout). */
export async function shot(page: Page, name: string): Promise<void> {
  if (process.env.E2E_SCREENSHOTS) await page.screenshot({ path: `${process.env.E2E_SCREENSHOTS}/${name}.png`, fullPage: true });
}

/** Replaces a Monaco editor's content as typed text (insertText: no auto-closed brackets or quotes). */
export async function typeInMonaco(page: Page, editor: Locator, text: string): Promise<void> {
  await expect(editor).toHaveAttribute('data-editor', 'monaco');
  await editor.locator('.monaco-editor .view-lines').click();
  await page.keyboard.press('ControlOrMeta+A');
  await page.keyboard.press('Delete');
  await page.keyboard.insertText(text);
}

/**
 * The page's uncaught errors, collected into the returned array. Known and not ours: Monaco
 * created after a client-side navigation from another Monaco page throws "[createInstance] …
 * depends on UNKNOWN service …" (the editor still works); those are left out.
 */
export function collectPageErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('pageerror', (e) => {
    if (!/^\[createInstance\] \S+ depends on UNKNOWN service/.test(e.message)) errors.push(e.message);
  });
  return errors;
}

/** Opens a runs list and waits for React to own its filter bar: a filter chosen or typed before hydration is lost. */
export async function openRunsList(page: Page, url: string): Promise<void> {
  await page.goto(url);
  await expect(page.getByTestId('run-filters')).toHaveAttribute('data-ready', 'true');
}

/** Opens the first run of `workflow` in the runs list, by its link's address (the list re-renders while it polls). */
export async function openFirstRun(page: Page, baseUrl: string, workflow: string): Promise<void> {
  await openRunsList(page, `${baseUrl}/p/default?workflow=${encodeURIComponent(workflow)}`);
  const href = await page.getByTestId('runs-table').getByRole('link', { name: workflow, exact: true }).first().getAttribute('href');
  expect(href).toMatch(/\/runs\/[0-9a-f-]{36}$/);
  await page.goto(`${baseUrl}${href}`);
}
