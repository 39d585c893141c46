/**
 * fast-check arbitraries for the generated parity suite: texts built from
 * SMALL line alphabets (so that ambiguous alignments are common), with CRLF
 * lines, missing final newlines, empty/null sides, and proposals made either
 * independently or as runs of edits of the baseline.
 */
import fc from 'fast-check';
import type { PatchFormattingOptions } from '../reference.js';
import type { DiffCase } from './parity.js';

/** Line alphabets; each generated case draws all its lines from one pool. */
export const LINE_POOLS: Record<string, string[]> = {
  tiny: ['a', 'b', 'c', ''],
  code: ['{', '}', '  return x;', 'foo();', '', '  ', '\t'],
  diffSyntax: ['-- x', '++ y', '--- a', '+++ b', '@@ c', '\\ d', 'a', ''],
  unicode: ['😀', 'é', 'a😀b', '𝒳𝒴', '', 'x'],
  jsdiffBreaks: ['a', 'b\v', 'c\fd', '\x85', 'x\ry', '\r', ''],
};

export interface Line {
  text: string;
  crlf: boolean;
}

export interface Doc {
  lines: Line[];
  finalNewline: boolean;
}

/** How a side is given: as text, as the empty string, or as null. */
export type Nullish = 'text' | 'empty' | 'null';

export type Edit =
  | { kind: 'insert'; at: number; lines: Line[] }
  | { kind: 'delete'; at: number; count: number }
  | { kind: 'replace'; at: number; count: number; lines: Line[] }
  | { kind: 'move'; from: number; count: number; to: number }
  | { kind: 'toggleFinalNewline' };

export function render(doc: Doc): string {
  const text = doc.lines.map((l) => l.text + (l.crlf ? '\r\n' : '\n')).join('');
  if (doc.finalNewline || doc.lines.length === 0) return text;
  const last = doc.lines[doc.lines.length - 1];
  return text.slice(0, text.length - (last.crlf ? 2 : 1));
}

function materialize(doc: Doc, given: Nullish): string | null {
  if (given === 'null') return null;
  if (given === 'empty') return '';
  return render(doc);
}

export function applyEdits(doc: Doc, edits: Edit[]): Doc {
  const lines = [...doc.lines];
  let finalNewline = doc.finalNewline;
  for (const edit of edits) {
    const pos = (n: number, span: number) => n % (span + 1);
    switch (edit.kind) {
      case 'insert':
        lines.splice(pos(edit.at, lines.length), 0, ...edit.lines);
        break;
      case 'delete':
        lines.splice(pos(edit.at, lines.length), edit.count);
        break;
      case 'replace':
        lines.splice(pos(edit.at, lines.length), edit.count, ...edit.lines);
        break;
      case 'move': {
        const moved = lines.splice(pos(edit.from, lines.length), edit.count);
        lines.splice(pos(edit.to, lines.length), 0, ...moved);
        break;
      }
      case 'toggleFinalNewline':
        finalNewline = !finalNewline;
        break;
    }
  }
  return { lines, finalNewline };
}

/** `true` one time in `outOf`, shrinking towards `false`. */
function rarely(outOf: number): fc.Arbitrary<boolean> {
  return fc.integer({ min: 1, max: outOf }).map((n) => n === outOf);
}

function lineArb(pool: string[]): fc.Arbitrary<Line> {
  return fc.record({ text: fc.constantFrom(...pool), crlf: rarely(5) });
}

function docArb(pool: string[], maxLines: number): fc.Arbitrary<Doc> {
  return fc.record({
    lines: fc.array(lineArb(pool), { maxLength: maxLines, size: 'max' }),
    finalNewline: rarely(6).map((missing) => !missing),
  });
}

function editArb(pool: string[]): fc.Arbitrary<Edit> {
  const run = fc.array(lineArb(pool), { minLength: 1, maxLength: 8 });
  const count = fc.integer({ min: 1, max: 8 });
  return fc.oneof(
    fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), lines: run }),
    fc.record({ kind: fc.constant('delete' as const), at: fc.nat(), count }),
    fc.record({ kind: fc.constant('replace' as const), at: fc.nat(), count, lines: run }),
    fc.record({ kind: fc.constant('move' as const), from: fc.nat(), count, to: fc.nat() }),
    fc.constant({ kind: 'toggleFinalNewline' as const }),
  );
}

function nullishArb(): fc.Arbitrary<Nullish> {
  return fc.integer({ min: 0, max: 19 }).map((n) => (n === 18 ? 'empty' : n === 19 ? 'null' : 'text'));
}

const PATHS = ['src/file.ts', 'a b/c d.txt', 'dir/ünï😀.md', 'README'];

function optionsArb(): fc.Arbitrary<PatchFormattingOptions> {
  return fc.record(
    { contextLines: fc.integer({ min: 0, max: 6 }), maxPreviewLength: fc.integer({ min: 0, max: 300 }) },
    { requiredKeys: [] },
  );
}

export interface GeneratedCase {
  diffCase: DiffCase;
  /** Other baselines to apply the diff to (jsdiff parity). */
  foreignTargets: Array<string | null>;
}

export interface CaseShape {
  pools: string[];
  maxLines: number;
  /** 'independent': proposed drawn on its own; 'edited': random edits of the baseline; 'mixed': either. */
  proposal: 'independent' | 'edited' | 'mixed';
  maxEdits?: number;
}

export function caseArb(shape: CaseShape): fc.Arbitrary<GeneratedCase> {
  const pools = shape.pools.map((name) => LINE_POOLS[name]);
  return fc.constantFrom(...pools).chain((pool) => {
    const edits = fc.array(editArb(pool), { minLength: 1, maxLength: shape.maxEdits ?? 6 });
    const independent =
      shape.proposal === 'edited' ? fc.constant(false) : shape.proposal === 'independent' ? fc.constant(true) : fc.boolean();
    return fc
      .record({
        path: fc.constantFrom(...PATHS),
        base: docArb(pool, shape.maxLines),
        baseGiven: nullishArb(),
        independent,
        other: docArb(pool, shape.maxLines),
        edits,
        proposedGiven: nullishArb(),
        targetEdits: fc.array(editArb(pool), { minLength: 1, maxLength: 2 }),
        options: optionsArb(),
      })
      .map((r) => {
        const proposedDoc = r.independent ? r.other : applyEdits(r.base, r.edits);
        const baseline = materialize(r.base, r.baseGiven);
        const proposed = materialize(proposedDoc, r.proposedGiven);
        return {
          diffCase: { path: r.path, baseline, proposed, options: r.options },
          foreignTargets: [render(applyEdits(r.base, r.targetEdits)), proposed],
        };
      });
  });
}
