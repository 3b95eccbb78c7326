// Drives the control plane's mesh view (/ui/) in headless Chromium for the Java tests, one command per stdin line
// (JSON: {"cmd": ..., ...}); answers each with one line, "ok <json>" or "error <message>".
'use strict';
const { chromium } = require('playwright-core');
const readline = require('readline');

const args = (process.env.MESHPILOT_CHROMIUM_ARGS || '').split(' ').filter(Boolean);

async function main() {
  const browser = await chromium.launch({ executablePath: process.env.MESHPILOT_CHROMIUM, headless: true, args });
  const page = await browser.newPage({ viewport: { width: 1280, height: 760 }, deviceScaleFactor: 1 });
  const problems = [];
  page.on('pageerror', error => problems.push(String(error)));
  page.on('requestfailed', request => { if (!request.url().endsWith('/ui/events')) problems.push('failed ' + request.url()); });
  const outside = [];
  page.on('request', request => { if (!request.url().startsWith(process.argv[2])) outside.push(request.url()); });

  const commands = {
    // Loads the page; marks the window so a later reload would show; returns how long the grid took to appear.
    async open({ path }) {
      await page.goto(process.argv[2] + (path || '/ui/'));
      await page.waitForFunction(() => window.meshView && window.meshView.gridRenderedAt !== null, null,
        { timeout: 60000 });
      await page.evaluate(() => { window.notReloaded = true; });
      return page.evaluate(() => ({
        gridMs: window.meshView.gridRenderedAt,
        renderMs: window.meshView.renderMs,
        rows: document.querySelectorAll('#grid tbody tr[data-key]').length,
        range: document.getElementById('range').textContent,
      }));
    },
    // Every region's cell of one Service's row, as shown.
    async cells({ key, timeoutMs }) {
      const row = `#grid tr[data-key="${key}"]`;
      await page.waitForSelector(row, { timeout: timeoutMs || 30000 });
      return page.$$eval(`${row} td.cell`, cells => Object.fromEntries(cells.map(cell => [cell.dataset.region, {
        label: cell.querySelector('.label') ? cell.querySelector('.label').textContent : '',
        text: cell.innerText.replace(/\s+/g, ' ').trim(), className: cell.className }])));
    },
    // Waits until a region's cell of a Service reads the label; returns when (epoch ms, in the page) and whether the
    // page was reloaded meanwhile.
    async awaitCell({ key, region, label, timeoutMs }) {
      const handle = await page.waitForFunction(({ key, region, label }) => {
        const cell = document.querySelector(`#grid tr[data-key="${key}"] td.cell[data-region="${region}"] .label`);
        return cell && cell.textContent === label ? Date.now() : false;
      }, { key, region, label }, { timeout: timeoutMs || 30000, polling: 'raf' }).catch(async error => {
        const seen = await page.evaluate(({ key, region }) => {
          const cell = document.querySelector(`#grid tr[data-key="${key}"] td.cell[data-region="${region}"]`);
          return JSON.stringify({ cell: cell ? cell.innerText : null, meshView: window.meshView,
            status: document.getElementById('status').textContent });
        }, { key, region });
        throw new Error(error.message + '; the page shows ' + seen);
      });
      const seenAt = await handle.jsonValue();
      return { seenAt, reloaded: !(await page.evaluate(() => window.notReloaded === true)),
        updates: await page.evaluate(() => window.meshView.updates),
        applyMs: await page.evaluate(() => window.meshView.applyMs) };
    },
    async screenshot({ path, selector, fullPage }) {
      await page.waitForTimeout(1300); // let the change highlight fade, so the picture shows the steady state
      if (selector) await page.locator(selector).screenshot({ path });
      else await page.screenshot({ path, fullPage: fullPage !== false });
      return { path };
    },
    // Follows the Service's link from the grid; returns the routes each region's card lists.
    async openService({ key }) {
      await page.click(`#grid a[href="#/service/${key}"]`);
      await page.waitForSelector('ul.routes', { timeout: 30000 });
      return page.evaluate(() => ({
        title: document.getElementById('service-title').textContent,
        reloaded: window.notReloaded !== true,
        routes: Object.fromEntries([...document.querySelectorAll('ul.routes')].map(list => [
          list.dataset.testid.replace('routes-', ''), [...list.querySelectorAll('li')].map(li => li.textContent)])),
        cards: Object.fromEntries([...document.querySelectorAll('.region-card')].map(card => [card.dataset.region,
          card.innerText.replace(/\s+/g, ' ').trim()])),
        decisions: document.querySelectorAll('#decisions li:not(.empty)').length,
      }));
    },
    async grid() {
      await page.click('a.back');
      await page.waitForSelector('#grid tbody tr', { timeout: 30000 });
      return {};
    },
    // Filters the grid as an operator would, with the form's selects; returns the rows shown.
    async filter({ name, value }) {
      const before = await page.evaluate(() => window.meshView.renders);
      await page.selectOption(`#filters select[name="${name}"]`, value);
      await page.waitForFunction(before => window.meshView.renders > before
        && window.meshView.renderedQuery === window.meshView.currentQuery(), before, { timeout: 30000 });
      return page.$$eval('#grid tbody tr[data-key]', rows => rows.map(row => row.dataset.key));
    },
    async problems() {
      return { problems, outside };
    },
  };

  const lines = readline.createInterface({ input: process.stdin });
  for await (const line of lines) {
    if (!line.trim()) continue;
    let command;
    try {
      command = JSON.parse(line);
      if (command.cmd === 'quit') break;
      const result = await commands[command.cmd](command);
      process.stdout.write('ok ' + JSON.stringify(result) + '\n');
    } catch (error) {
      process.stdout.write('error ' + (command ? command.cmd + ': ' : '') + String(error.message || error)
        .replace(/\n/g, ' ') + '\n');
    }
  }
  await browser.close();
}

main().catch(error => {
  process.stdout.write('error ' + String(error.stack || error).replace(/\n/g, ' ') + '\n');
  process.exit(1);
});
