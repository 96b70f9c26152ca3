import { type DragEvent, useId, useState } from "react";

/**
 * Where a CSV file comes in: dropped on the zone, or chosen with the file picker inside it (a
 * real <input type="file">, so keyboards and screen readers use it as any other).
 */
export function FileDrop({ onFile, disabled }: { onFile: (file: File) => void; disabled: boolean }) {
  const id = useId();
  const [over, setOver] = useState(false);
  const take = (files: FileList | null) => {
    const file = files?.[0];
    if (file && !disabled) onFile(file);
  };
  const onDrop = (event: DragEvent<HTMLDivElement>) => {
    event.preventDefault();
    setOver(false);
    take(event.dataTransfer.files);
  };
  return (
    <div
      className={`file-drop${over ? " file-drop-over" : ""}`}
      data-testid="file-drop"
      onDragOver={(event) => {
        event.preventDefault();
        setOver(true);
      }}
      onDragLeave={() => setOver(false)}
      onDrop={onDrop}
    >
      <p>Drop a CSV file here, or</p>
      <label htmlFor={id} className="button">
        Choose a file
      </label>
      <input
        id={id}
        className="visually-hidden"
        type="file"
        accept=".csv,text/csv"
        aria-label="CSV file"
        disabled={disabled}
        onChange={(event) => {
          take(event.target.files);
          event.target.value = "";
        }}
      />
      <p className="small muted">Up to 20 MB or 100,000 rows; the first row names the columns.</p>
    </div>
  );
}
