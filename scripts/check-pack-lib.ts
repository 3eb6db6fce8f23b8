/**
 * Module specifiers a built file imports or requires. esbuild writes each import statement at the start
 * of a line, and `require("x")` with a literal; anchoring on that keeps string contents (messages that
 * happen to say `from "..."`) out of the result.
 */
export function importedSpecifiers(code: string): Set<string> {
  const found = new Set<string>();
  const SPEC = String.raw`([@a-zA-Z0-9][\w./@:-]*)`;
  const patterns = [
    new RegExp(String.raw`^\s*(?:import|export)\s[^\n;]*?\sfrom\s*["']` + SPEC + `["']`, 'gm'),
    new RegExp(String.raw`^\s*import\s*["']` + SPEC + `["']`, 'gm'),
    new RegExp(String.raw`\bimport\(\s*["']` + SPEC + String.raw`["']\s*\)`, 'g'),
    new RegExp(String.raw`\brequire\(\s*["']` + SPEC + String.raw`["']\s*\)`, 'g'),
  ];
  for (const re of patterns) for (const m of code.matchAll(re)) if (m[1]) found.add(m[1]);
  return found;
}
