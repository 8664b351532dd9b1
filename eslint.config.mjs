// ESLint for the script kg pastes into its view pages (kg/outputs/*.js); tests/test_style.py
// runs it. The script is a classic inline <script>, run in a browser after vis-network's, which
// defines the global `vis`.
import js from "@eslint/js";
import globals from "globals";

export default [
  js.configs.recommended,
  {
    files: ["kg/outputs/*.js"],
    languageOptions: {
      sourceType: "script",
      globals: { ...globals.browser, vis: "readonly" },
    },
  },
];
