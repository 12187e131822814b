import type { Command } from "../command.js";

/** `sdfl twin explain` (SHAP and response surfaces). */
export const explainCommands: Command[] = [];
