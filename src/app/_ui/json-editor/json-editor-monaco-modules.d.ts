// monaco-editor 0.57 ships no typings for its per-language entry points; this one's exports are
// the `json` namespace of the package's main typings.
declare module 'monaco-editor/language/json/monaco.contribution' {
  export const jsonDefaults: typeof import('monaco-editor').json.jsonDefaults;
}
