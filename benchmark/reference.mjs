// Loads the test suite's oracle, `__test__/reference.ts` (the TypeScript
// patchkit rebuilt on jsdiff), for the benchmark: it is transpiled at run
// time with `ts.transpileModule` into an ES module in a temporary directory
// and imported from there, so the benchmark always measures the very code
// the parity tests compare against, never a hand-copied duplicate.
//
// `loadReference('diff-latest')` builds the same pipeline on the latest
// jsdiff by rewriting the module's `import ... from 'diff'`.
//
// Node 20 cannot import `.ts` itself and a module in a temp directory cannot
// resolve bare specifiers from this repository's node_modules, so every
// import of the transpiled module is rewritten to an absolute URL (or left
// alone for `node:` built-ins).

import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const REPO = fileURLToPath(new URL('..', import.meta.url));
export const REFERENCE_TS = path.join(REPO, '__test__', 'reference.ts');

let tempDir = null;

/** The temp directory holding transpiled modules; created on first use. */
function outDir() {
  if (tempDir === null) {
    tempDir = mkdtempSync(path.join(tmpdir(), 'patchkit-bench-'));
    process.once('exit', cleanupReference);
  }
  return tempDir;
}

/** A path for `name` in the benchmark's temp directory (removed at exit). */
export function tempPath(name) {
  return path.join(outDir(), name);
}

/** Removes the temp directory (also done automatically at exit). */
export function cleanupReference() {
  if (tempDir !== null) {
    rmSync(tempDir, { recursive: true, force: true });
    tempDir = null;
  }
}

/**
 * Rewrites every static import/export specifier of `code`: `diff` becomes
 * `diffModule`, and each bare specifier is resolved from this repository.
 * Relative imports are refused: reference.ts is a single file today, and a
 * silent half-transpiled graph would measure the wrong thing.
 */
function rewriteImports(code, diffModule) {
  let sawDiff = false;
  const rewritten = code.replace(
    /(\bfrom\s*|\bimport\s*\(\s*|\bimport\s+)(['"])([^'"]+)\2/g,
    (whole, lead, quote, spec) => {
      if (spec.startsWith('node:')) return whole;
      if (spec.startsWith('.') || spec.startsWith('/')) {
        throw new Error(
          `benchmark/reference.mjs: ${REFERENCE_TS} imports '${spec}'; only bare and node: imports are supported`,
        );
      }
      let target = spec;
      if (spec === 'diff' || spec.startsWith('diff/')) {
        sawDiff = true;
        target = diffModule + spec.slice('diff'.length);
      }
      return `${lead}${quote}${import.meta.resolve(target)}${quote}`;
    },
  );
  if (!sawDiff) throw new Error(`benchmark/reference.mjs: no import of 'diff' found in ${REFERENCE_TS}`);
  return rewritten;
}

/**
 * Transpiles reference.ts for `diffModule` ('diff' = jsdiff 5.2.0,
 * 'diff-latest') and returns the path of the written `.mjs` file. Child
 * processes can import that file directly, without loading TypeScript.
 */
export async function transpileReference(diffModule = 'diff') {
  const { default: ts } = await import('typescript');
  const source = readFileSync(REFERENCE_TS, 'utf8');
  const { outputText, diagnostics } = ts.transpileModule(source, {
    fileName: REFERENCE_TS,
    reportDiagnostics: true,
    compilerOptions: {
      module: ts.ModuleKind.ESNext,
      target: ts.ScriptTarget.ES2022,
      verbatimModuleSyntax: false,
      isolatedModules: true,
      sourceMap: false,
    },
  });
  if (diagnostics?.length) {
    const text = diagnostics.map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n')).join('\n');
    throw new Error(`benchmark/reference.mjs: transpiling ${REFERENCE_TS} failed:\n${text}`);
  }
  const file = path.join(outDir(), `reference.${diffModule}.mjs`);
  const header = `// Transpiled from ${REFERENCE_TS} on '${diffModule}'\n`;
  writeFileSync(file, header + rewriteImports(outputText, diffModule));
  return file;
}

/** Imports a module written by `transpileReference`. */
export async function importTranspiled(file) {
  if (!existsSync(file)) throw new Error(`benchmark/reference.mjs: ${file} does not exist`);
  return import(pathToFileURL(file).href);
}

/** Transpiles and imports the reference on `diffModule`. */
export async function loadReference(diffModule = 'diff') {
  return importTranspiled(await transpileReference(diffModule));
}
