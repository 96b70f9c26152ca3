import { useEffect, useState } from "react";
import { useDebouncedValue } from "../hooks/use-debounced-value";

/**
 * Typing updates a local value at once and reports it after a pause, so the list (and the URL)
 * change once per word, not once per key. Outside changes (back button) flow back in.
 */
export function SearchBox({ value, onSearch }: { value: string; onSearch: (q: string) => void }) {
  const [text, setText] = useState(value);
  const debounced = useDebouncedValue(text, 300);

  useEffect(() => {
    if (debounced.trim() !== value.trim()) onSearch(debounced);
    // Only a settled change of the text searches (deliberately not re-run when `value` or
    // `onSearch` change); a new `value` from outside is taken in by the effect below.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [debounced]);

  useEffect(() => {
    setText((current) => (current.trim() === value.trim() ? current : value));
  }, [value]);

  return (
    <div className="field">
      <label htmlFor="project-search">Search</label>
      <input
        id="project-search"
        type="search"
        placeholder="Name or description"
        value={text}
        maxLength={200}
        onChange={(e) => setText(e.target.value)}
      />
    </div>
  );
}
