/** Docker Hub build rules: parsing, matching, templates, and Docker Hub's documented examples. */
import { describe, expect, it } from 'vitest';
import { UserError } from '../../src/errors.js';
import { applyRule, applyRuleTags, parseRules } from '../../src/plan/rules.js';

function rule(yaml: string) {
  return parseRules(yaml)[0]!;
}

describe('Docker Hub rule examples', () => {
  it.each([
    // source-type, source, tag template, ref type, ref name, tags
    ['tag', '/^v([0-9.]+)$/', '{\\1}', 'tag', 'v1.2.3', ['1.2.3']],
    ['tag', '/^v([0-9.]+)$/', '{\\1}', 'tag', 'v1.2.3-rc1', undefined],
    ['tag', '/^[0-9.]+$/', 'release-{sourceref}', 'tag', '2.4.1', ['release-2.4.1']],
    ['tag', '/^[0-9.]+$/', 'release-{sourceref}', 'tag', 'v2.4.1', undefined],
    ['branch', '/^release-(.*)$/', '{\\1}', 'branch', 'release-3.1', ['3.1']],
    ['branch', 'main', 'latest', 'branch', 'main', ['latest']],
    ['branch', 'main', 'latest', 'branch', 'main2', undefined],
    ['branch', 'main', 'latest', 'tag', 'main', undefined],
    ['branch', 'master', '{sourceref},latest', 'branch', 'master', ['master', 'latest']],
    ['tag', '/^v([0-9]+)\\.([0-9]+)\\.([0-9]+)$/', '{\\1}.{\\2}.{\\3},{\\1}.{\\2},{\\1},latest', 'tag', 'v4.5.6', ['4.5.6', '4.5', '4', 'latest']],
    // Matched as a search, not anchored: /rc/ matches anywhere.
    ['tag', '/rc/', 'testing', 'tag', 'v1.0.0-rc.2', ['testing']],
    // (?:...) works, as users report on Docker Hub.
    ['branch', '/^(?:feature|fix)\\/(.+)$/', 'dev-{\\1}', 'branch', 'feature/login', ['dev-login']],
    // An optional group that did not take part is empty.
    ['tag', '/^v(\\d+)(-beta)?$/', '{\\1}{\\2}', 'tag', 'v7', ['7']],
    ['tag', '/^v(\\d+)(-beta)?$/', '{\\1}{\\2}', 'tag', 'v7-beta', ['7-beta']],
    // Entries that render empty are dropped; the rest stay.
    ['tag', '/^v(\\d+)(-x)?$/', '{\\2},v{\\1}', 'tag', 'v7', ['v7']],
    // Rendered tags are made valid; case is kept.
    ['branch', '/^(.*)$/', '{sourceref}', 'branch', 'feature/Login', ['feature-Login']],
    ['branch', '/^(.*)$/', 'x-{\\1}', 'branch', '.hidden', ['x-.hidden']],
    // {\1} with a comma inside the group does not split the list.
    ['tag', '/^(.*)$/', '{\\1}', 'tag', 'a,b', ['a-b']],
  ])('%s %s -> %s on %s %s', (sourceType, source, tag, refType, name, expected) => {
    const r = rule(`- source-type: ${sourceType}\n  source: '${source}'\n  tag: '${tag}'`);
    expect(applyRule(r, refType as 'branch' | 'tag', name)).toEqual(expected);
  });
});

