"use client";
import { useEffect, useId, useRef, type FormEvent, type KeyboardEvent } from "react";
import { SendIcon } from "@/components/icons.tsx";
import { Spinner } from "@/components/Status.tsx";

interface Props {
  value: string;
  onChange(value: string): void;
  onSend(): void;
  busy: boolean;
}

/** The message box: Enter sends, Shift+Enter starts a new line. */
export function Composer({ value, onChange, onSend, busy }: Props) {
  const id = useId();
  const hint = useId();
  const ref = useRef<HTMLTextAreaElement>(null);

  // Grow with the text, up to the CSS max-height.
  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    el.style.height = "auto";
    el.style.height = `${el.scrollHeight}px`;
  }, [value]);

  // Focus returns to the box after each answer.
  useEffect(() => {
    if (!busy) ref.current?.focus();
  }, [busy]);

  function onKeyDown(event: KeyboardEvent<HTMLTextAreaElement>) {
    if (event.key === "Enter" && !event.shiftKey && !event.nativeEvent.isComposing) {
      event.preventDefault();
      if (!busy && value.trim()) onSend();
    }
  }

  function onSubmit(event: FormEvent) {
    event.preventDefault();
    if (!busy && value.trim()) onSend();
  }

  return (
    <form className="composer" onSubmit={onSubmit}>
      <label htmlFor={id} className="visually-hidden">
        Message the assistant
      </label>
      <textarea
        id={id}
        ref={ref}
        className="composer__input"
        rows={1}
        value={value}
        placeholder="Tell me what needs doing…"
        onChange={(e) => onChange(e.target.value)}
        onKeyDown={onKeyDown}
        aria-describedby={hint}
        maxLength={4000}
      />
      <span id={hint} className="visually-hidden">
        Press Enter to send, Shift and Enter for a new line.
      </span>
      <button type="submit" className="button button--primary composer__send" disabled={busy || !value.trim()} aria-label="Send message">
        {busy ? <Spinner /> : <SendIcon />}
      </button>
    </form>
  );
}
