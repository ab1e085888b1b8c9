// The progress display on a terminal: a stage that runs a second or more shows a bar, and
// every bar is stopped by the time the command returns — a bar left running redraws on a
// timer with the cursor hidden, and the command printed its summary and then never exited
// (found at 300,000 institutions, whose last stage runs for seconds).
import { cpSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { main } from '../../src/cli/main.js';

/** A terminal's stream as the progress bars see it. */
class Terminal extends Writable {
  readonly isTTY = true;
  readonly columns = 120;
  text = '';
  override _write(chunk: Buffer, _enc: BufferEncoding, done: () => void) {
    this.text += chunk.toString();
    done();
  }
}

/** What a bar writes when it stops (it hides the cursor while it runs). */
const SHOW_CURSOR = '\x1B[?25h';

afterEach(() => {
  vi.restoreAllMocks();
});

describe('the progress display on a terminal', () => {
  it('shows bars for long stages and stops the last one: the command returns with nothing left redrawing', async () => {
    const ws = mkdtempSync(join(tmpdir(), 'assess-bar-'));
    cpSync(join(import.meta.dirname, '..', '..', 'samples', 'tianjin'), ws, { recursive: true });
    // Every stage made to look long: the clock moves 0.7 s each time it is read.
    let now = Date.now();
    vi.spyOn(Date, 'now').mockImplementation(() => (now += 700));
    const stderr = new Terminal();
    const code = await main(['year', '2024', '-w', ws], { stdout: new Terminal(), stderr, env: { NO_COLOR: '1' } });
    expect(code).toBe(0);
    expect(stderr.text).toMatch(/\| 考核结果-2024\.xlsx/); // a workbook's bar was shown
    expect(stderr.text).toMatch(/\| 公示名单-2024\.xlsx/); // as was one of the last stage's
    // Stopped: after the last bar the cursor is shown again (a bar hides it while it runs).
    const afterLastBar = stderr.text.slice(stderr.text.lastIndexOf('| 公示名单-2024.xlsx'));
    expect(afterLastBar).toContain(SHOW_CURSOR);
  });
});
