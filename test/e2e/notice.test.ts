// The public notice 公示公告-Y.html on the Tianjin sample: its text from the template and the
// policy's `publication`, every published list with its title, year and basis; one
// self-contained file. Printed to PDF by headless Chromium where one is installed (Debian's
// `chromium`): A4 pages, the notice on the first, each list starting a page of its own.
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/workspace.js';

const which = (cmd: string): string | null => {
  const r = spawnSync('sh', ['-c', `command -v ${cmd}`], { encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim() : null;
};
const chromium = ['chromium', 'chromium-browser', 'google-chrome', 'google-chrome-stable'].map(which).find((p) => p !== null) ?? null;
const pdftotext = which('pdftotext');

let ws: string;
let html: string;
let blank: string;

beforeAll(async () => {
  ws = join(mkdtempSync(join(tmpdir(), 'assess-notice-')), 'tianjin');
  cpSync('samples/tianjin', ws, { recursive: true });
  expect((await runCli(['year', '2024', '-w', ws])).code).toBe(0);
  blank = readFileSync(join(ws, 'results/2024/公示公告-2024.html'), 'utf8');
  const run = await runCli(['year', '2024', '-w', ws, '--issued-on', '2025-03-10']);
  expect(run.code).toBe(0);
  html = readFileSync(join(ws, 'results/2024/公示公告-2024.html'), 'utf8');
}, 60_000);

describe('公示公告-2024.html', () => {
  it('says what is published, on what basis, for how long, how to object, by whom and when', () => {
    expect(html).toContain('<h1>天津市2024年度定点医药机构协议考核结果公示</h1>');
    expect(html).toContain('根据《天津市医疗保障协议考核办法》第十一条');
    // 5 working days from Monday 2025-03-10, the day of issue the first
    expect(html).toContain('公示期：2025年3月10日至2025年3月14日（5个工作日）');
    expect(html).toContain('由设定考核指标、评分标准并提供考核成绩的业务主管部门依职责进行答复');
    expect(html).toMatch(/天津市医疗保障事务服务中心<br>2025年3月10日/);
  });

  it('leaves the date for the office to write in when it is not given', () => {
    expect(blank).toContain('公示期：自发布之日起5个工作日');
    expect(blank).toContain('天津市医疗保障事务服务中心<br>　　　　年　　月　　日');
  });

  it('carries every published list with its title and year, the results in full', () => {
    const titles = ['天津市2024年度定点医药机构协议考核结果公示名单', '天津市连续2个协议年度考核低于60分、不再续签医保服务协议的定点医药机构名单（2024年度）', '天津市2024年度解除医保服务协议的定点医药机构名单'];
    for (const [i, t] of titles.entries()) expect(html).toContain(`<h2>附件${i + 1}</h2>\n<h3>${t}</h3>`);
    expect(html.match(/<tr><td class="number short">\d+<\/td><td class="code">H12010100001</g)).toHaveLength(1);
    expect(html.match(/<td class="code">[HP]\d{11}<\/td>/g)?.length).toBe(320 + 4 + 2);
    expect(html).toContain('<td class="text">《天津市医疗保障协议考核办法》第十五条</td>'); // each 不予续签 row cites its article
    expect(html).toContain('<p class="basis">依据：《天津市医疗保障协议考核办法》第十一条</p>'); // under the results
  });

  it('is one file: nothing fetched, no ID number', () => {
    expect(html).not.toMatch(/<(link|script|img)\b|src=|url\(/i);
    expect(html).not.toMatch(/\d{17}[\dXx]/);
  });

  it.skipIf(!chromium)(`prints on A4 in a real browser${chromium ? '' : ' — skipped: no Chromium installed (apt-get install chromium)'}`, () => {
    const pdf = join(ws, 'notice.pdf');
    execFileSync(chromium!, ['--headless', '--no-sandbox', '--disable-gpu', '--no-pdf-header-footer', `--print-to-pdf=${pdf}`, join(ws, 'results/2024/公示公告-2024.html')], { stdio: 'ignore', timeout: 60_000 });
    expect(existsSync(pdf)).toBe(true);
    const bytes = readFileSync(pdf).toString('latin1');
    const pages = bytes.match(/\/Type\s*\/Page[^s]/g)?.length ?? 0;
    // The notice, then 320 results at about 24 rows a page, then a page for each of the two short lists.
    expect(pages).toBeGreaterThanOrEqual(1 + 10 + 2);
    expect(pages).toBeLessThanOrEqual(1 + 20 + 2);
    // A4 landscape: 842 × 595 points.
    expect(bytes).toMatch(/\/MediaBox\s*\[\s*0\s+0\s+841\.9\d*\s+594\.9\d*\s*\]/);
    if (!pdftotext) return; // the text check needs poppler's pdftotext
    const pageText = (n: number) => execFileSync(pdftotext, ['-f', String(n), '-l', String(n), '-layout', pdf, '-'], { encoding: 'utf8' });
    expect(pageText(1)).toContain('天津市2024年度定点医药机构协议考核结果公示');
    expect(pageText(1)).toContain('2025年3月10日');
    expect(pageText(2)).toMatch(/^\s*附件1/);
    expect(pageText(3)).toMatch(/序号\s+机构编码\s+机构名称/); // the header row again on the next page
    expect(pageText(pages - 1)).toMatch(/^\s*附件2/);
    expect(pageText(pages)).toMatch(/^\s*附件3/);
  });
});
