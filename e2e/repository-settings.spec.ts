import { expect, test, type Page } from '@playwright/test';
import { e2eStack } from './stack';

// Settings → Repository as the owner of 'default' (global-setup's storageState), against the fake
// GitHub global-setup started (the stack's server has WHETSTONE_GITHUB_API_URL pointing at it).
const stack = e2eStack();
const github = {
  url: process.env.E2E_GITHUB_URL,
  token: process.env.E2E_GITHUB_TOKEN ?? '',
  owner: process.env.E2E_GITHUB_OWNER ?? '',
  repo: process.env.E2E_GITHUB_REPO ?? '',
};
if (!github.url || !github.token) throw new Error('E2E_GITHUB_URL/E2E_GITHUB_TOKEN unset: global-setup starts the fake GitHub');
const shot = async (page: Page, name: string) => {
  if (process.env.E2E_SCREENSHOTS) await page.screenshot({ path: `${process.env.E2E_SCREENSHOTS}/${name}.png`, fullPage: true });
};

/** Every tRPC response body the page receives, to check that none carries the token. */
function recordTrpcResponses(page: Page): string[] {
  const bodies: string[] = [];
  page.on('response', async (response) => {
    if (!response.url().includes('/api/trpc/')) return;
    bodies.push(await response.text().catch(() => ''));
  });
  return bodies;
}

test('the owner connects the repository: the token is saved but never shown, and "Test connection" answers', async ({ page }) => {
  const responses = recordTrpcResponses(page);
  await page.goto(`${stack.url}/p/default/settings`);
  const section = page.getByTestId('repository');
  await expect(section.getByRole('heading', { name: 'Repository' })).toBeVisible();
  await expect(section.getByTestId('repo-token')).toHaveAttribute('placeholder', 'github_pat_…');

  await section.getByTestId('repo-owner').fill(github.owner);
  await section.getByTestId('repo-name').fill(github.repo);
  await section.getByTestId('repo-base').fill('main');
  await section.getByTestId('repo-prefix').fill('');
  await section.getByTestId('repo-token').fill(github.token);
  await section.getByTestId('repo-save').click();
  await expect(section.getByTestId('repository-saved')).toHaveText('Saved.');
  await expect(section.getByTestId('repo-token')).toHaveValue('');
  await expect(section.getByTestId('repo-token')).toHaveAttribute('placeholder', 'saved — leave empty to keep');

  await section.getByTestId('repo-test').click();
  const result = section.getByTestId('repository-test-result');
  await expect(result).toHaveAttribute('data-ok', 'true');
  await expect(result).toContainText(`Connection works. Connected to ${github.owner}/${github.repo}: the token can push; 'main' is at`);
  await shot(page, 'repository-connected');

  // After a reload the form shows what is saved, the last test's answer, and still no token.
  await page.reload();
  await expect(section.getByTestId('repo-owner')).toHaveValue(github.owner);
  await expect(section.getByTestId('repo-name')).toHaveValue(github.repo);
  await expect(section.getByTestId('repository-test-result')).toContainText('tested');
  await expect(section.getByTestId('repo-token')).toHaveValue('');
  expect(await page.content()).not.toContain(github.token);
  await expect(page.locator('body')).not.toContainText(github.token);
  expect(responses.length).toBeGreaterThan(2);
  for (const body of responses) expect(body).not.toContain(github.token);
});

test('a wrong token gets a clear answer; an empty token field keeps the saved one; bad input is refused; remove', async ({ page }) => {
  await page.goto(`${stack.url}/p/default/settings`);
  const section = page.getByTestId('repository');
  await section.getByTestId('repo-owner').fill(github.owner);
  await section.getByTestId('repo-name').fill(github.repo);
  await section.getByTestId('repo-token').fill('github_pat_wrong_token');
  await section.getByTestId('repo-save').click();
  await expect(section.getByTestId('repository-saved')).toBeVisible();
  await section.getByTestId('repo-test').click();
  await expect(section.getByTestId('repository-test-result')).toHaveAttribute('data-ok', 'false');
  await expect(section.getByTestId('repository-test-result')).toContainText(
    'Connection failed. GitHub rejected the token (401 Bad credentials)',
  );
  await shot(page, 'repository-bad-token');

  await section.getByTestId('repo-token').fill(github.token);
  await section.getByTestId('repo-save').click();
  await expect(section.getByTestId('repo-token')).toHaveValue('');
  // Saved again without a token (a new base branch that does not exist): the good token is kept, the branch is reported.
  await section.getByTestId('repo-base').fill('release');
  await section.getByTestId('repo-save').click();
  await expect(section.getByTestId('repository-saved')).toBeVisible();
  await section.getByTestId('repo-test').click();
  await expect(section.getByTestId('repository-test-result')).toContainText(
    `Connected to ${github.owner}/${github.repo}, but it has no branch 'release'`,
  );

  await section.getByTestId('repo-owner').fill('not an owner');
  await section.getByTestId('repo-save').click();
  await expect(section.getByTestId('repository-error')).toContainText('Owner: a GitHub user or organization name');

  await section.getByTestId('repo-remove').click();
  await section.getByTestId('repo-confirm-remove').click();
  await expect(section.getByTestId('repo-token')).toHaveAttribute('placeholder', 'github_pat_…');
  await expect(section.getByTestId('repo-owner')).toHaveValue('');
  await expect(section.getByTestId('repo-test')).toHaveCount(0);
});
