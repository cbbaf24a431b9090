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
