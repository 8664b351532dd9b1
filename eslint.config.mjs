// ESLint for the scripts kg pastes into its view pages (kg/outputs/*.js) and those kg serve adds
// (kg/serve/*.js); tests/test_style.py runs it. Each is a classic inline <script>; the views'
// runs after vis-network's, which defines the global `vis`.
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
  {
    // kg serve's scripts, added to the pages it sends (kg/serve/pages.py).
    files: ["kg/serve/*.js"],
    languageOptions: {
      sourceType: "script",
      globals: { ...globals.browser },
    },
  },
];
