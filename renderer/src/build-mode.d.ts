// Vite replaces import.meta.env.MODE at build time ('production', or 'e2e' for the E2E build).
interface ImportMeta {
  readonly env: { readonly MODE: string };
}
