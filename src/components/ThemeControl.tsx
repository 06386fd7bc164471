import { useTheme } from "../client/hooks/useTheme";
import { THEMES, type Theme } from "../client/theme";

const LABELS: Record<Theme, string> = { system: "System", light: "Light", dark: "Dark" };

/** The "Theme" select: System (follows the OS), Light or Dark, remembered in this browser. */
export function ThemeControl() {
  const [theme, setTheme] = useTheme();
  return (
    <label className="flex items-center gap-2 px-2 text-sm text-slate-600">
      Theme
      <select
        value={theme}
        onChange={(event) => setTheme(event.target.value as Theme)}
        className="rounded-md border border-slate-300 bg-white px-2 py-1 text-sm text-slate-800 focus:border-indigo-500 focus:ring-2 focus:ring-indigo-200 focus:outline-none"
      >
        {THEMES.map((value) => (
          <option key={value} value={value}>
            {LABELS[value]}
          </option>
        ))}
      </select>
    </label>
  );
}
