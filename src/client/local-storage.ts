/** localStorage, or null where it is missing (the server) or touching it throws (blocked storage). */
export function safeLocalStorage(): Storage | null {
  try {
    return typeof localStorage === "undefined" ? null : localStorage;
  } catch {
    return null;
  }
}
