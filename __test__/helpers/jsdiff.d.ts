// Minimal typings for the parts of `diff@5.2.0` (jsdiff) the oracle uses;
// the package ships no type declarations of its own.
declare module 'diff' {
  export interface StructuredPatchHunk {
    oldStart: number;
    oldLines: number;
    newStart: number;
    newLines: number;
    lines: string[];
  }
  export interface StructuredPatch {
    oldFileName: string;
    newFileName: string;
    oldHeader: string | undefined;
    newHeader: string | undefined;
    hunks: StructuredPatchHunk[];
  }
  export interface PatchOptions {
    context?: number;
  }
  export function structuredPatch(
    oldFileName: string,
    newFileName: string,
    oldStr: string,
    newStr: string,
    oldHeader?: string,
    newHeader?: string,
    options?: PatchOptions,
  ): StructuredPatch;
  export function createTwoFilesPatch(
    oldFileName: string,
    newFileName: string,
    oldStr: string,
    newStr: string,
    oldHeader?: string,
    newHeader?: string,
    options?: PatchOptions,
  ): string;
  export function applyPatch(source: string, uniDiff: string | StructuredPatch | StructuredPatch[]): string | false;
}
