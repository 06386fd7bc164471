// Lets `node scripts/<x>.ts` load src/ modules, whose imports name no
// extension (Vite resolves them in the app): a bare relative specifier that
// Node cannot find is retried as `.ts`, `.tsx`, then `/index.ts`.
import { registerHooks } from "node:module";

const TRIES = [".ts", ".tsx", "/index.ts"];

registerHooks({
  resolve(specifier, context, nextResolve) {
    try {
      return nextResolve(specifier, context);
    } catch (error) {
      if (!specifier.startsWith(".") || /\.[cm]?[jt]sx?$/.test(specifier)) throw error;
      for (const tail of TRIES) {
        try {
          return nextResolve(specifier + tail, context);
        } catch {}
      }
      throw error;
    }
  },
});
