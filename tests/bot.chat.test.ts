/**
 * The terminal chat and `fuhan ask`, driven as a user would: spawning bin/fuhan.js with piped
 * input, over the shipped corpus (corpus/letters) and a fresh index in a temporary folder.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runNode, type NodeRun } from './support/runNode.ts';

const ROOT = path.join(import.meta.dirname, '..');
const MOX_SENTENCE = '上合示范区管委会与中华(澳门)金融资产交易股份有限公司(以下简称“MOX”)签订了全面合作框架协议';
const indexDir = mkdtempSync(path.join(os.tmpdir(), 'fuhan-chat-test-'));

afterAll(() => rmSync(indexDir, { recursive: true, force: true }));

function fuhan(args: string[], stdin = ''): Promise<NodeRun> {
  const env = { FUHAN_INDEX: indexDir, FUHAN_DENSE: 'off', FUHAN_CORPUS: '', BOT_TOKEN: '', FUHAN_LLM_URL: '' };
  return runNode([path.join(ROOT, 'bin', 'fuhan.js'), ...args], { cwd: ROOT, env, stdin });
}

describe('fuhan chat (piped)', () => {
  // One spawn for the whole conversation: starting the CLI costs seconds on a busy machine.
  it('answers each piped question with verbatim quotes, handles commands, stops at /quit', async () => {
    const input = [
      'what has Qingdao done with MOX?',
      '/cite 1',
      '重庆和澳门青年交流有哪些安排？',
      '/letters 青岛',
      '/letter 1',
      '/quit',
      'MOX是什么？',
    ].join('\n');
    const { code, stdout, stderr } = await fuhan(['chat'], `${input}\n`);
    expect(code, stderr).toBe(0);
    // Piped, the greeting goes to stderr: stdout holds only the answers.
    expect(stderr).toContain('BOT_TOKEN');
    expect(stderr).toContain('@BotFather');
    expect(stdout).not.toContain('BOT_TOKEN');
    expect(stdout).toContain(MOX_SENTENCE);
    expect(stdout).toContain('[1]');
    // /cite 1 gives the pasteable line for the MOX quote.
    expect(stdout).toMatch(/^"2023年12月,[^\n]*签订了全面合作框架协议。[^\n]*" — 青岛市人民政府, "[^\n]+" \(28 Jun 2024\)$/m);
    // The youth question is answered from item 二是 of section 五 (下一步工作计划).
    expect(stdout).toContain('位置：五、二是');
    // /letter 1 shows the section tree; nothing after /quit is answered.
    expect(stdout).toContain('五、下一步工作计划');
    expect(stdout.split(MOX_SENTENCE).length).toBe(3); // the answer and /cite, not a third time
  });
});

// The index exists by now (built by the chat test), so these processes can start side by side.
describe.concurrent('fuhan ask', () => {
  it('prints exactly the documented JSON', async () => {
    const { code, stdout, stderr } = await fuhan(['ask', 'what has Qingdao done with MOX?', '--json', '--k', '8']);
    expect(code, stderr).toBe(0);
    const out = JSON.parse(stdout);
    expect(Object.keys(out)).toEqual(['refused', 'answer', 'citations']);
    expect(out.refused).toBe(false);
    expect(out.answer).toContain(MOX_SENTENCE);
    expect(Object.keys(out.citations[0])).toEqual(['n', 'doc', 'quote', 'start', 'end', 'issuer', 'title', 'date', 'section', 'source']);
    expect(out.citations[0]).toMatchObject({ n: 1, doc: 'qingdao-shanghe-mox.txt', issuer: '青岛市人民政府', date: '2024-06-28' });
    expect(out.citations[0].quote).toContain(MOX_SENTENCE);
  });

  it('refuses in JSON with the nearest letters in the answer text', async () => {
    const { stdout } = await fuhan(['ask', '火星探测器什么时候发射？', '--json']);
    const out = JSON.parse(stdout);
    expect(out.refused).toBe(true);
    expect(out.citations).toEqual([]);
    expect(out.answer).toMatch(/^没有找到能回答这个问题的复函。最接近的复函：\n {2}1\. /);
  });

  it('rejects a missing question with exit code 2', async () => {
    const { code, stderr } = await fuhan(['ask', '--json']);
    expect(code).toBe(2);
    expect(stderr).toContain('no question given');
  });
});
