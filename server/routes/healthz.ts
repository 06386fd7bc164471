import { defineHandler } from "h3";

// Liveness: the process is up and serving HTTP (no dependency is checked).
export default defineHandler(() => ({ ok: true }));
