import { type DragEvent, useId, useRef, useState } from 'react';

/** A file picker that also takes a dropped file; a real <input type=file> underneath, so it is keyboard-usable. */
export function DropZone(props: { label: string; hint: string; accept: string; onFile: (file: File) => void; disabled?: boolean }) {
  const id = useId();
  const input = useRef<HTMLInputElement>(null);
  const [over, setOver] = useState(false);
  const onDrop = (e: DragEvent) => {
    e.preventDefault();
    setOver(false);
    const file = e.dataTransfer.files[0];
    if (file && !props.disabled) props.onFile(file);
  };
  return (
    <div
      className={`dropzone${over ? ' over' : ''}`}
      onDragOver={(e) => {
        e.preventDefault();
        setOver(true);
      }}
      onDragLeave={() => setOver(false)}
      onDrop={onDrop}
    >
      <label htmlFor={id} className="button primary">
        {props.label}
      </label>
      <input
        ref={input}
        id={id}
        type="file"
        accept={props.accept}
        className="visually-hidden"
        disabled={props.disabled}
        onChange={(e) => {
          const file = e.target.files?.[0];
          if (file) props.onFile(file);
          if (input.current) input.current.value = '';
        }}
      />
      <span className="muted">{props.hint}</span>
    </div>
  );
}
