import { test as base, BrowserContext, Page } from '@playwright/test';

export { expect } from '@playwright/test';
export type { Page } from '@playwright/test';

/** Every page a test opens (in any context) is watched: a hydration error stops the page's
 *  script, after which a test may still pass on what the server rendered, so it fails here,
 *  naming the component. */
export const test = base.extend<{ hydrationWatch: void }>({
  hydrationWatch: [async ({ browser, context }, use, info) => {
    const errors: string[] = [];
    const watch = (page: Page) => page.on('console', (m) => {
      if (m.type() === 'error' && m.text().includes('hydration error')) errors.push(`${page.url()}: ${m.text().split('\n')[0]}`);
    });
    const contexts = new Set<BrowserContext>();
    const hook = (c: BrowserContext) => {
      if (contexts.has(c)) return;
      contexts.add(c);
      c.pages().forEach(watch);
      c.on('page', watch);
    };
    hook(context);
    browser.on('context', hook);
    await use();
    browser.off('context', hook);
    if (errors.length) info.annotations.push({ type: 'hydration', description: errors.join('\n') });
    base.expect(errors, 'hydration errors').toEqual([]);
  }, { auto: true }],
});
