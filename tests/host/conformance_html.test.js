// report.html renders in a real browser (headless Chromium through
// playwright-core, never a downloaded browser): the matrix and the gap
// register are there, filters and evidence rows work, no script error
// occurs; a screenshot is saved beside the report. Skips with a notice where
// Chromium is missing; .ci/run installs it, so CI never skips.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, statSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';
import { CLI, lockoutOffProfile, readJson, tempDir } from './_conformance.js';
import { ROOT } from './_helpers.js';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const skip = existsSync(CHROMIUM) ? false : `needs Chromium at ${CHROMIUM} (Debian package chromium): apt-get install chromium`;
if (skip && process.env.CI) throw new Error(`report.html browser test cannot run in CI: ${skip}`);
if (skip) console.log(`# SKIP report.html in Chromium: ${skip}`);

const FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
  '--disable-sync', '--no-first-run'];

test('report.html in headless Chromium: matrix, gap register, filters, evidence, no script error', { skip, timeout: 180_000 }, async () => {
  const out = tempDir('conf-html');
  // With lockout off, so that the matrix holds a failing row (CR 1.11) to check its colour.
  const r = spawnSync(process.execPath, [CLI, 'conformance', '--out', out, '--no-native', '--profile', lockoutOffProfile(out)], { encoding: 'utf8', cwd: ROOT });
  assert.equal(r.status, 1, r.stderr);
  const report = readJson(join(out, 'report.json'));
  const profileDir = mkdtempSync(join(tmpdir(), 'iacsec-chromium-'));
  const browser = await chromium.launchPersistentContext(profileDir, {
    executablePath: CHROMIUM, headless: true, args: FLAGS, viewport: { width: 1400, height: 1000 }, offline: true,
  });
  try {
    const page = await browser.newPage();
    const errors = [];
    page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
    page.on('console', (m) => { if (m.type() === 'error') errors.push(`console: ${m.text()}`); });
    await page.goto(pathToFileURL(join(out, 'report.html')).href);
    await page.waitForSelector(`body[data-ready="${report.items.length}"]`, { timeout: 10_000 });
    assert.equal(await page.locator('tr.item').count(), report.items.length, 'one matrix row per CR/RE');
    assert.equal(await page.locator('#gap-register tbody tr').count(), report.gaps.length, 'one register row per gap');
    assert.equal(await page.locator('#fr-summary tbody tr').count(), 7);
    assert.match(await page.locator('#sl-t-status').innerText(), /not met/);
    // Colours: a pass badge is green, a fail badge red.
    const colour = (sel) => page.locator(sel).first().evaluate((e) => getComputedStyle(e).backgroundColor);
    assert.equal(await colour('tr.item[data-verdict="pass"] .badge'), 'rgb(26, 127, 55)');
    assert.equal(await colour('tr.item[data-verdict="fail"] .badge'), 'rgb(207, 34, 46)');
    // A row opens its evidence: the check log is embedded.
    const row = page.locator('tr.item[data-id="EDR 3.10 RE1"]');
    await row.click();
    const ev = page.locator(`#ev-${await row.getAttribute('data-idx')}`);
    assert.equal(await ev.isVisible(), true);
    assert.match(await ev.innerText(), /after restart: install counter 4: expected ERR_ROLLBACK, got ERR_ROLLBACK/);
    // Filters: FR1 only, then failures only (CR 1.11 with lockout off).
    await page.selectOption('#f-fr', 'FR1');
    const visible = await page.locator('tr.item:visible').evaluateAll((rows) => rows.map((x) => x.dataset.fr));
    assert.ok(visible.length > 0 && visible.every((f) => f === 'FR1'));
    await page.selectOption('#f-verdict', 'fail');
    const fails = await page.locator('tr.item:visible').evaluateAll((rows) => rows.map((x) => x.dataset.id));
    assert.deepEqual(fails, report.items.filter((i) => i.fr === 'FR1' && i.verdict === 'fail').map((i) => i.id));
    assert.ok(fails.includes('CR 1.11'), 'the failing row is shown');
    await page.selectOption('#f-fr', '');
    await page.selectOption('#f-verdict', '');
    await page.screenshot({ path: join(out, 'report.png'), fullPage: false });
    assert.ok(statSync(join(out, 'report.png')).size > 10_000, 'screenshot saved');
    assert.deepEqual(errors, [], 'no script error');
  } finally {
    await browser.close();
  }
});