describe('parseRules', () => {
  it('reads every key, Docker Hub paths as written', () => {
    const rules = parseRules(`
- source-type: Branch
  source: main
  tag: latest
  dockerfile: docker/Dockerfile.prod
  context: /
  build-caching: true
- source-type: tag
  source: /^v(.*)$/
  tag: '{\\1}'
  autobuild: false
`);
    expect(rules).toMatchObject([
      { index: 1, sourceType: 'branch', source: 'main', tag: 'latest', dockerfile: 'docker/Dockerfile.prod', context: '/', autobuild: true },
      { index: 2, sourceType: 'tag', source: '/^v(.*)$/', tag: '{\\1}', autobuild: false },
    ]);
    expect(rules[0]!.regex).toBeUndefined();
    expect(rules[1]!.regex).toBeInstanceOf(RegExp);
  });

  it('an empty input is no rules', () => {
    expect(parseRules('')).toEqual([]);
    expect(parseRules('  \n')).toEqual([]);
  });

  it.each([
    ['source-type: tag', /Input 'rules' must be a YAML list of rules/],
    ['- [', /Input 'rules' is not valid YAML/],
    ['- source-type: pr\n  source: x\n  tag: y', /rule 1: source-type 'pr' is not accepted \(expected branch or tag\)/],
    ['- source-type: tag\n  tag: y', /rule 1: source is empty/],
    ['- source-type: tag\n  source: x', /rule 1: tag is empty/],
    ['- source-type: tag\n  source: x\n  tag: y\n  tags: z', /rule 1: unknown key 'tags'/],
    ['- source-type: tag\n  source: /(/\n  tag: y', /rule 1: source \/\(\/ is not a valid regular expression/],
    ['- source-type: tag\n  source: /^v(.*)$/\n  tag: "{\\\\2}"', /rule 1: tag '\{\\2\}' uses \{\\2\} but source \/\^v\(\.\*\)\$\/ has 1 capture group/],
    ['- source-type: tag\n  source: main\n  tag: "{\\\\1}"', /rule 1: tag '\{\\1\}' uses \{\\1\} but source main has 0 capture groups/],
    ['- source-type: branch\n  source: main\n  tag: latest\n- source-type: tag\n  source: /^v(.*)$/\n  tag: "{source}"', /rule 2: tag '\{source\}' uses the unknown variable '\{source\}'/],
    ['- source-type: branch\n  source: main\n  tag: latest\n  context: ../other', /rule 1: context '\.\.\/other' leaves the repository/],
    ['- source-type: branch\n  source: main\n  tag: latest\n  dockerfile: /../../etc/Dockerfile', /rule 1: dockerfile '\/\.\.\/\.\.\/etc\/Dockerfile' leaves the repository/],
  ])('refuses %j naming the rule', (yaml, message) => {
    expect(() => parseRules(yaml)).toThrow(UserError);
    expect(() => parseRules(yaml)).toThrow(message);
  });
});

describe('templates written without quotes', () => {
  // YAML reads an unquoted {sourceref} or {\1} as a mapping: the text as written is the template.
  it.each([
    // value as written after 'tag: ', ref name, tags
    ['{sourceref}', 'v1.2', ['v1.2']],
    ['{\\1}', 'v1.2', ['1.2']],
    ['{ \\1 }', 'v1.2', undefined],
    ['{\\1} # the version', 'v1.2', ['1.2']],
    ['latest,{sourceref}', 'v1.2', ['latest', 'v1.2']],
    ['release-{\\1}', 'v1.2', ['release-1.2']],
    // Numbers stay as written, not as the number YAML makes of them.
    ['1.10', 'v1.2', ['1.10']],
  ])('tag: %s on tag %s', (written, name, expected) => {
    const src = `- source-type: tag\n  source: /^v(.*)$/\n  tag: ${written}\n`;
    if (expected === undefined) {
      expect(() => parseRules(src)).toThrow(/rule 1: tag '\{ \\1 \}' uses the unknown variable/);
      return;
    }
    expect(applyRule(rule(src), 'tag', name)).toEqual(expected);
  });

  it('reads every text field as written, also in a flow mapping', () => {
    expect(rule('- {source-type: tag, source: 2.10, tag: {sourceref}}')).toMatchObject({ source: '2.10', tag: '{sourceref}' });
    expect(applyRule(rule('- {source-type: tag, source: 2.10, tag: {sourceref}}'), 'tag', '2.10')).toEqual(['2.10']);
    expect(rule('- source-type: branch\n  source: main\n  tag: latest\n  dockerfile: {x}')).toMatchObject({ dockerfile: '{x}' });
  });

  it.each([
    // A comma list after an unquoted {..} is a YAML syntax error: the message names the rule and field, and says to quote it.
    ['tag: {sourceref},latest', "Input 'rules', rule 2: tag {sourceref},latest is not valid YAML unquoted", "Quote the template: tag: '{sourceref},latest'."],
    ['tag: {\\1}.{\\2}', 'rule 2: tag {\\1}.{\\2} is not valid YAML unquoted', "Quote the template: tag: '{\\1}.{\\2}'."],
    ['tag: {\\1}-dev # comment', 'rule 2: tag {\\1}-dev is not valid YAML unquoted', "tag: '{\\1}-dev'."],
    // Lists and mappings over several lines cannot be templates.
    ['tag: [a, b]', 'rule 2: tag "[a, b]" is a list in YAML, not text', "(several tags are a comma list): tag: 'a,b'"],
    ['tag:\n    - a\n    - "{\\\\1}"', 'rule 2: tag "- a\\n    - \\"{\\\\\\\\1}\\"" is a list in YAML, not text', "tag: 'a,{\\1}'"],
    ['tag: {\n    sourceref}', 'rule 2: tag "{\\n    sourceref}" is a mapping in YAML, not text', "quote it: tag: '{sourceref}'"],
    ['tag:\n    a: b', 'rule 2: tag "a: b" is a mapping in YAML', 'quote it'],
  ])('%j is refused, saying to quote it', (written, ...parts) => {
    const src = `- source-type: branch\n  source: main\n  tag: latest\n- source-type: tag\n  source: /^v(.*)$/\n  ${written}\n`;
    expect(() => parseRules(src)).toThrow(UserError);
    for (const part of parts) expect(() => parseRules(src)).toThrow(part);
  });

  it('another YAML error still says that a template starting with { must be quoted', () => {
    expect(() => parseRules('- source-type: tag\n  source: x\n  tag: {a\n')).toThrow("rule 1: tag {a is not valid YAML unquoted");
    expect(() => parseRules('- source-type: tag\n  source: x\n  tag: latest\n\t- tag: {sourceref}\n')).toThrow(/^Input 'rules' is not valid YAML.*must be quoted: tag: '\{\\1\},latest'\.$/s);
  });
});

describe('source /regex/flags', () => {
  it.each([
    ['/^V(.*)$/i', 'v1.2', ['1.2']],
    ['/^V(.*)$/i', 'V1.2', ['1.2']],
    ['/^V(.*)$/', 'v1.2', undefined],
    ['/^(rel)$/m', 'rel', ['rel']],
    ['/^(r.l)$/s', 'r\nl', ['r-l']],
    ['/^\\u{76}(.*)$/u', 'v3', ['3']],
    ['/^v(.*)$/im', 'V4', ['4']],
  ])('%s on tag %s', (source, name, expected) => {
    const r = rule(`- source-type: tag\n  source: '${source}'\n  tag: '{\\1}'`);
    expect(r.regex).toBeInstanceOf(RegExp);
    expect(applyRule(r, 'tag', name)).toEqual(expected);
  });

  it.each([
    ['/^v(.*)$/g', /rule 1: source \/\^v\(\.\*\)\$\/g is not a valid regular expression: flag 'g' is not accepted \(accepted: i, m, s, u\)/],
    ['/^v(.*)$/iy', /rule 1: source .* flag 'y' is not accepted \(accepted: i, m, s, u\)/],
    ['/^v(.*)$/x', /rule 1: source .* flag 'x' /],
    ['/^v(.*)', /rule 1: source \/\^v\(\.\*\) is not a valid regular expression: .* not written \/regex\/ or \/regex\/flags/],
  ])('%s is refused naming the rule and the flags accepted', (source, message) => {
    expect(() => parseRules(`- source-type: tag\n  source: '${source}'\n  tag: '{\\1}'`)).toThrow(message);
  });
});

describe('which rule tags are made from the branch name', () => {
  it('an entry with {sourceref} on a branch is; a capture group, a fixed name or a git tag is not', () => {
    const r = rule("- source-type: branch\n  source: '/^(.*)$/'\n  tag: 'x-{sourceref},{\\1},latest'");
    expect(applyRuleTags(r, 'branch', 'pr-42')).toEqual([
      { tag: 'x-pr-42', fromBranch: true },
      { tag: 'pr-42', fromBranch: false },
      { tag: 'latest', fromBranch: false },
    ]);
    const t = rule("- source-type: tag\n  source: '/^(.*)$/'\n  tag: '{sourceref}'");
    expect(applyRuleTags(t, 'tag', 'v1.2.3')).toEqual([{ tag: 'v1.2.3', fromBranch: false }]);
  });
});
