/**
 * The fast YAML reader must give exactly what the `yaml` package gives (values and positions) for
 * everything it accepts, and step aside (Unsupported) for everything else.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { parseFast, Unsupported } from '../../src/project/fast-yaml';
import { LocatedYaml, parseYamlExactly } from '../../src/project/yaml-file';

function same(text: string): void {
  const fast = new LocatedYaml('f.yml');
  fast.value = parseFast(text, fast);
  const exact = parseYamlExactly(text, 'f.yml');
  expect(fast.value).toEqual(exact.value);
  expect(fast.positionsOf(fast.value)).toEqual(exact.positionsOf(exact.value));
}

function yamlFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const abs = path.join(dir, name);
    if (statSync(abs).isDirectory()) return yamlFiles(abs);
    return /\.ya?ml$/.test(name) ? [abs] : [];
  });
}

describe('fast YAML reader', () => {
  it.each(yamlFiles(path.join(__dirname, '..', 'fixtures')).map((f) => [path.relative(__dirname, f)]))(
    'agrees with the yaml package on %s',
    (file) => same(readFileSync(path.join(__dirname, file), 'utf8')),
  );

  it.each([
    [
      'scalars',
      "a: 1\nb: -2.5\nc: 1e3\nd: yes\ne: Off\nf: ~\ng:\nh: null\ni: \"x\\ty\"\nj: 'it''s'\nk: 0x1F\nl: .inf\nm: hello world\n",
    ],
    ['keys of other types', '1: a\ntrue: b\n"quoted key": c\n\'single\': d\nwith:colon: e\n'],
    ['comments everywhere', '# head\na: 1 # one\n\n# mid\nb:   # empty\n  - x # item\n  # between\n  - y\n'],
    [
      'compact nested lists',
      'models:\n- name: a\n  columns:\n  - name: id\n    tests:\n      - unique\n      - accepted_values:\n          values: [1, 2]\n',
    ],
    [
      'flow collections over lines',
      'v: [\n  a,\n  "b, c",\n  {k: v, n: [1, 2]}, # c\n]\nw: {}\nx: []\ny: {a: , b: 2}\n',
    ],
    [
      'block scalars',
      'a: |\n  line 1\n\n    indented\n  line 3\nb: >\n  folded\n  text\n\n  para\nc: |-\n  stripped\nd: >-\n  x\ne: end\n',
    ],
    ['a document marker', '---\na: 1\n'],
    ['lists of lists', 'a:\n  -\n    - 1\n    - 2\n  - [3]\n'],
    ['duplicate keys', 'a: 1\nb: 2\na: 3\n'],
    [
      'sql in strings',
      "pre-hook: \"insert into audit values ('{{ this }}', now())\"\nwhere: status != 'void'\n",
    ],
  ])('agrees with the yaml package on %s', (_what, text) => same(text));

  it.each([
    ['anchors', 'a: &x 1\nb: *x\n'],
    ['merge keys', 'a: {p: 1}\nb:\n  <<: {q: 2}\n'],
    ['tags', 'a: !!str 1\n'],
    ['multi-line plain scalars', 'a: one\n  two\n'],
    ['multi-line quoted scalars', 'a: "one\n  two"\n'],
    ['tabs', 'a:\n\t- 1\n'],
    ['several documents', 'a: 1\n---\nb: 2\n'],
    ['bad indentation', 'a:\n    b: 1\n  c: 2\n'],
    ['unclosed flow', 'a: [1, 2\n'],
    ['keep chomping', 'a: |+\n  x\n\n'],
    ['a top-level scalar', 'just text\n'],
    ['nested compact mappings', 'a: b: c\n'],
  ])('steps aside for %s', (_what, text) => {
    expect(() => parseFast(text, new LocatedYaml('f.yml'))).toThrow(Unsupported);
  });
});
