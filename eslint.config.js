// Lint rules for sdfl: the recommended JavaScript and TypeScript sets, plus the import
// rules the design asks for (no import circles are checked by test/architecture).
import js from "@eslint/js";
import tseslint from "typescript-eslint";
import globals from "globals";

export default tseslint.config(
  { ignores: ["dist/", "node_modules/", "data/", "benchmarks/results/", ".bench-dist/"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_", caughtErrors: "none" }],
      "@typescript-eslint/no-explicit-any": "error",
      "no-constant-condition": ["error", { checkLoops: false }],
    },
  },
  // The dashboard's browser script (served as is, uPlot loaded before it).
  { files: ["src/report/dashboard/assets/**/*.js"], languageOptions: { globals: { ...globals.browser, uPlot: "readonly" } } },
);
