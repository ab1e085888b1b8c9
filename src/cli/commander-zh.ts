// commander in Chinese: the help's headings and usage words, and its error messages — which
// commander builds in English inside — said again in Chinese. Everything an officer reads of
// the command line is Chinese.
import { Help, type Command, type HelpConfiguration } from 'commander';

const TITLES: Readonly<Record<string, string>> = {
  'Usage:': '用法：',
  'Arguments:': '参数：',
  'Options:': '选项：',
  'Global Options:': '全局选项（每个命令都可用）：',
  'Commands:': '命令：',
};

const usageWords = (text: string) => text.replace('[options]', '[选项]').replace('[command]', '<命令>');

/** Columns a terminal gives text: a CJK or full-width character takes two (commander counts one, misaligning the help). */
function terminalWidth(text: string): number {
  let w = 0;
  // eslint-disable-next-line no-control-regex
  for (const ch of text.replace(/\u001b\[[0-9;]*m/g, '')) w += /[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]/u.test(ch) ? 2 : 1;
  return w;
}

/** For `configureHelp`: Chinese headings, usage words, global options (-w) in every subcommand's help, no English "(default: …)". */
export const CHINESE_HELP: HelpConfiguration = {
  showGlobalOptions: true,
  displayWidth: terminalWidth,
  styleTitle: (title) => TITLES[title] ?? title,
  commandUsage(this: Help, cmd: Command) {
    return usageWords(Help.prototype.commandUsage.call(this, cmd));
  },
  subcommandTerm(this: Help, cmd: Command) {
    return usageWords(Help.prototype.subcommandTerm.call(this, cmd));
  },
  // The descriptions say the defaults themselves, in Chinese.
  optionDescription: (option) => option.description,
  argumentDescription: (argument) => argument.description,
};

/** commander's error messages (commander 14) and their Chinese. */
const ERRORS: readonly [RegExp, (...m: string[]) => string][] = [
  [/^error: unknown command '(.*)'/, (name) => `错误：没有「${name}」这个命令`],
  [/^error: unknown option '(.*)'/, (flag) => `错误：没有 ${flag} 这个选项`],
  [/^error: missing required argument '(.*)'/, (name) => `错误：缺少参数 <${name}>`],
  [/^error: command-argument value '(.*)' is invalid for argument '(.*)'\. ?(.*)/s, (value, name, why) => `错误：参数 <${name}> 的值「${value}」无效${why ? `：${why}` : ''}`],
  [/^error: option '(.*)' argument '(.*)' is invalid\. ?(.*)/s, (flag, value, why) => `错误：选项 ${flag} 的值「${value}」无效${why ? `：${why}` : ''}`],
  [/^error: option '(.*)' argument missing/, (flag) => `错误：选项 ${flag} 缺少取值`],
  [/^error: too many arguments for '(.*)'\. Expected (\d+) arguments? but got (\d+)\./, (name, expected, got) => `错误：命令 ${name} 的参数过多：应为 ${expected} 个，实际给了 ${got} 个`],
  [/^error: too many arguments\. Expected (\d+) arguments? but got (\d+)\./, (expected, got) => `错误：参数过多：应为 ${expected} 个，实际给了 ${got} 个`],
  [/^error: required option '(.*)' not specified/, (flag) => `错误：缺少必需的选项 ${flag}`],
];

/** One of commander's messages in Chinese (its "Did you mean …?" too); an unknown one keeps its text after 错误：. */
export function chineseError(message: string): string {
  const [first = '', ...rest] = message.trimEnd().split('\n');
  let said = first.replace(/^error: /, '错误：');
  for (const [pattern, words] of ERRORS) {
    const m = pattern.exec(first);
    if (m) {
      said = words(...m.slice(1));
      break;
    }
  }
  const hints = rest.map((line) => line.replace(/^\(Did you mean (?:one of )?(.*)\?\)$/, '（是否想输入 $1？）'));
  return `${[said, ...hints].join('\n')}\n`;
}
