import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { GRAMMAR_PATH, grammarText } from '../../language/server/grammar';

const ROOT = path.resolve(__dirname, '../../..');

describe('language server: TextMate grammar', () => {
  it('is the one generated from the ISA tables (node out/language/server/grammar.js)', () => {
    assert.equal(fs.readFileSync(GRAMMAR_PATH, 'utf8'), grammarText());
  });

  it('passes the scope assertions of test/language-server/grammar (vscode-tmgrammar-test)', function () {
    this.timeout(20000);
    const bin = path.join(ROOT, 'node_modules/vscode-tmgrammar-test/dist/unit.js');
    const r = spawnSync(process.execPath, [bin, '-c', '-g', GRAMMAR_PATH, 'test/language-server/grammar/*.test.*'], { cwd: ROOT, encoding: 'utf8' });
    assert.equal(r.status, 0, r.stdout + r.stderr);
    assert.equal((r.stdout.match(/run successfuly/g) ?? []).length, fs.readdirSync(path.join(ROOT, 'test/language-server/grammar')).length, r.stdout);
  });

  it('is contributed for xpc-asm with its language configuration', () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as {
      contributes: { languages: { id: string; extensions: string[]; aliases: string[]; configuration: string }[]; grammars: { language: string; scopeName: string; path: string }[] };
    };
    const lang = pkg.contributes.languages.find((l) => l.id === 'xpc-asm');
    assert.ok(lang);
    assert.deepEqual(lang.extensions, ['.S', '.s', '.asm', '.inc']);
    assert.equal(lang.aliases[0], 'XPC Assembly');
    const config = JSON.parse(fs.readFileSync(path.join(ROOT, lang.configuration), 'utf8')) as { comments: { lineComment: string } };
    assert.equal(config.comments.lineComment, '#');
    const g = pkg.contributes.grammars.find((x) => x.language === 'xpc-asm');
    assert.equal(path.resolve(ROOT, g!.path), GRAMMAR_PATH);
    assert.equal(g!.scopeName, 'source.xpc-asm');
  });
});
